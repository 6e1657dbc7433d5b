"""The roster (花名册): children, their cards, and the class lists the school imports and exports.

- `children`: one child's record, the people the child may call, and cards; `cards`: one card, one owner.
- `roster_columns`, `roster_import`, `roster_export`: the spreadsheet as schools head it, in and out.
"""
