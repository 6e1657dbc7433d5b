"""Refusals: the service said no, nothing was written, and the UI can say why in the child's language.

Each refusal has a stable `code` (the i18n key is `refusal.<code>`) and the parameters its message
needs. Parameters never include a child's name or a phone number, because refusals get logged.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Refusal(Exception):
    code: ClassVar[str] = "refused"

    def __init__(self, **params: Any) -> None:
        self.params = params
        detail = ", ".join(f"{k}={v}" for k, v in params.items())
        super().__init__(f"{self.code}({detail})" if detail else self.code)


class UnknownChild(Refusal):
    code = "unknown_child"


class ChildInactive(Refusal):
    code = "child_inactive"


class UnknownStaff(Refusal):
    code = "unknown_staff"


class WrongPin(Refusal):
    code = "wrong_pin"  # params: attempts_left


class PinLocked(Refusal):
    code = "pin_locked"  # params: minutes


class PinSealedElsewhere(Refusal):
    """This staff member's PIN was sealed with another device key (db.pin_seal): it cannot be
    checked on this kiosk until the school's server sends it again (set the PIN anew there)."""

    code = "pin_sealed_elsewhere"


class CalleeNotAllowed(Refusal):
    code = "callee_not_allowed"


class CallAlreadyOpen(Refusal):
    code = "call_already_open"


class LineBusy(Refusal):
    code = "line_busy"  # params: kind


class UnknownCall(Refusal):
    code = "unknown_call"


class CallAlreadyEnded(Refusal):
    code = "call_already_ended"


class NotInCatalogue(Refusal):
    code = "not_in_catalogue"  # params: barcode


class UnknownItem(Refusal):
    code = "unknown_item"


class CopyNotLendable(Refusal):
    code = "copy_not_lendable"  # params: title, status


class AlreadyOnLoan(Refusal):
    code = "already_on_loan"  # params: title


class NoCopyAvailable(Refusal):
    code = "no_copy_available"  # params: title


class LoanLimitReached(Refusal):
    code = "loan_limit_reached"  # params: kind, limit


class HasOverdueLoans(Refusal):
    code = "has_overdue_loans"  # params: count


class NotOnLoan(Refusal):
    code = "not_on_loan"  # params: barcode, title


class RoomAlreadyOpen(Refusal):
    code = "room_already_open"


class RoomNotOpen(Refusal):
    code = "room_not_open"


class CardAlreadyRegistered(Refusal):
    code = "card_already_registered"


class CardInUse(Refusal):
    code = "card_in_use"


class UnknownCard(Refusal):
    code = "unknown_card"


class InvalidCardUid(Refusal):
    code = "invalid_card_uid"


class CardUidTooLong(Refusal):
    """A card whose number does not fit the cards tables (db.limits): refused here, where it is
    registered, instead of being recorded and then refused by the server."""

    code = "card_uid_too_long"  # params: limit


class UnusableBarcode(Refusal):
    code = "unusable_barcode"  # params: limit (a label has 1 to `limit` characters)


class StocktakeAlreadyOpen(Refusal):
    code = "stocktake_already_open"


class StocktakeNotOpen(Refusal):
    code = "stocktake_not_open"


class InvalidSetting(Refusal):
    code = "invalid_setting"  # params: key, problem


class SetBySchool(Refusal):
    """The school office set this rule for all its kiosks; it is changed there, not on one kiosk."""

    code = "set_by_school"  # params: key


class InvalidCallTimes(Refusal):
    code = "invalid_call_times"


# -- incoming calls and the phone queue --------------------------------------------------------------


class CallerRequired(Refusal):
    """An incoming call (亲情热线) is logged with who rang: without a caller it is no record at all."""

    code = "caller_required"


class NotYourTurn(Refusal):
    """Children are waiting for the phone; this child is not the one called (the queue stays fair)."""

    code = "not_your_turn"


# -- TV / VCD showings ------------------------------------------------------------------------------------


class ShowingAlreadyOpen(Refusal):
    code = "showing_already_open"


class NoShowingOpen(Refusal):
    code = "no_showing_open"


class AlreadyWatching(Refusal):
    code = "already_watching"


class InvalidShowing(Refusal):
    code = "invalid_showing"  # params: limit (the title has 1 to `limit` characters)


# -- damage and compensation ------------------------------------------------------------------------------


class NotTheBorrower(Refusal):
    """Damaged or lost is charged to the borrower, so only the borrower (after tapping their own card) or
    an administrator may say so; anyone may still bring a thing back in good order."""

    code = "not_the_borrower"


class InvalidAmount(Refusal):
    code = "invalid_amount"  # params: yuan (the largest amount accepted)


class UnknownDamage(Refusal):
    code = "unknown_damage"


class DamageAlreadySettled(Refusal):
    code = "damage_already_settled"


class AmountNotAgreed(Refusal):
    code = "amount_not_agreed"


class ReturnItFirst(Refusal):
    """A copy still on loan is recorded as damaged or lost by returning it (the loan then closes)."""

    code = "return_it_first"  # params: title


# -- emergencies --------------------------------------------------------------------------------------------


class UnknownIncident(Refusal):
    code = "unknown_incident"


class AlreadyNotified(Refusal):
    """Each notice is ticked once, with the time it was done; a second tick would rewrite that time."""

    code = "already_notified"  # params: party


# -- the disk (kiosk.services.storage) ----------------------------------------------------------------


class DiskFull(Refusal):
    code = "disk_full"  # params: path (the data folder)


class DataFolderReadOnly(Refusal):
    code = "data_read_only"  # params: path (the data folder)


class DatabaseLocked(Refusal):
    code = "database_locked"  # params: path


class DatabaseDamaged(Refusal):
    code = "database_damaged"  # params: path


class DatabaseCannotOpen(Refusal):
    code = "database_cannot_open"  # params: path


class DatabaseIsAFolder(Refusal):
    code = "database_is_a_folder"  # params: path (a folder where the database file should be)


class DatabaseInUse(Refusal):
    """Another of the kiosk, `restore-backup` and `migrate` runs on this database
    (kiosk.services.database_lock)."""

    code = "database_in_use"  # params: path, holder, pid


class DeviceKeyUnavailable(Refusal):
    code = "device_key_unavailable"  # params: reason (the technician's words, English)


class EnrolmentFailed(Refusal):
    code = "enrolment_failed"  # params: reason (kiosk.services.enrolment.enrolment_reason)


# -- issue 20: calls that stay open, the queue in the teacher's hands, the room's opening -------------


class FinishCallFirst(Refusal):
    """A call came in while the child's own call is still open: she ends hers first (her screen takes
    her back to it); nothing is logged meanwhile."""

    code = "finish_call_first"  # params: kind (of her open call)


class PhoneInUse(Refusal):
    """The teacher asked to call the next child while every phone is in use: end that call first."""

    code = "phone_in_use"


class NobodyWaiting(Refusal):
    code = "nobody_waiting"


class UnknownPlace(Refusal):
    """No such place in the phone queue (the child left it meanwhile)."""

    code = "unknown_place"
