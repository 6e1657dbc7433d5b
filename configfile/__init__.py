"""Reading a settings file a person edits by hand, and saying exactly what is wrong with it.

The kiosk's `kiosk.toml` is edited by a teacher or a county technician in whatever editor is at hand,
so every mistake must come back as one line naming the file, the line and the key, with the fix:

- `toml_file`: bytes → text (UTF-8, a byte-order mark tolerated, GBK recognised and named) → TOML,
  with the line of every table and key (`locate`).
- `rules`: typed checks for one value (a whole number in a range, true/false, a list of labels …) and
  `check_table`, which applies them to a table, refuses unknown keys and suggests the likely one.
- `problems`: `Problem` (a key path and what is wrong) and `SettingError`, which carries them.

No other package is imported here: `hardware.config` (the `[readers]` table) and `kiosk.platform.config`
(the rest) both build on it.
"""
