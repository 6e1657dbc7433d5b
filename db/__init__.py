"""Local storage and what lies under every package: typed SQLAlchemy models, the SQLite engine factory,
Alembic migrations and queries, and the two things the kiosk, the sync client and the server all need:

- events: the facts a kiosk records, as typed payloads (the one schema both ends of sync validate)
- clock:  wall time, monotonic time and boot id (the Pi has no real-time clock)

No Kivy and no HTTP here, and nothing from `kiosk` or `sync`: arrows point down to this package, so the
same models and schemas serve the kiosk, the server, their tests and the benchmarks.
"""
