"""The room's books and equipment (图书与器材) as the office lists, imports and exports them.

- `listing`: every title with its copies and their shelf state.
- `catalogue_columns`, `catalogue_fields`, `catalogue_check`, `catalogue_import`, `catalogue_export`: the
  school's register, read field by field, checked row by row, written all or nothing, and out again.
"""
