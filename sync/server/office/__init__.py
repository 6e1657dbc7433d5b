"""The school office's work on the central server, with no HTTP in it: the web pages
(sync.server.web) and the command line call these, and the tests drive them directly.

- accounts: office users and their argon2id passwords
- sessions: signed-in browsers, and the CSRF token derived from each session
- throttle: failed sign-ins slow the next ones down
- access: who may open which school and do what there
- audit: the log of views, exports and changes the school administrator reads
- school_settings: a school's rules (semesters, contact cadence, opening time, retention)
- schools: counties, schools, rooms and classes
- children: edit a child, the people it may call, its cards; deactivate
- sheet_columns / sheet_files / sheet_export / staging: what every import shares: headings, reading
  XLSX and CSV (UTF-8, GBK), writing the same layout back, checked rows waiting for confirmation
- roster_columns / roster_import / roster_export: the 花名册 in and out
- catalogue / catalogue_columns / catalogue_fields / catalogue_check / catalogue_import /
  catalogue_export: the room's books and equipment, listed copy by copy, in and out
- erasure: personal data of children who left, erased after the retention period
- kiosks: enrolment codes and the kiosks' state
- conflicts: facts sync flagged, with names, resolved by hand
- event_log: what the server received, searchable
"""
