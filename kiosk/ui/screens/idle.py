"""请刷卡: the public screen. Clock, today's room schedule, the sync badge, and nothing about any child
(不歧视: who has or has not called home is never shown here) — except the child called to the phone,
by ticket number and given name only, and how many are waiting."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kivy.clock import Clock, ClockEvent
from kivy.graphics import Color, Line, RoundedRectangle
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget

from kiosk.services.call_queue import QueueBoard
from kiosk.services.days import local_date
from kiosk.ui import format as fmt
from kiosk.ui import theme
from kiosk.ui.controller import IdleInfo
from kiosk.ui.markup import Markup, bold, coloured
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Banner, FitText, Panel, button, px
from sync.client.status import SyncStatus

if TYPE_CHECKING:
    from kiosk.ui.host import ScreenHost

Action = tuple[str, Callable[[], None]]  # a button's words and what it does


class CardPicture(Widget):
    """A student card with the "tap here" waves, drawn on the canvas (no image files, no emoji)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with self.canvas:
            Color(*theme.PRIMARY)
            self._card = RoundedRectangle()
            Color(1, 1, 1, 1)
            self._photo = RoundedRectangle()
            self._line1 = RoundedRectangle()
            self._line2 = RoundedRectangle()
            Color(*theme.BOOKS)
            self._waves = [Line(width=px(4)) for _ in range(3)]
        self.bind(pos=self._draw, size=self._draw)

    def _draw(self, *_: Any) -> None:
        h = max(0.0, min(self.height, self.width / 2.2))  # never outside its own box
        w = h * 1.55
        x, y = self.center_x - (w + h * 0.7) / 2, self.center_y - h / 2
        self._card.pos, self._card.size, self._card.radius = (x, y), (w, h), [h * 0.12]
        self._photo.pos, self._photo.size, self._photo.radius = (
            (x + w * 0.08, y + h * 0.25),
            (w * 0.28, h * 0.5),
            [4],
        )
        self._line1.pos, self._line1.size = (x + w * 0.44, y + h * 0.58), (w * 0.44, h * 0.1)
        self._line2.pos, self._line2.size = (x + w * 0.44, y + h * 0.34), (w * 0.3, h * 0.1)
        cx, cy = x + w + h * 0.05, y + h / 2
        for i, wave in enumerate(self._waves):
            wave.circle = (cx, cy, h * (0.2 + 0.17 * i), 45, 135)


