"""What every spreadsheet the office imports or exports shares, whatever it holds.

- `sheet_files`: reading XLSX or CSV (UTF-8 or GBK) as the school saved it; `sheet_columns`: headings as
  schools write them.
- `staging`: a checked file waiting for the administrator's confirmation; `sheet_export`: a list out again.
"""
