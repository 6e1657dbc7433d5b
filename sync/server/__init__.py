"""The school's central server and the office's web app. Never installed on a kiosk.

- `bootstrap`: the one place that puts the server together (database, migrations, clock);
  `app`: the kiosks' HTTP API and the office's pages mounted on one FastAPI app.
- `core`, `models`, `migrations`: what everything stands on.
- `devices`: how a kiosk gets in and what it pulls; `intake`: what it pushes.
- `projections`: received events into record rows; `reports`: what the office reads of them.
- `office`: the office's work with no HTTP in it; `web`: its pages.
- `api`: the HTTP API's errors, limits and timing; `cli`: `python -m sync.server serve | admin …`.
"""
