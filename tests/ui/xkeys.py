"""Real key events through the X server, as a USB scanner or wedge card reader makes them.

xdotool sends them with XTEST, so they reach the kiosk's window exactly like a USB keyboard's: X turns
them into key events, SDL2 into its own, Kivy into `on_key_down`. Nothing of ours is bypassed, unlike
dispatching `on_key_down` by hand (which is how the Shift key-down bug stayed hidden).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable

SCANNER_DELAY_MS = 5  # a key every few milliseconds: what scanners and wedge readers do


class XKeyboard:
    """Types into the window that has the keyboard focus on `display`.

    `pump` runs while xdotool types: for a kiosk in this process it steps Kivy's loop, so keys are
    handled while they arrive, at their real spacing, not all at once afterwards."""

    def __init__(self, display: str, pump: Callable[[], None] = lambda: time.sleep(0.005)) -> None:
        if shutil.which("xdotool") is None:
            raise RuntimeError("xdotool is not installed (scripts/install-system-deps.sh installs it)")
        self.display = display
        self.pump = pump
        self.window = ""  # the focused window's id (`focus`)

    def focus(self, pid: int, timeout: float = 20) -> None:
        """Give the keyboard focus to the window of process `pid` (there is no window manager)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self._xdotool("search", "--pid", str(pid), check=False)
            window = found.stdout.split()[-1] if found.stdout.split() else None
            if window and self._xdotool("windowfocus", "--sync", window, check=False).returncode == 0:
                self.window = window
                return
            self.pump()
        raise AssertionError(f"no window of process {pid} on {self.display}")

    def type(self, text: str, delay_ms: int = SCANNER_DELAY_MS) -> None:
        """`text` then Enter, one key every `delay_ms` (xdotool presses Shift for capitals), in one
        xdotool run as a scanner sends them: not a second process whose start, on a busy machine,
        would hold the Enter back for seconds."""
        delay = str(delay_ms)
        self._run("type", "--delay", delay, "--args", "1", text, "key", "--delay", delay, "Return")

    def click(self, x: float, y: float) -> None:
        """A finger (the left button) down and up at (x, y) pixels from the window's top-left corner:
        a real X pointer event, through SDL's mouse to Kivy's touch, as on the room's touchscreen."""
        self._run("mousemove", "--window", self.window, str(round(x)), str(round(y)), "click", "1")

    def keys(self, *names: str, delay_ms: int = SCANNER_DELAY_MS) -> None:
        """Keys by X keysym name: "KP_1", "KP_Enter", "Caps_Lock", "Return"."""
        self._run("key", "--delay", str(delay_ms), *names)

    def _run(self, *args: str) -> None:
        process = subprocess.Popen(
            ["xdotool", *args], env={"DISPLAY": self.display}, stdout=subprocess.DEVNULL
        )
        while process.poll() is None:
            self.pump()
        for _ in range(5):  # events already sent may still be on their way through X and SDL
            self.pump()
        if process.returncode != 0:
            raise AssertionError(f"xdotool {' '.join(args)} failed ({process.returncode})")

    def _xdotool(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["xdotool", *args], env={"DISPLAY": self.display}, capture_output=True, text=True, check=check
        )
