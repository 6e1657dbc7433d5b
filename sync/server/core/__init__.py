"""What every part of the server stands on, with no HTTP and no page in it.

- `database`: SQLite by default, PostgreSQL for real; `bulk`: set-based writes that tolerate rows already
  there.
- `change_sequence`: every change to a central row gets its school's next number (the kiosks pull by it).
- `school_settings`: a school's own rules, read by the office, the projections and the reports alike.
"""
