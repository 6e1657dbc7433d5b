"""The commands at the top of the kiosk: what a person or systemd starts.

- `start`: `python -m kiosk` — the touchscreen (or `--console`), after the database is opened and checked.
- `console`: the text console over the same services (SSH, set-up, headless checks).
- `maintenance`: `python -m kiosk backup | backups | restore-backup | health`.
- `sync`: `python -m kiosk sync enrol | now | status` — the sync client from a terminal.

Nothing below imports from here: commands stand on the services, the UI and the platform.
"""
