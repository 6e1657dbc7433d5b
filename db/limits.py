"""The sizes a value may have, once for the kiosk's columns, the server's columns and the event schemas.

Anything a kiosk can record must fit where the server stores it. A card UID the kiosk accepted but the
server's column could not hold used to fail every push after it; with one number here, the kiosk refuses
it where it is entered (kiosk.services), the event schema refuses it on both sides (db.events), and the
columns are sized from the same constant.
"""

from __future__ import annotations

CARD_UID_MAX = 32  # longer than any real UID spelling (7 bytes of hex = 14, EM4100 decimal = 10)
BARCODE_MAX = 40  # the room's labels (TS000001, QC000642) and ISBN barcodes, with room to spare
INT32_MAX = 2**31 - 1  # an Integer column on PostgreSQL: money in fen, counts
SHOWING_CONTENT_MAX = 60  # 观看内容: a programme's title, picked from the school's list
