"""Event ids are UUIDs of version 7: unique without coordination, and in the order they were made."""

from __future__ import annotations

import time
import uuid

from db.ids import time_ordered_id


def test_ids_are_rfc_9562_version_7() -> None:
    made = time_ordered_id()
    assert made.version == 7 and made.variant == uuid.RFC_4122
    assert abs((made.int >> 80) - time.time_ns() // 1_000_000) < 5_000  # the first 48 bits: now, in ms


def test_ids_made_later_sort_later_and_never_repeat() -> None:
    earlier = [time_ordered_id() for _ in range(1000)]
    time.sleep(0.002)
    later = time_ordered_id()
    assert all(e < later for e in earlier)
    assert str(max(earlier)) < str(later)  # also as text, the way SQLite stores a UUID
    assert len(set(earlier)) == len(earlier)
