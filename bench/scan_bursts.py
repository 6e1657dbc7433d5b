"""Fast scans on a busy machine: how many a keyboard-wedge rule keeps, from real X key events.

Run: python -m bench scan_bursts [--scans 50]   (starts its own Xvfb; needs xdotool)

A real kiosk process (KioskApp, its reader hub with the keyboard wedge) runs on a private Xvfb, and
xdotool types book barcodes into its window at scanner speed (5 ms a key, code and Enter in one run),
one straight after the other: first with the machine idle, then with a busy loop on every core. The
kiosk records every key as its window handed it over — the time the UI loop got to it, and the time
`kiosk.ui.keys.KeyArrival` stamps on it. The keys are then replayed through three rules:

- every gap: the rule before issue 20 (each gap at most 50 ms, a slower one starts a new code);
- median: hardware.wedge.WedgeDecoder (the median gap at most 50 ms, a pause over 0.75 s breaks);
- median + stamps: the same, fed KeyArrival's stamps (what the kiosk runs).

It prints, per condition, how many of the typed codes each rule read back whole, and the gaps inside
codes (median, p95, largest) as the window saw them. Nothing here is timed against a budget: the
numbers are what the machine did.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.timing import print_table

OLD_MAX_KEY_GAP = 0.05
QUIET_SECONDS = 3.0  # the kiosk process ends after this long without a key


# -- the kiosk process ---------------------------------------------------------------------------------


def _child(db: Path, out: Path) -> None:
    from kiosk.ui import env, fonts  # noqa: PLC0415 - Kivy's environment before Kivy

    env.prepare(Path(tempfile.mkdtemp(prefix="kivy-home-")))
    fonts.register_default_font(fonts.find_cjk_font())
    from kivy.clock import Clock  # noqa: PLC0415

    from db.clock import SystemClock  # noqa: PLC0415
    from db.demo import load_demo_data  # noqa: PLC0415
    from hardware.config import ReaderSettings  # noqa: PLC0415
    from hardware.factory import build_hub  # noqa: PLC0415
    from kiosk.platform.config import KioskConfig  # noqa: PLC0415
    from kiosk.services.uow import UnitOfWork  # noqa: PLC0415
    from kiosk.ui.app import KioskApp, Startup  # noqa: PLC0415

    hub = build_hub(ReaderSettings(use=("keyboard",))).start()
    keys: list[tuple[str, float, float]] = []  # key, handled at, stamped at
    feed = hub.feed_key

    def recording(key: str, stamped: float) -> Any:
        keys.append((key, time.monotonic(), stamped))
        return feed(key, stamped)

    hub.feed_key = recording  # type: ignore[method-assign]

    def demo(uow: UnitOfWork) -> None:
        with uow:
            load_demo_data(uow.session, SystemClock().now(), pin_key=uow.pin_key)
            uow.commit()

    config = KioskConfig(data_dir=db.parent, db_path=db, fullscreen=False, backups=False)
    app = KioskApp(config, Startup(db, None, demo), readers=hub)
    said_ready = []

    def watch(_dt: float) -> None:
        if app.ctrl_ready and not said_ready:
            said_ready.append(time.monotonic())
            print("READY", flush=True)
        if keys and time.monotonic() - keys[-1][1] > QUIET_SECONDS:  # the typing is over
            out.write_text(json.dumps(keys), encoding="utf-8")
            app.stop()

    def started(*_: Any) -> None:
        # Returns nothing: a handler that returns something true (a lambda returning the ClockEvent)
        # stops Kivy's dispatch, and the app's own on_start, which opens the database, never runs.
        Clock.schedule_interval(watch, 0.1)

    app.bind(on_start=started)
    try:
        app.run()
    finally:
        hub.close()


# -- the rules -----------------------------------------------------------------------------------------


def every_gap_rule(keys: list[tuple[str, float]]) -> list[str]:
    """The decoder before issue 20: every gap (Enter's too) at most 50 ms, or the code starts again."""
    codes, buffer, last = [], [], None
    for key, at in keys:
        fast = last is not None and at - last <= OLD_MAX_KEY_GAP
        last = at
        if key == "enter":
            if fast and buffer:
                codes.append("".join(buffer))
            buffer = []
            continue
        if not fast:
            buffer = []
        buffer.append(key)
    return codes


def median_rule(keys: list[tuple[str, float]]) -> list[str]:
    from hardware.base import CardTap, Scan  # noqa: PLC0415
    from hardware.wedge import WedgeDecoder  # noqa: PLC0415

    decoder, codes = WedgeDecoder(), []
    for key, at in keys:
        result = decoder.feed(key, at)
        if isinstance(result, Scan):
            codes.append(result.code)
        elif isinstance(result, CardTap):
            codes.append(result.uid)
    return codes


def gaps_inside_codes(keys: list[tuple[str, float]]) -> list[float]:
    gaps, last = [], None
    for key, at in keys:
        if last is not None:
            gaps.append(at - last)
        last = None if key == "enter" else at
    return gaps


# -- the run -------------------------------------------------------------------------------------------


def _spin() -> None:
    while True:
        pass


@contextmanager
def busy_cores(busy: bool) -> Iterator[None]:
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(os.cpu_count() or 2)]
    for spinner in spinners if busy else []:
        spinner.start()
    try:
        yield
    finally:
        for spinner in spinners if busy else []:
            spinner.kill()
            spinner.join(5)


