"""The room's rules, with no Kivy and no HTTP: the touchscreen, the console and the tests all drive these.

Each action is one `with uow:` transaction that writes its rows and its outbox event together, and
either returns a result or raises a `Refusal` (kiosk.services.errors) having changed nothing.

- signin:     tap_card -> SignedIn | SignedOut | StillSignedIn | StaffCardTapped | Unknown/InactiveCardTapped
- calls:      callees_for, start_family_call (先记载再打), end_family_call, close_expired_calls,
              log_incoming_call
- letters:    record_letter (写信 counts as family contact)
- loans:      borrow_copy (barcode), borrow_item (picture list), return_copy (condition), loans_of,
              lendable_items
- staff:      verify_staff_pin (with lockout)
- room:       open_room, close_room, room_status, opening_minutes_by_day
- cards:      register_card, report_card_lost
- stock:      set_copy_status (repaired, withdrawn, found)
- stocktake:  start_stocktake, record_scan, finish_stocktake, open_stocktake
- reports:    overdue_loans, contact_due_list, borrow_records, visits_on, calls_on, child_history,
              stock_summary, birthdays_today, find_children
- settings:   RoomSettings (per-school rules), load_settings, save_setting
- setup:      open_database(path, clock, pin_key) -> UnitOfWork (migrates, ensures the device identity,
              seals staff PIN hashes with the device key)
"""
