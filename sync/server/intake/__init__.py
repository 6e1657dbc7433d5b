"""Taking in what the kiosks push: each event stored exactly once, then its facts applied.

- `ingest`: one batch, start to end (screen, store, apply); `screening` sorts facts from events set aside.
- `event_store`: exactly-once storage; `held_events`: what the server holds of one device's stream.
- `timefix`: a Pi without a real-time clock, corrected from the offset measured at each sync.
- `conflict_rules`: what the centre does with the facts (a copy lent at two kiosks, cards, shelves).
"""
