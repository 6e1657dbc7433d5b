"""The app's two timers that outlive a screen: going back to idle, and the school's call time limit.

Both are Kivy Clock events on the UI thread. They hold callbacks, not the app, so the screens that use
them (through `kiosk.ui.host.ScreenHost`) and the app that owns them do not import each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from kivy.clock import Clock, ClockEvent

from db.enums import CallEnd
from kiosk.services.calls import ClosedCall, OpenCall

# Ends a call on the worker, then answers on the UI thread with the closed call (None: already closed).
EndCall = Callable[[uuid.UUID, CallEnd, Callable[[ClosedCall | None], None]], None]
# Told once a call has ended: (call id, the closed call or None, whether the time limit ended it).
CallEnded = Callable[[uuid.UUID, ClosedCall | None, bool], None]


class Inactivity:
    """Back to idle after N seconds without a touch, so the next child never sees someone else's screen."""

    def __init__(self, on_expire: Callable[[], None]) -> None:
        self._on_expire = on_expire
        self._event: ClockEvent | None = None
        self._seconds: float | None = None

    def arm(self, seconds: float | None) -> None:
        self.cancel()
        self._seconds = seconds
        if seconds:
            self._event = Clock.schedule_once(lambda _dt: self._on_expire(), seconds)

    def poke(self) -> None:
        if self._seconds:
            self.arm(self._seconds)

    def cancel(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None


class CallGuard:
    """Ends every call it watches at the school's time limit, whichever screen is showing by then."""

    def __init__(self, end_call: EndCall, on_ended: CallEnded) -> None:
        self._end_call = end_call
        self._on_ended = on_ended
        self._timers: dict[uuid.UUID, ClockEvent] = {}

    def watch(self, call: OpenCall, seconds_left: float | None = None) -> None:
        """End `call` at its limit: `seconds_left` from now (a call brought back after a while, or
        after a restart), the whole limit by default. Watching a call again replaces its timer."""
        left = (call.ends_by - call.started_at).total_seconds() if seconds_left is None else seconds_left
        previous = self._timers.pop(call.call_id, None)
        if previous is not None:
            previous.cancel()
        self._timers[call.call_id] = Clock.schedule_once(
            lambda _dt: self.end(call.call_id, CallEnd.TIME_LIMIT), max(1.0, left)
        )

    def end(self, call_id: uuid.UUID, reason: CallEnd) -> None:
        timer = self._timers.pop(call_id, None)
        if timer is not None:
            timer.cancel()
        timed_out = reason is CallEnd.TIME_LIMIT
        self._end_call(call_id, reason, lambda closed: self._on_ended(call_id, closed, timed_out))

    def expire_all(self) -> None:
        """What the time limit does, now (the test of the automatic close uses it)."""
        for call_id in list(self._timers):
            self.end(call_id, CallEnd.TIME_LIMIT)

    @property
    def watching(self) -> int:
        return len(self._timers)
