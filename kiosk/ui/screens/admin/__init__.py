"""管理员 mode, one module per page, behind the staff card and PIN.

- screen:       AdminScreen, the Kivy screen: who is logged in, which page shows, where taps and scans go
- pages:        AdminPage (the pages by name) and the menu's tiles
- registry:     AdminPage -> the class that draws it (the one place they are wired together)
- base:         Page, what every page shares (frame, banner, takes_cards / takes_scans)
- picker:       ChildPicker, class then name, for pages that need a child
- home:         the menu, 开门 / 关门
- visits, calls, overdue, contact_due, records: the administrator's lists
- stocktake:    盘点 (takes scans)
- register:     登记卡片 (takes card taps)
- emergency:    突发事件: every number on a child's card, the incident and its notices (takes card taps)
- hotline:      亲情热线: an incoming call logged afterwards (takes card taps)
- queue:        排队: who holds a place for the phone
- damages:      损坏赔偿: the register, amounts agreed, paid or waived, recording one (takes scans then)
- showings:     电视、VCD放映: open one, who joined, today's register (takes card taps while one is on)
- sync_status:  同步
- settings:     设置
"""
