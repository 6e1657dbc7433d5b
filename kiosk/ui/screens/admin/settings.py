"""设置: the language, and the school's rules the duty teacher may change at the kiosk, on four tabs:
常规 (language, contact cadence — shown as 由学校统一设置 once the school office set it — and whether
children may use the kiosk while the room is 未开门),
电话 (the per-call limit, the queue and how long a called child has to come),
突发事件 (who must be told within how many minutes),
每周安排 (what the child's menu offers on each weekday) and
声音 (volume, voice prompts, quiet hours; 试听 plays the chime and a prompt at the volume chosen).
Every change is validated whole by the service before it is stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from enum import Enum

from kivy.uix.boxlayout import BoxLayout

from db.enums import ChildMenuItem, ContactCadence, ItemKind, NotifyParty
from kiosk.services.room_settings import RoomSettings
from kiosk.ui import theme
from kiosk.ui.audio.cues import Cue, Phrase
from kiosk.ui.format import WEEKDAYS_EN, WEEKDAYS_ZH
from kiosk.ui.screens.admin.base import Page
from kiosk.ui.screens.admin.pages import AdminPage
from kiosk.ui.widgets import FitText, px, scrolling_grid

Option = tuple[str, bool, Callable[[], None]]
NOTIFY_STEP = 5  # minutes
VOLUME_STEP = 10  # percent
QUIET_STEP = timedelta(minutes=30)
QUIET_DEFAULT = {"start": "12:00", "end": "14:00"}  # the midday rest (午休), when a school turns it on


class Tab(Enum):
    GENERAL = "general"
    PHONE = "phone"
    EMERGENCY = "emergency"
    WEEK = "week"
    SOUND = "sound"


class SettingsPage(Page):
    page = AdminPage.SETTINGS

    def build(self) -> None:
        self.tab = Tab.GENERAL
        self.tabs = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        body = self.frame("admin.settings")
        body.add_widget(self.tabs)
        self.rows = BoxLayout(orientation="vertical", spacing=px(6))
        body.add_widget(self.rows)
        self.ctrl.settings(self._show)

    def _change(self, key: str, value: object) -> None:
        self.ctrl.change_setting(key, value, self._show)

    def _choose(self, tab: Tab) -> None:
        self.tab = tab
        self.ctrl.settings(self._show)

    def _show(self, settings: RoomSettings) -> None:
        self.app.use_room_settings(settings)  # a new volume is heard at once (试听)
        if not self.shown:
            return
        self.tabs.clear_widgets()
        for tab in Tab:
            self.tabs.add_widget(
                self.toggle(
                    self.t(f"settings.tab_{tab.value}"), tab is self.tab, lambda t=tab: self._choose(t)
                )
            )
        self.rows.clear_widgets()
        {
            Tab.GENERAL: self._general,
            Tab.PHONE: self._phone,
            Tab.EMERGENCY: self._emergency,
            Tab.WEEK: self._week,
            Tab.SOUND: self._sound,
        }[self.tab](settings)

    def _general(self, settings: RoomSettings) -> None:
        languages = [
            (label, code == self.app.locale, lambda c=code: self.app.set_locale(c))
            for code, label in (("zh_CN", "中文"), ("en", "English"))
        ]
        self.rows.add_widget(self._row(self.t("settings.language"), languages))
        cadences = [
            (
                self.t(f"cadence.{c.value}"),
                settings.contact_cadence is c,
                lambda c=c: self._change("contact_cadence", c.value),
            )
            for c in ContactCadence
        ]
        if "contact_cadence" in settings.set_by_school:  # shown, not offered: the office changes it
            cadence = self.t(f"cadence.{settings.contact_cadence.value}")
            cadences = [(f"{cadence} · {self.t('settings.by_school')}", True, lambda: None)]
        self.rows.add_widget(self._row(self.t("settings.cadence"), cadences))
        self.rows.add_widget(
            self._switch(self.t("settings.use_while_closed"), "children_use_while_closed", settings)
        )
        self.rows.add_widget(
            FitText(
                text=self.t("settings.loan_days", days=settings.loan_days[ItemKind.BOOK]),
                size_hint_y=None,
                height=px(40),
                color=theme.INK_SOFT,
            )
        )
        self.rows.add_widget(BoxLayout())

    def _phone(self, settings: RoomSettings) -> None:
        self.rows.add_widget(
            self._stepper(
                self.t("settings.call_limit"), "call_time_limit_minutes", settings.call_time_limit_minutes
            )
        )
        queue = [
            (self.t("settings.on"), settings.call_queue, lambda: self._change("call_queue", True)),
            (self.t("settings.off"), not settings.call_queue, lambda: self._change("call_queue", False)),
        ]
        self.rows.add_widget(self._row(self.t("settings.queue"), queue))
        self.rows.add_widget(
            self._stepper(self.t("settings.queue_turn"), "queue_turn_minutes", settings.queue_turn_minutes)
        )
        self.rows.add_widget(BoxLayout())

    def _switch(self, label: str, key: str, settings: RoomSettings) -> BoxLayout:
        """开 / 关 for one yes-or-no rule."""
        on = bool(getattr(settings, key))
        return self._row(
            label,
            [
                (self.t("settings.on"), on, lambda: self._change(key, True)),
                (self.t("settings.off"), not on, lambda: self._change(key, False)),
            ],
        )

    def _stepper(self, label: str, key: str, minutes: int, step: int = 1) -> BoxLayout:
        return self._row(
            label,
            [
                ("−", False, lambda: self._change(key, max(1, minutes - step))),
                (self.t("settings.minutes", minutes=minutes), True, lambda: None),
                ("+", False, lambda: self._change(key, minutes + step)),
            ],
        )

    def _emergency(self, settings: RoomSettings) -> None:
        within = settings.notify_within_minutes
        for party in NotifyParty:
            minutes = within[party]

            def change(delta: int, p: NotifyParty = party) -> None:
                changed = {k.value: v for k, v in within.items()} | {p.value: within[p] + delta}
                self._change("notify_within_minutes", changed)

            self.rows.add_widget(
                self._row(
                    self.t("settings.notify", party=self.t(f"party.{party.value}")),
                    [
                        ("−", False, lambda c=change: c(-NOTIFY_STEP)),
                        (self.t("settings.minutes", minutes=minutes), True, lambda: None),
                        ("+", False, lambda c=change: c(NOTIFY_STEP)),
                    ],
                )
            )
        self.rows.add_widget(BoxLayout())

    def _week(self, settings: RoomSettings) -> None:
        """One row a weekday: what the child's menu offers; a day left whole offers everything."""
        names = WEEKDAYS_EN if self.app.locale == "en" else [f"周{d}" for d in WEEKDAYS_ZH]
        scroll, grid = scrolling_grid(1, px(theme.TOUCH_MIN))
        for day in range(1, 8):
            offered = settings.weekday_menus.get(day, list(ChildMenuItem))
            options = [
                (
                    self.t(f"settings.menu_{item.value}"),
                    item in offered,
                    lambda d=day, i=item: self._toggle_item(settings, d, i),
                )
                for item in ChildMenuItem
            ]
            theme_text = settings.weekly_schedule.get(day, "")
            grid.add_widget(self._row(f"{names[day - 1]} {theme_text}", options))
        self.rows.add_widget(scroll)

    def _toggle_item(self, settings: RoomSettings, day: int, item: ChildMenuItem) -> None:
        menus = {d: [i.value for i in items] for d, items in settings.weekday_menus.items()}
        offered = set(menus.get(day, [i.value for i in ChildMenuItem])) ^ {item.value}
        if offered == {i.value for i in ChildMenuItem}:
            menus.pop(day, None)  # everything offered: the day is not limited at all
        else:
            menus[day] = [i.value for i in ChildMenuItem if i.value in offered]
        self._change("weekday_menus", {str(d): v for d, v in menus.items()})

    def _sound(self, settings: RoomSettings) -> None:
        volume = settings.sound_volume
        self.rows.add_widget(
            self._row(
                self.t("settings.volume"),
                [
                    ("−", False, lambda: self._change("sound_volume", max(0, volume - VOLUME_STEP))),
                    (self.t("settings.percent", percent=volume), True, lambda: None),
                    ("+", False, lambda: self._change("sound_volume", min(100, volume + VOLUME_STEP))),
                    (self.t("settings.try"), False, self._try_sound),
                ],
            )
        )
        voice = [
            (self.t("settings.on"), settings.voice_prompts, lambda: self._change("voice_prompts", True)),
            (
                self.t("settings.off"),
                not settings.voice_prompts,
                lambda: self._change("voice_prompts", False),
            ),
        ]
        self.rows.add_widget(self._row(self.t("settings.voice"), voice))
        quiet = settings.quiet_hours
        self.rows.add_widget(
            self._row(
                self.t("settings.quiet"),
                [
                    (
                        self.t("settings.on"),
                        quiet is not None,
                        lambda: self._change("quiet_hours", QUIET_DEFAULT),
                    ),
                    (self.t("settings.off"), quiet is None, lambda: self._change("quiet_hours", None)),
                ],
            )
        )
        if quiet is None:
            self.rows.add_widget(self._note(self.t("settings.quiet_none")))
        else:
            span = {"start": quiet.start, "end": quiet.end}

            def moved(which: str, step: timedelta) -> dict[str, str]:
                changed = dict(span) | {which: _shifted(span[which], step)}
                return {k: v.strftime("%H:%M") for k, v in changed.items()}

            options: list[Option] = []
            for which, word in (("start", "settings.quiet_from"), ("end", "settings.quiet_until")):
                options += [
                    (
                        self.t(word) + " −",
                        False,
                        lambda w=which: self._change("quiet_hours", moved(w, -QUIET_STEP)),
                    ),
                    (span[which].strftime("%H:%M"), True, lambda: None),
                    ("+", False, lambda w=which: self._change("quiet_hours", moved(w, QUIET_STEP))),
                ]
            self.rows.add_widget(self._row(self.t("settings.quiet_explain"), options))
        self.rows.add_widget(BoxLayout())

    def _try_sound(self) -> None:
        self.app.sounds.cue(Cue.ACCEPTED)
        self.app.sounds.say(Phrase.SIGNED_IN)

    def _note(self, text: str) -> FitText:
        return FitText(text=text, size_hint_y=None, height=px(40), color=theme.INK_SOFT)

    def _row(self, label: str, options: list[Option]) -> BoxLayout:
        row = BoxLayout(size_hint_y=None, height=px(theme.TOUCH_MIN), spacing=px(6))
        row.add_widget(FitText(text=label, halign="left", size_hint_x=1.3))
        for text, chosen, action in options:
            row.add_widget(self.toggle(text, chosen, action))
        return row


def _shifted(moment: time, step: timedelta) -> time:
    """A time of day moved by `step`, round the clock (23:30 + 30 minutes is 00:00)."""
    return (datetime.combine(date(2000, 1, 1), moment) + step).time()
