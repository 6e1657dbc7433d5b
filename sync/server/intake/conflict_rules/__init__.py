"""What the centre does with the kiosks' facts once they are stored: the conflict rules.

The kiosks are the authority for what happened in their room, the centre for roster, cards and
catalogue. Where the two meet, both facts are kept and a conflict row asks the administrator to look;
nothing is dropped or overwritten silently:

- copy_lent_twice: two kiosks lent one copy for overlapping (corrected) times while offline. Found in
  whatever order borrows and returns arrive; a late return that shows the loans did not overlap clears it.
- card_used_after_central_change: a child signed in with a card the centre had already reassigned or
  marked lost/retired before that moment. The visit stays; the centre's card stays.
- card_registration_clash: a kiosk gave out a card the centre had given to someone else. The centre's
  assignment stays; the kiosk will get it back on its next pull.
- kiosk_change_superseded: a kiosk changed a card or a copy's status, but the centre changed the same
  row later than that. The centre's later change stays.
- unknown_reference: the fact names a child, callee, copy, card or staff member this school does not have.

A kiosk's card registration, lost report or copy status change that does not clash is applied to the
central row, so the other kiosks of the school pull it.

Modules: batch (what a batch names, loaded once), centre (cards and copies, in seq order), loans (loan
facts and double lending), flags (conflicts written once per batch).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from sync.server.intake.conflict_rules.batch import FactBatch
from sync.server.intake.conflict_rules.centre import apply_in_order, flag_unknown_references
from sync.server.intake.conflict_rules.loans import apply_loans
from sync.server.intake.event_store import StoredEvent


def apply_facts(session: Session, events: Sequence[StoredEvent]) -> int:
    """Apply one device's newly stored events (in seq order) and flag conflicts; returns how many new
    conflicts were flagged."""
    if not events:
        return 0
    batch = FactBatch(session, events)
    flag_unknown_references(batch)
    apply_in_order(batch)
    apply_loans(batch)
    return batch.flags.save(session)