class IdleScreen(KioskScreen):
    """Everything keeps its place: the queue's call and the "tap here" card share one stage whose
    size never changes, and a message takes the hint's own line; only the stage's drawing shrinks."""

    timeout_kind = None

    def __init__(self, app: ScreenHost, **kwargs: Any) -> None:
        super().__init__(app, name="idle", **kwargs)
        self.zone = ZoneInfo("Asia/Shanghai")
        self._look_again: ClockEvent | None = None
        self._clear_banner: ClockEvent | None = None
        self._called: set[int] = set()  # tickets already called aloud
        root = BoxLayout(orientation="vertical", padding=px(12), spacing=px(theme.GAP))
        top = BoxLayout(size_hint_y=None, height=px(60), spacing=px(theme.GAP))
        top.add_widget(
            FitText(
                text=bold(self.t("app.title")),
                font_size=px(theme.FONT_TITLE),
                halign="left",
                color=theme.PRIMARY,
            )
        )
        self.date_label = FitText(font_size=px(theme.FONT_BODY), halign="right", color=theme.INK_SOFT)
        self.clock_label = FitText(
            text="--:--", font_size=px(theme.FONT_HUGE), halign="right", size_hint_x=None, width=px(150)
        )
        top.add_widget(self.date_label)
        top.add_widget(self.clock_label)
        root.add_widget(top)

        stage = BoxLayout(orientation="vertical", spacing=px(theme.GAP))
        self.queue_panel = Panel(orientation="vertical", size_hint_y=None, height=0, padding=(px(14), px(4)))
        self.queue_panel.fill = list(theme.CALL)
        stage.add_widget(self.queue_panel)
        self.card_picture = CardPicture()
        stage.add_widget(self.card_picture)
        self.action_row = BoxLayout(size_hint_y=None, height=0, opacity=0, padding=(px(160), 0))
        stage.add_widget(self.action_row)
        root.add_widget(stage)

        self.prompt = FitText(
            text=bold(self.t("idle.tap_card")),
            font_size=px(64),
            size_hint_y=None,
            height=px(76),
            color=theme.INK,
        )
        root.add_widget(self.prompt)
        line = FloatLayout(size_hint_y=None, height=px(theme.BAND))
        self.hint = FitText(
            text=self.t("idle.hint"),
            font_size=px(theme.FONT_BODY),
            color=theme.INK_SOFT,
            pos_hint={"x": 0, "y": 0},
            size_hint=(1, 1),
        )
        self.banner = Banner(pos_hint={"x": 0, "y": 0}, size_hint=(1, 1))
        self.banner.bind(message=lambda _b, message: setattr(self.hint, "opacity", 0 if message else 1))
        line.add_widget(self.hint)
        line.add_widget(self.banner)
        root.add_widget(line)

        self.bottom = bottom = Panel(size_hint_y=None, height=px(56), padding=(px(14), px(6)))
        self.theme_label = FitText(font_size=px(theme.FONT_BODY), halign="left")
        self.room_label = FitText(font_size=px(theme.FONT_BODY), size_hint_x=0.45)
        self.sync_label = FitText(font_size=px(theme.FONT_SMALL + 1), size_hint_x=0.5, halign="right")
        bottom.add_widget(self.theme_label)
        bottom.add_widget(self.room_label)
        bottom.add_widget(self.sync_label)
        root.add_widget(bottom)
        self.add_widget(root)

    def show_prompt(self, title: str, hint: str, action: Action | None = None) -> None:
        """What the screen asks of whoever stands before it: tap a card, scan the enrolment code (or
        type it: `action` is the one button then), or nothing while the kiosk is out of service."""
        self.prompt.text = bold(title)
        self.hint.text = hint
        self.action_row.clear_widgets()
        if action is None:
            self.action_row.height, self.action_row.opacity = 0, 0
            return
        text, on_press = action
        self.action_row.add_widget(button(text, theme.PRIMARY, on_press))
        self.action_row.height, self.action_row.opacity = px(theme.TOUCH_MIN), 1

    def out_of_service(self, title: str, hint: str, reason: str) -> None:
        """Nobody is invited to tap: no card picture, no empty status bar; the reason stays."""
        self.show_prompt(title, hint)
        self.card_picture.opacity = self.bottom.opacity = 0
        self.say(reason, "bad")

    def in_service(self) -> None:
        self.card_picture.opacity = self.bottom.opacity = 1

    def tick(self) -> None:
        """Once a second: the clock (the service clock, so a test's manual clock shows its time)."""
        if self.app.ctrl_ready:
            now = self.ctrl.now()
            self.clock_label.text = fmt.clock_text(now, self.zone)
            self.date_label.text = fmt.day_text(local_date(now, self.zone), self.app.locale)

    def show_info(self, info: IdleInfo) -> None:
        self.zone = info.settings.zone
        theme_text = info.room.todays_theme or self.t("idle.no_theme")
        self.theme_label.text = self.t("idle.today", theme=theme_text)
        if info.room.is_open:
            self.room_label.text = coloured("●", "2FA86B") + " " + self.t("idle.room_open")
        elif info.room.children_may_use:  # closed, but the school lets children use the kiosk
            self.room_label.text = coloured("●", "8A94A6") + " " + self.t("idle.room_closed_self_service")
        else:
            self.room_label.text = coloured("●", "8A94A6") + " " + self.t("idle.room_closed")
        self.sync_label.text = self.sync_text(info.sync)
        self.show_queue(info.queue)
        self.tick()

    def show_queue(self, board: QueueBoard) -> None:
        """The called child in big letters; otherwise, while children wait, only how many."""
        panel = self.queue_panel
        panel.clear_widgets()
        lines: list[tuple[str, float]] = []
        if board.called:
            who = Markup("、").join(
                self.t("idle.queue_who", ticket=c.ticket, name=c.given_name) for c in board.called
            )
            lines.append((self.t("idle.queue_called", who=who), px(theme.FONT_TITLE)))
        self._call_aloud(board)
        if board.waiting:
            lines.append((self.t("idle.queue_waiting", count=board.waiting), px(theme.FONT_BODY)))
        for text, size in lines:
            panel.add_widget(FitText(text=text, font_size=size, color=theme.ON_COLOUR))
        panel.fill = list(theme.CALL if board.called else theme.NEUTRAL)
        panel.height = px(80 if board.called else 40) if lines else 0
        panel.opacity = 1 if lines else 0
        self.stop_looking()
        if board.called:  # look again when the turn would pass, even if nobody touches the kiosk
            seconds = (min(c.until for c in board.called) - self.ctrl.now()).total_seconds()
            self._look_again = Clock.schedule_once(
                lambda _dt: self.app.refresh_idle(), max(1.0, seconds + 0.5)
            )

    def _call_aloud(self, board: QueueBoard) -> None:
        """Each child called to the phone hears it once: "请 3 号 子航 来打电话" (the number and the
        given name only, as on the screen)."""
        for called in board.called:
            if called.ticket not in self._called:
                self.app.sounds.say_text(
                    self.spoken("voice.queue_call", ticket=called.ticket, name=called.given_name)
                )
        self._called = {called.ticket for called in board.called}

    def sync_text(self, status: SyncStatus) -> Markup:
        if not status.configured:
            return coloured("■", "8A94A6") + " " + self.t("sync.not_configured")
        if status.online:
            return coloured("■", "2FA86B") + " " + self.t("sync.online")
        return coloured("■", "E9A23B") + " " + self.t("sync.offline", pending=status.pending_events)

    def stop_looking(self) -> None:
        if self._look_again is not None:
            self._look_again.cancel()
            self._look_again = None

    def flash(self, message: str, tone: str = "warn") -> None:
        """A message for message_seconds."""
        self.say(message, tone)
        self._clear_banner = Clock.schedule_once(
            lambda _dt: self.banner.show(""), self.app.kconfig.message_seconds
        )

    def say(self, message: str, tone: str = "warn") -> None:
        """A message that stays until the next one: no earlier flash's timer clears it."""
        if self._clear_banner is not None:
            self._clear_banner.cancel()
            self._clear_banner = None
        self.banner.show(message, tone)

    def forget(self) -> None:
        self.say("")
