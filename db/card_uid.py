"""How a card UID is spelled, once for every side: the readers (hardware), the kiosk's services and the
school office, which takes the number an administrator types from a reader's printout.

A card the office registers must match the spelling the kiosk's readers produce, or a child's tap
would never find it; so both use this function. Pure: no database, nothing imported.
"""

from __future__ import annotations


def normalise_uid(raw: str) -> str:
    """One spelling per card, whatever the reader: upper-case, no separators or whitespace.

    Readers print the same UID as `04:a2:b3:c4`, `04 A2 B3 C4` or `04a2b3c4`; the cards table stores
    exactly one of those spellings, so every adapter funnels through here.
    """
    cleaned = "".join(ch for ch in raw.strip() if ch not in " :-\t\r\n").upper()
    if not cleaned or not cleaned.isalnum() or not cleaned.isascii():
        raise ValueError(f"not a card UID: {raw!r}")
    return cleaned
