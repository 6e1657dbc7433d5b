"""A text console over the same services as the touchscreen: for SSH, set-up and headless checks.

Type a card number (what a keyboard-wedge reader would type) and press Enter to tap. Everything goes
through kiosk.services, so the console and the Kivy UI cannot disagree about a rule.
"""

from __future__ import annotations

import getpass
import sys
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from db.enums import CallKind, CallReason, ItemKind, ReturnCondition
from kiosk.platform.words import contact_reminder, duration_text, refusal_message, translate
from kiosk.services import calls, cards, child_menu, loans, reports, room, signin, signout, staff
from kiosk.services.errors import Refusal
from kiosk.services.open_calls import OpenCall
from kiosk.services.room_settings import load_settings
from kiosk.services.uow import UnitOfWork

T = TypeVar("T")
EQUIPMENT_KINDS = (ItemKind.SPORTS, ItemKind.CHESS, ItemKind.OTHER)


def secret_reader(read: Callable[[str], str]) -> Callable[[str], str]:
    """How the console asks for a PIN: without echo on a terminal (getpass), as any other line when
    its input is a pipe or a test's reader (nothing is echoed there anyway)."""
    if read is input and sys.stdin.isatty():
        return getpass.getpass
    return read


class Console:
    def __init__(
        self,
        uow: UnitOfWork,
        locale: str = "zh_CN",
        read: Callable[[str], str] = input,
        write: Callable[[str], None] = print,
        read_secret: Callable[[str], str] | None = None,
    ) -> None:
        self.uow = uow
        self.locale = locale
        self._read = read
        self._write = write
        self._read_secret = read_secret or secret_reader(read)

    def t(self, key: str, **params: object) -> str:
        return translate(key, self.locale, **params)

    def run(self) -> None:
        self._write(f"== {self.t('app.title')} ==")
        self._write(self.t("console.help"))
        while True:
            try:
                line = self._read(f"{self.t('idle.tap_card')} > ").strip()
            except EOFError:
                break
            if line.lower() in ("q", "quit", "exit"):
                break
            if line:
                self.attempt(lambda uid=line: self.tap(uid))  # a full card refuses the tap, not the console
        self._write(self.t("console.bye"))

    def tap(self, uid: str) -> None:
        result = signin.tap_card(self.uow, uid)
        match result:
            case signin.SignedIn(child=child):
                self._write(self.t("tap.signed_in", name=child.name))
                if result.birthday_today:
                    self._write(self.t("tap.birthday"))
                self.child_menu(child.id)
            case signin.StillSignedIn(child=child):
                self._write(self.t("tap.still_signed_in", name=child.name))
                self.child_menu(child.id)
            case signin.AskSignOut(child=child):
                self._write(self.t("tap.ask_sign_out", name=child.name))
                if self.choose(["sign_out.yes", "sign_out.no"], lambda key: self.t(key)) == "sign_out.yes":
                    out = signout.sign_out(self.uow, child.id)
                    if out is not None:
                        self._write(self.t("tap.signed_out", name=child.name, minutes=out.minutes))
                        return
                self.child_menu(child.id)
            case signin.BackToCall(call=call):
                self.talk(call)
            case signin.RoomClosedTapped():
                self._write(self.t("tap.room_closed"))
            case signin.StaffCardTapped(staff_id=staff_id, name=name):
                self._write(self.t("tap.staff_card", name=name))
                self.admin_login(staff_id)
            case signin.UnknownCardTapped():
                self._write(self.t("tap.unknown_card"))
            case signin.InactiveCardTapped():
                self._write(self.t("tap.inactive_card"))

    # -- the child's menu ------------------------------------------------------------------------
    def child_menu(self, child_id: uuid.UUID) -> None:
        actions = {
            "menu.call": lambda: self.family_call(child_id),
            "menu.borrow": lambda: self.borrow(child_id),
            "menu.return": lambda: self.give_back(child_id),
        }
        while True:
            choice = self.choose(list(actions) + ["menu.done"], lambda key: self.t(key))
            if choice is None or choice == "menu.done":
                return
            self.attempt(actions[choice])

    def family_call(self, child_id: uuid.UUID) -> None:
        due = child_menu.menu_for(self.uow, child_id).remind_to_call  # her own words, once she asks
        if due:
            self._write(contact_reminder(due, self.locale))
        callees = calls.callees_for(self.uow, child_id)
        self._write(self.t("call.pick_callee"))
        callee = self.choose(
            callees, lambda c: f"{self.t('relation.' + c.relation.value)} {c.name} (…{c.phone_tail})"
        )
        if callee is None:
            return
        self._write(self.t("call.pick_kind"))
        kind = self.choose(list(CallKind), lambda k: self.t(f"kind.{k.value}"))
        if kind is None:
            return
        self._write(self.t("call.pick_reason"))
        reason = self.choose(list(CallReason), lambda r: self.t(f"reason.{r.value}"), allow_skip=True)
        self.talk(calls.start_family_call(self.uow, child_id, callee.contact_id, kind, reason))

    def talk(self, call: OpenCall) -> None:
        """The open call (just started, or brought back by her card): the number, then Enter ends it."""
        self._write(self.t("call.logged_dial", number=call.number_to_dial))
        self._write(self.t("call.ends_by", time=self.clock_time(call.ends_by)))
        self._read(f"[{self.t('call.end_button')}: Enter] ")
        closed = calls.end_family_call(self.uow, call.call_id)
        self._write(self.t("call.ended", duration=duration_text(closed.seconds, self.locale)))

    def borrow(self, child_id: uuid.UUID) -> None:
        code = self._read(f"{self.t('borrow.scan')} > ").strip()
        if not code:
            return
        receipt = loans.borrow_copy(self.uow, child_id, code)
        if receipt.kind in EQUIPMENT_KINDS:
            self._write(self.t("borrow.done_equipment", title=receipt.title))
        else:
            self._write(self.t("borrow.done", title=receipt.title, due=receipt.due_date.isoformat()))

    def give_back(self, child_id: uuid.UUID) -> None:
        code = self._read(f"{self.t('return.scan')} > ").strip()
        if not code:
            return
        self._write(self.t("return.condition"))
        condition = self.choose(list(ReturnCondition), lambda c: self.t(f"condition.{c.value}"))
        if condition is None:
            return
        told = loans.return_by_child(self.uow, code, condition, child_id)
        if told.see_teacher:
            self._write(self.t("return.see_teacher", title=told.title))
            return
        self._write(self.t("return.done", title=told.title))
        if told.days_overdue:
            self._write(self.t("return.overdue", days=told.days_overdue))

    # -- administrator ---------------------------------------------------------------------------
    def admin_login(self, staff_id: uuid.UUID) -> None:
        pin = self._read_secret(f"{self.t('admin.pin')} > ").strip()
        try:
            session = staff.verify_staff_pin(self.uow, staff_id, pin)
        except Refusal as refusal:
            self._write(refusal_message(refusal, self.locale))
            return
        self._write(self.t("admin.welcome", name=session.name))
        actions: dict[str, Callable[[], None]] = {
            "admin.visits_today": self.show_visits,
            "admin.calls_today": self.show_calls,
            "admin.overdue": self.show_overdue,
            "admin.contact_due": self.show_contact_due,
            "admin.open_room": lambda: self.open_room(staff_id),
            "admin.close_room": lambda: self.close_room(staff_id),
            "admin.register_card": lambda: self.register_card(staff_id),
        }
        while True:
            choice = self.choose(list(actions) + ["admin.logout"], lambda key: self.t(key))
            if choice is None or choice == "admin.logout":
                return
            self.attempt(actions[choice])

    def show_visits(self) -> None:
        lines = [
            f"{self.clock_time(v.signed_in_at)} {v.class_name} {v.child_name}"
            for v in reports.visits_on(self.uow)
        ]
        self.show_lines(lines)

    def show_calls(self) -> None:
        self.show_lines(
            [
                f"{self.clock_time(c.started_at)} {c.class_name} {c.child_name}"
                f" → {self.t('relation.' + c.relation.value)}"
                for c in reports.calls_on(self.uow)
            ]
        )

    def show_overdue(self) -> None:
        self.show_lines(
            [
                f"{o.class_name} {o.child_name}: {o.title} ({o.barcode}) +{o.days_overdue}"
                for o in reports.overdue_loans(self.uow)
            ]
        )

    def show_contact_due(self) -> None:
        self.show_lines(
            [
                f"{d.class_name} {d.name}: {'—' if d.days_since is None else d.days_since}"
                for d in reports.contact_due_list(self.uow)
            ]
        )

    def open_room(self, staff_id: uuid.UUID) -> None:
        room.open_room(self.uow, staff_id)
        self._write(self.t("admin.room_opened"))

    def close_room(self, staff_id: uuid.UUID) -> None:
        summary = room.close_room(self.uow, staff_id)
        self._write(self.t("admin.room_closed", minutes=summary.minutes_open))

    def register_card(self, admin_id: uuid.UUID) -> None:
        uid = self._read(f"{self.t('idle.tap_card')} > ").strip()
        name = self._read(f"{self.t('admin.find_child')} > ").strip()
        if not uid or not name:
            return
        child = self.choose(reports.find_children(self.uow, name), lambda c: f"{c.class_name} {c.name}")
        if child is None:
            return
        cards.register_card(self.uow, admin_id, uid, child_id=child.id)
        self._write(self.t("admin.card_registered"))

    # -- helpers ---------------------------------------------------------------------------------
    def clock_time(self, moment: datetime) -> str:
        """HH:MM at the school (its time-zone setting), as the touchscreen shows it: the machine's own
        zone may be UTC, or whatever the person at the SSH terminal has."""
        with self.uow.read() as session:
            zone = load_settings(session).zone
        return f"{moment.astimezone(zone):%H:%M}"

    def show_lines(self, lines: Sequence[str]) -> None:
        for line in lines or [self.t("admin.none")]:
            self._write(f"  {line}")

    def attempt(self, action: Callable[[], object]) -> None:
        """Run one action; a refusal is shown, not raised, and changed nothing."""
        try:
            action()
        except Refusal as refusal:
            self._write(refusal_message(refusal, self.locale))

    def choose(self, options: Sequence[T], label: Callable[[T], str], allow_skip: bool = False) -> T | None:
        if not options:
            self._write(f"  {self.t('admin.none')}")
            return None
        for number, option in enumerate(options, start=1):
            self._write(f"  {number}. {label(option)}")
        if allow_skip:
            self._write("  0. —")
        while True:
            try:
                text = self._read(self.t("console.choose")).strip()
            except EOFError:
                return None
            if allow_skip and text == "0":
                return None
            if text.isdigit() and 1 <= int(text) <= len(options):
                return options[int(text) - 1]
            if text == "":
                return None
            self._write(self.t("console.invalid_choice"))
