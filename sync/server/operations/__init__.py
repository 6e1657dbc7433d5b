"""Keeping a central server running for years: what a county bureau or a large school needs besides the
API and the office.

- backup_store: the backups folder — names, manifests (what a backup holds, counted when it was made),
  rotation, the newest good one, and the weekly checks' results.
- postgres_backup / sqlite_backup: a backup of each kind of central database, its restore, and its
  restore into a scratch database for the weekly check.
- central_backups: the commands' entry points, choosing the kind from the database's URL, and the
  weekly check: the newest backup restored into a scratch database, its counts compared with the
  manifest's.
- certificates: the county's own certificate authority and the server's certificate for HTTPS.
- metrics: Prometheus metrics (several worker processes aware) and what /metrics answers.
- health: the database answers, the schema is current, the backups are fresh and checked.
- routes: /healthz and /metrics.

Their commands are in sync.server.cli.upkeep; serving with several workers in sync.server.cli.serving.
"""
