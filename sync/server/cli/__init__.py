"""`python -m sync.server serve | admin …`: the commands a school's or county's technician runs.

- `main`: the argument parser, `serve` and every `admin` command.
- `exposure`: refusing to serve plain HTTP beyond the machine itself.
- `demo`: the deterministic demo school (`admin import-demo`).
"""
