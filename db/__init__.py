"""Local storage: typed SQLAlchemy models, the SQLite engine factory, Alembic migrations and queries.

No Kivy and no HTTP here, so the same models serve the kiosk, its tests and the benchmarks.
"""