def run_condition(busy: bool, codes: list[str], env: dict[str, str]) -> list[tuple[str, float, float]]:
    from tests.ui.xkeys import XKeyboard  # noqa: PLC0415 - the same X keyboard the UI tests type with

    with tempfile.TemporaryDirectory(prefix="scan-bursts-") as folder:
        db, out = Path(folder) / "kiosk.sqlite3", Path(folder) / "keys.json"
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.scan_bursts", "--child", "--db", str(db), "--out", str(out)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert child.stdout is not None
        if child.stdout.readline().strip() != "READY":
            raise RuntimeError("the kiosk did not start")
        keyboard = XKeyboard(env["DISPLAY"])
        keyboard.focus(child.pid)
        with busy_cores(busy):
            for code in codes:
                keyboard.type(code)
        child.wait(timeout=120)
        return [(k, handled, stamped) for k, handled, stamped in json.loads(out.read_text(encoding="utf-8"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=50)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.db, args.out)
        return 0

    from tests.ui.xvfb import virtual_display  # noqa: PLC0415 - the same private Xvfb the UI tests use

    codes = [f"TS{n:06d}" for n in range(1, args.scans + 1)]
    rows = []
    with virtual_display() as display:
        # SDL's silent audio driver where the machine has no sound card (the kiosk chimes at every scan).
        env = os.environ | {"DISPLAY": display, "SDL_AUDIODRIVER": os.environ.get("SDL_AUDIODRIVER", "dummy")}
        for busy in (False, True):
            keys = run_condition(busy, codes, env)
            handled = [(k, h) for k, h, _ in keys]
            stamped = [(k, s) for k, _, s in keys]
            gaps = sorted(gaps_inside_codes(handled))
            rows.append(
                (
                    "both cores busy" if busy else "idle",
                    len(codes),
                    sum(c in codes for c in every_gap_rule(handled)),
                    sum(c in codes for c in median_rule(handled)),
                    sum(c in codes for c in median_rule(stamped)),
                    f"{statistics.median(gaps) * 1000:.0f} ms",
                    f"{gaps[int(len(gaps) * 0.95)] * 1000:.0f} ms",
                    f"{gaps[-1] * 1000:.0f} ms",
                )
            )
    print(f"{args.scans} barcodes typed by xdotool at 5 ms a key into a real kiosk window (Xvfb)\n")
    print_table(
        (
            "machine",
            "typed",
            "every gap",
            "median",
            "median + stamps",
            "gap p50",
            "gap p95",
            "gap max",
        ),
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
