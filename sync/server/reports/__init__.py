"""The school's reports: every figure computed once, shown on a page, in XLSX and in CSV alike.

- `basis`, `period`, `table`: what every report starts from, the period it covers, the shape it takes.
- `statistics`, `contact`, `lending`, `room_use`, `incidents`, `showings`, `compensation`, `timeline`,
  `county`: the reports.
- `xlsx`, `csv_export`, `catalogue`: the files and the list of reports by name.
"""
