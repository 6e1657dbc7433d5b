"""亲情电话: pick who (only the people the school allows), phone or video, optionally why — then the call
is logged and only then is the number shown (先记载再打亲情电话). The full number is on screen only
while this child's call is open, and only while someone is using the screen: after
`number_visible_seconds` without a touch it is masked (the child may have walked away and the next one
be looking), and a touch anywhere shows it again. A gentle countdown runs to the school's time limit.

The room has one phone: a child who finds it busy is given a place in the queue (kiosk.services.
call_queue) and told it — their number, how many are ahead, a rough wait — and may still make a video
call, which is not the phone's queue."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock, ClockEvent
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from db.enums import CallEnd, CallKind, CallReason, Relation
from kiosk.platform.words import contact_reminder, duration_text
from kiosk.services.call_queue import GoAhead, OnTheLine, PhoneAnswer, Waiting
from kiosk.services.calls import CalleeChoice, ClosedCall, OpenCall
from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.audio.cues import Phrase
from kiosk.ui.controller import Refused
from kiosk.ui.markup import Markup, bold, sized
from kiosk.ui.pictures import call_kind_picture, choice_picture, reason_picture, relation_picture
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Banner, FitText, Panel, Text, button, px, tile

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost

RELATION_COLOURS = {"father": theme.PRIMARY, "mother": theme.BIRTHDAY, "temporary_guardian": theme.CALL}
LAST_MINUTE = 60  # seconds: the countdown turns amber and says goodbye gently
BUSY_CODES = ("line_busy", "not_your_turn")


class CallScreen(KioskScreen):
    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="call", **kwargs)
        self.child_id: uuid.UUID | None = None
        self.callee: CalleeChoice | None = None
        self.kind: CallKind | None = None
        self.preset_kind: CallKind | None = None  # video chosen from the queue's screen
        self.open_call: OpenCall | None = None
        self.reminder = ""  # due a family call: the gentle words, for this child only
        self._ticker: ClockEvent | None = None
        self.number: FitText | None = None
        self.number_hint = FitText()
        self._mask_timer: ClockEvent | None = None
        root = BoxLayout(orientation="vertical", padding=px(14), spacing=px(theme.GAP))
        head = self.header(self.t("menu.call"), self._back)
        self.back_button = head.children[-1]  # the first widget added: 返回
        self._back_width = self.back_button.width
        root.add_widget(head)
        self.banner = Banner()
        root.add_widget(self.banner)
        self.prompt = Text(font_size=px(theme.FONT_BIG), halign="center")
        root.add_widget(self.prompt)
        self.body = BoxLayout(spacing=px(theme.GAP))
        root.add_widget(self.body)
        self.add_widget(root)

    @property
    def timeout_kind(self) -> str | None:  # type: ignore[override]
        # While a call is open the time limit closes it; the screen must not jump away mid-call.
        return None if self.open_call else "child"

    # -- steps ------------------------------------------------------------------------------------
    def start(self, child_id: uuid.UUID, remind_to_call: tuple[Relation, ...] = ()) -> None:
        """`remind_to_call`: she is due a family call; the words for it (named from her family) are
        said here, on her own call screen, not on the menu anyone near can read."""
        self.forget()
        self.child_id = child_id
        self.reminder = contact_reminder(remind_to_call, self.app.locale)
        self.ctrl.ask_for_phone(child_id, self._phone_answer)

    def resume(self, call: OpenCall) -> None:
        """Her call is still open (another child tapped meanwhile, or the kiosk restarted): the same
        call again, number, countdown and 结束通话, until she ends it or the time limit does."""
        self.forget()
        self.child_id = call.child_id
        self._opened(call)

    def _phone_answer(self, answer: PhoneAnswer) -> None:
        if self.child_id is None:
            return
        if isinstance(answer, OnTheLine):
            self._opened(answer.call)
        elif isinstance(answer, GoAhead):
            self.ctrl.callees(self.child_id, self._pick_callee)
            if answer.called:
                self.banner.show(self.t("queue.your_turn"), "good")
                self.app.sounds.say(Phrase.YOUR_TURN)
        else:
            self._show_place(answer)
            self.app.sounds.say(Phrase.WAIT_TURN)

    def _show_place(self, place: Waiting) -> None:
        """The child's own place: their number, how many are ahead, a rough wait; nothing about others."""
        self._step(self.t("queue.busy"))
        panel = Panel(orientation="vertical")
        panel.add_widget(
            FitText(text=self.t("queue.ticket", ticket=place.ticket), font_size=px(48), color=theme.CALL)
        )
        ahead = self.t("queue.next") if place.place == 1 else self.t("queue.ahead", count=place.place - 1)
        panel.add_widget(FitText(text=ahead, font_size=px(theme.FONT_BIG)))
        panel.add_widget(
            FitText(text=self.t("queue.wait", minutes=place.wait_minutes), font_size=px(theme.FONT_BIG))
        )
        panel.add_widget(Text(text=self.t("queue.how"), halign="center", color=theme.INK_SOFT))
        column = BoxLayout(orientation="vertical", spacing=px(theme.GAP))
        column.add_widget(panel)
        row = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(theme.GAP))
        row.add_widget(
            button(self.t("queue.ok"), theme.GOOD, self.app.back_to_child, font_size=px(theme.FONT_BODY))
        )
        row.add_widget(
            button(
                self.t("queue.video_instead"),
                theme.PRIMARY,
                self._video_instead,
                font_size=px(theme.FONT_BODY),
            )
        )
        row.add_widget(
            button(self.t("queue.leave"), theme.NEUTRAL, self._leave_queue, font_size=px(theme.FONT_BODY))
        )
        column.add_widget(row)
        self.body.add_widget(column)

    def _video_instead(self) -> None:
        if self.child_id is not None:
            self.preset_kind = CallKind.VIDEO
            self.ctrl.callees(self.child_id, self._pick_callee)

    def _leave_queue(self) -> None:
        if self.child_id is not None:
            self.ctrl.leave_queue(self.child_id, lambda _: self.app.back_to_child())

    def _pick_callee(self, callees: list[CalleeChoice]) -> None:
        self._step(self.t("call.pick_callee"))
        if not callees:
            self.banner.show(self.t("call.no_callees"), "warn")
            self.app.sounds.say(Phrase.ASK_TEACHER)
            return
        if self.reminder:  # due a family call: the words, for her, on her own screen
            self.banner.show("♥ " + self.reminder, "info")
        self.app.sounds.say(Phrase.CHOOSE)
        for callee in callees:
            relation = self.t(f"relation.{callee.relation.value}")
            text = Markup("\n").join(
                [
                    sized(bold(relation), px(theme.FONT_TITLE)),
                    callee.name,
                    sized(self.t("call.tail", tail=callee.phone_tail), px(theme.FONT_SMALL)),
                ]
            )
            colour = RELATION_COLOURS.get(callee.relation.value, theme.CALL)
            self.body.add_widget(
                tile(
                    relation_picture(callee.relation),
                    text,
                    colour,
                    lambda c=callee: self._picked(c),
                    caption_size=theme.FONT_BODY,
                )
            )

    def _picked(self, callee: CalleeChoice) -> None:
        if self.preset_kind is None:
            self._pick_kind(callee)
        else:
            self.callee = callee
            self._pick_reason(self.preset_kind)

    def _pick_kind(self, callee: CalleeChoice) -> None:
        self.callee = callee
        self._step(self.t("call.pick_kind"))
        for kind, colour in ((CallKind.PHONE, theme.CALL), (CallKind.VIDEO, theme.PRIMARY)):
            self.body.add_widget(
                tile(
                    call_kind_picture(kind),
                    self.t(f"kind.{kind.value}"),
                    colour,
                    lambda k=kind: self._pick_reason(k),
                )
            )

    def _pick_reason(self, kind: CallKind) -> None:
        self.kind = kind
        self._step(self.t("call.pick_reason"))
        grid = GridLayout(cols=3, spacing=px(theme.GAP))
        for reason in CallReason:
            grid.add_widget(
                tile(
                    reason_picture(reason),
                    self.t(f"reason.{reason.value}"),
                    theme.BOOKS,
                    lambda r=reason: self._start(r),
                    caption_size=theme.FONT_BODY,
                    beside=True,
                )
            )
        column = BoxLayout(orientation="vertical", spacing=px(theme.GAP))
        column.add_widget(grid)
        column.add_widget(
            tile(
                choice_picture("no_reason"),
                self.t("call.no_reason"),
                theme.CALL,
                lambda: self._start(None),
                caption_size=theme.FONT_BODY,
                beside=True,
                size_hint_y=0.45,
            )
        )
        self.body.add_widget(column)

    def _start(self, reason: CallReason | None) -> None:
        if self.child_id is None or self.callee is None or self.kind is None:
            return
        self.ctrl.start_call(
            self.child_id,
            self.callee.contact_id,
            self.kind,
            reason,
            self._opened,
            self._refused,
        )

    def _refused(self, refused: Refused) -> None:
        """The phone was taken meanwhile (or others wait): a place in the queue, not a dead end."""
        if refused.code in BUSY_CODES and self.kind is CallKind.PHONE and self.child_id is not None:
            self.ctrl.ask_for_phone(self.child_id, self._phone_answer)
        else:
            self.banner.show(refused.message, "warn")

    def _opened(self, call: OpenCall) -> None:
        if call.child_id != self.child_id:
            return  # another child tapped meanwhile; the time limit will close it (app.call_guard)
        self.open_call = call
        self.app.call_guard.watch(call, (call.ends_by - self.ctrl.now()).total_seconds())
        # The call lives as long as the call: no inactivity limit while it is open (timeout_kind).
        self.app.restart_inactivity()
        # No leaving mid-call except by 结束通话: the call must be ended to be recorded.
        self._show_back(False)
        self._step(self.t("call.logged"))
        self.app.sounds.say(Phrase.CALL_NOW)
        panel = Panel(orientation="vertical")
        relation = self.t(f"relation.{call.relation.value}")
        panel.add_widget(
            FitText(
                text=Markup(" ").join([relation, call.callee_name, "·", self.t("kind." + call.kind.value)]),
                font_size=px(theme.FONT_BIG),
            )
        )
        # The number is what she dials from: it takes the panel's largest share, or the equal rows of a
        # vertical box would shrink it to the size of the words around it.
        self.number = FitText(font_size=px(60), color=theme.CALL, size_hint_y=2.2)
        panel.add_widget(self.number)
        self.number_hint = FitText(font_size=px(theme.FONT_BODY), color=theme.CALL)
        panel.add_widget(self.number_hint)
        self._show_number()
        self.countdown = FitText(font_size=px(theme.FONT_BIG), color=theme.INK_SOFT)
        panel.add_widget(self.countdown)
        self._tick()
        self._ticker = Clock.schedule_interval(lambda _dt: self._tick(), 1)
        column = BoxLayout(orientation="vertical", spacing=px(theme.GAP))
        column.add_widget(panel)
        column.add_widget(
            button(
                self.t("call.end_button"),
                theme.LEAVE,
                self._end,
                size_hint_y=None,
                height=px(76),
                font_size=px(theme.FONT_TITLE),
            )
        )
        self.body.add_widget(column)

    def _tick(self) -> None:
        """A gentle countdown: minutes and seconds left; in the last minute, time to say goodbye."""
        call = self.open_call
        if call is None:
            return
        left = (call.ends_by - self.ctrl.now()).total_seconds()
        ends_by = fmt.clock_text(call.ends_by, self.app.zone)
        if left <= LAST_MINUTE:
            self.countdown.text = self.t("call.last_minute", left=fmt.countdown_text(left))
            self.countdown.color = theme.WARN
        else:
            self.countdown.text = self.t("call.remaining", left=fmt.countdown_text(left), time=ends_by)
            self.countdown.color = theme.INK_SOFT

    def _stop_ticking(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None

    def on_touch_down(self, touch: Any) -> bool:
        if self.open_call is not None:
            self._show_number()  # whoever touches the screen is using it: the number again, for a while
        return bool(super().on_touch_down(touch))

    def _show_number(self) -> None:
        if self.open_call is None or self.number is None:
            return
        self.number.text = bold(fmt.phone_text(self.open_call.number_to_dial))
        self.number_hint.text = ""
        self._cancel_mask()
        self._mask_timer = Clock.schedule_once(lambda _dt: self._mask_number(), self._visible_seconds)

    def _mask_number(self) -> None:
        self._mask_timer = None
        if self.open_call is None or self.number is None:
            return
        self.number.text = bold(fmt.masked_phone_text(self.open_call.number_to_dial))
        self.number_hint.text = self.t("call.tap_to_show")

    def _cancel_mask(self) -> None:
        if self._mask_timer is not None:
            self._mask_timer.cancel()
            self._mask_timer = None

    @property
    def _visible_seconds(self) -> float:
        return float(self.app.kconfig.number_visible_seconds)

    def _end(self) -> None:
        if self.open_call is not None:
            self.app.call_guard.end(self.open_call.call_id, CallEnd.HUNG_UP)

    def call_ended(self, call_id: uuid.UUID, closed: ClosedCall | None, by_limit: bool) -> None:
        """The app's call guard reports the end (button, or the time limit)."""
        if self.open_call is None or self.open_call.call_id != call_id:
            return
        self._stop_ticking()
        self.open_call = None
        self._cancel_mask()
        self.number = None
        self._show_back(True)
        duration = duration_text(closed.seconds if closed else 0, self.app.locale)
        self._step(self.t("call.time_up") if by_limit else "")
        self.banner.show(self.t("call.ended", duration=duration), "good")
        self.app.sounds.say(Phrase.CALL_ENDED)
        self.body.add_widget(
            button(self.t("menu.done"), theme.NEUTRAL, self.app.back_to_child, font_size=px(theme.FONT_TITLE))
        )
        self.app.restart_inactivity()

    def _show_back(self, shown: bool) -> None:
        """返回 hidden during a call gives its room to the title: a blank gap where it was reads as
        something missing."""
        self.back_button.opacity, self.back_button.disabled = (1, False) if shown else (0, True)
        self.back_button.width = self._back_width if shown else 0

    def _back(self) -> None:
        if self.open_call is None:
            self.app.back_to_child()

    def _step(self, prompt: str) -> None:
        self.banner.show("")
        self.prompt.text = prompt
        self.body.clear_widgets()

    def forget(self) -> None:
        self._stop_ticking()
        self.child_id = None
        self.reminder = ""
        self.callee = None
        self.kind = None
        self.preset_kind = None
        self.open_call = None
        self._cancel_mask()
        self.number = None
        self._show_back(True)
        self._step("")
