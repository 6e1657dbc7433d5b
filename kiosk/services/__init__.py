"""The room's rules, with no Kivy and no HTTP: the touchscreen, the console and the tests all drive these.

Each action is one `with uow:` transaction that writes its rows and its outbox event together, and
either returns a result or raises a `Refusal` (kiosk.services.errors) having changed nothing.

- signin:     tap_card -> SignedIn | SignedOut | StillSignedIn | StaffCardTapped | Unknown/InactiveCardTapped
- calls:      callees_for, callers_for, start_family_call (先记载再打), end_family_call,
              close_expired_calls, log_incoming_call (亲情热线: caller, child, minutes)
- call_ends:  end_expired_calls, end_call (below calls and the queue, which both end calls)
- call_queue: ask_for_phone, my_place, leave_queue, queue_board (the idle screen), waiting_list;
              take_turn / advance / leave / close_all inside other services' transactions
- queue_wait: rough_wait (an estimate from the room's own recent calls)
- names:      given_name (the public screen calls a child by given name only)
- child_menu: menu_for (today's choices by weekday, the showing to join, the child's own place)
- showings:   open_showing, join_showing, close_showing, showing_now, register (电视、VCD放映登记)
- damages:    record_damage, agree_amount, settle, damage_list (损坏公物照价赔偿)
- incidents:  emergency_contacts, open_incident, mark_notified, incident, recent_incidents (突发事件)
- letters:    record_letter (写信 counts as family contact)
- loans:      borrow_copy (barcode), borrow_item (picture list), return_copy (condition; damaged or lost
              only by the borrower or an administrator), copy_on_file, loans_of, lendable_items
- staff:      verify_staff_pin (with lockout)
- room:       open_room, close_room, room_status, opening_minutes_by_day
- cards:      register_card, report_card_lost
- stock:      set_copy_status (repaired, withdrawn, found)
- stocktake:  start_stocktake, record_scan, scans_so_far, finish_stocktake, open_stocktake
- reports:    overdue_loans, contact_due_list, borrow_records, visits_on, calls_on, child_history,
              stock_summary, birthdays_today, find_children
- roster:     class_names, children_in_class, child_by_card (a child's card tapped on an admin page)
- settings:   RoomSettings (per-school rules), load_settings, save_setting
- setup:      open_database(path, clock, pin_key) -> UnitOfWork (migrates, ensures the device identity,
              seals staff PIN hashes with the device key)
"""
