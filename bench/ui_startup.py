"""Touchscreen start-up: cold start to first frame, the kiosk app beside a bare Kivy "hello" app.

Run: python -m bench ui_startup   (under a private Xvfb; the first run builds the five-year history DB
into artifacts/bench-cache/, which takes minutes)

Each start is a fresh Python process, timed from just before it is spawned to the first frame Kivy
flips to the screen (`Window.on_flip`), so imports, the CJK font, building the screens and opening
the window all count. The kiosk opens its database on the worker thread, so the first frame should
not wait for the disk; "ready" is when the idle screen shows the room's day (database opened, migrated,
first query answered), after a clean stop (the kiosk's usual start: systemd's stop or the window
closed) and after an unclean one (a power cut: the full start-up check reads every page). Peak RSS
is the process's high-water mark after the administrator's heaviest
lists (overdue, borrow records, due for a family call, today's visits) have run on five years of demo
history.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.history_db import FIVE_YEARS, history_db
from bench.timing import print_table
from kiosk.services.database_check import clean_stop_path

RUNS = 5
TIMEOUT_SECONDS = 120


def _child_hello() -> None:
    """The baseline: Kivy's own minimum, one Label in a window of the same size."""
    from kivy.app import App  # noqa: PLC0415 - environment first
    from kivy.core.window import Window  # noqa: PLC0415
    from kivy.uix.label import Label  # noqa: PLC0415

    class Hello(App):
        def build(self) -> Label:
            return Label(text="hello")

        def on_start(self) -> None:
            _report_first_frame(Window, lambda: self.stop())

    Hello().run()


def _child_kiosk(db: Path) -> None:
    from kivy.core.window import Window  # noqa: PLC0415

    from hardware.config import ReaderSettings  # noqa: PLC0415
    from hardware.factory import build_hub  # noqa: PLC0415
    from kiosk.platform.config import KioskConfig  # noqa: PLC0415
    from kiosk.ui.app import KioskApp, Startup  # noqa: PLC0415

    # Keyboard-wedge only: no PC/SC daemon or serial port to wait for on the bench machine.
    hub = build_hub(ReaderSettings(use=("keyboard",))).start()
    config = KioskConfig(data_dir=db.parent, db_path=db, fullscreen=False)
    app = KioskApp(config, Startup(db, None, None), readers=hub)
    marks: dict[str, float] = {}

    def heavy_lists() -> None:
        pending = ["overdue", "records", "contact_due", "visits"]

        def done(name: str) -> Any:
            def then(_: Any) -> None:
                pending.remove(name)
                if not pending:
                    marks["lists"] = time.monotonic()
                    _emit(
                        {
                            "ready": marks["ready"],
                            "ready_cpu": marks["ready_cpu"],
                            "lists": marks["lists"],
                            "rss_kib": _peak_rss_kib(),
                        }
                    )
                    app.stop()

            return then

        app.ctrl.overdue(done("overdue"))
        app.ctrl.borrow_records(False, None, done("records"))
        app.ctrl.contact_due(done("contact_due"))
        app.ctrl.visits_today(done("visits"))

    def wait_ready(_dt: float) -> None:
        if app.ctrl_ready and app.idle_screen.theme_label.text:
            marks["ready"], marks["ready_cpu"] = time.monotonic(), _cpu_seconds()
            heavy_lists()
        else:
            from kivy.clock import Clock  # noqa: PLC0415

            Clock.schedule_once(wait_ready, 0.01)

    def started(*_: Any) -> None:
        _report_first_frame(Window, lambda: wait_ready(0))

    app.bind(on_start=started)
    try:
        app.run()
    finally:
        hub.close()


def _report_first_frame(window: Any, then: Any) -> None:
    def flipped(*_: Any) -> None:
        window.unbind(on_flip=flipped)
        _emit({"frame": time.monotonic(), "frame_cpu": _cpu_seconds(), "frame_rss_kib": _peak_rss_kib()})
        then()

    window.bind(on_flip=flipped)


def _cpu_seconds() -> float:
    """The process's own CPU time (user + system, all threads): the work done, which a busy machine
    does not stretch the way it stretches the wall clock."""
    times = os.times()
    return times.user + times.system


def _emit(record: dict[str, Any]) -> None:
    print("BENCH " + json.dumps(record), flush=True)


def _peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _start_once(
    mode: str, db: Path | None, env: dict[str, str], *, unclean: bool = False
) -> dict[str, float]:
    """One cold start; `unclean`: as after a power cut (no clean stop noted), so the full check runs."""
    if unclean and db is not None:
        clean_stop_path(db).unlink(missing_ok=True)
    args = [sys.executable, "-m", "bench.ui_startup", "--child", mode] + (["--db", str(db)] if db else [])
    spawned = time.monotonic()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    records: dict[str, float] = {}
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            records.update(json.loads(line[len("BENCH ") :]))
    if "frame" not in records or done.returncode != 0:
        raise RuntimeError(f"{mode} did not reach its first frame:\n{done.stderr[-2000:]}")
    result = {
        "first frame": records["frame"] - spawned,
        "first frame cpu": records["frame_cpu"],
        "frame_rss_kib": records["frame_rss_kib"],
    }
    if "ready" in records:
        result["rss_kib"] = records["rss_kib"]
        result["ready"] = records["ready"] - spawned
        result["ready cpu"] = records["ready_cpu"]
        result["lists"] = records["lists"] - spawned
    return result


def main() -> None:
    from kiosk.ui import fonts  # noqa: PLC0415
    from tests.ui.xvfb import virtual_display  # noqa: PLC0415 - the same private Xvfb the UI tests use

    with tempfile.TemporaryDirectory() as folder, virtual_display(800, 480) as display:
        db = history_db(FIVE_YEARS, Path(folder) / "kiosk.sqlite3")
        env = dict(os.environ, DISPLAY=display, KIOSK_FONT=str(fonts.find_cjk_font()))
        _start_once("kiosk", db, env)  # its clean stop is the next start's
        hello: list[dict[str, float]] = []
        kiosk: list[dict[str, float]] = []
        unclean: list[dict[str, float]] = []
        for _ in range(RUNS):  # side by side, so a busy machine weighs on all three alike
            hello.append(_start_once("hello", None, env))
            kiosk.append(_start_once("kiosk", db, env))
            unclean.append(_start_once("kiosk", db, env, unclean=True))
        size_mib = db.stat().st_size / 2**20

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"Xvfb 800×480, {RUNS} cold starts each (fresh process), medians; database {size_mib:.0f} MiB\n")
    print_table(
        ("", "bare Kivy hello", "kiosk (5 years)", "ratio"),
        [
            ("first frame", med(hello, "first frame"), med(kiosk, "first frame"),
             f"{med(kiosk, 'first frame') / med(hello, 'first frame'):.2f}x"),
            ("CPU to first frame (user+sys)", med(hello, "first frame cpu"), med(kiosk, "first frame cpu"),
             f"{med(kiosk, 'first frame cpu') / med(hello, 'first frame cpu'):.2f}x"),
            ("peak RSS at first frame (MiB)", f"{med(hello, 'frame_rss_kib') / 1024:.0f}",
             f"{med(kiosk, 'frame_rss_kib') / 1024:.0f}", ""),
        ],
    )  # fmt: skip
    print()
    print(f"kiosk idle screen ready (database open, first query): {med(kiosk, 'ready'):.2f} s", end="")
    print(f"  ({med(kiosk, 'ready') / med(hello, 'first frame'):.2f}x the bare first frame)")
    ready_cpu, bare_cpu = med(kiosk, "ready cpu"), med(hello, "first frame cpu")
    print(f"  CPU until then: {ready_cpu:.2f} s ({ready_cpu / bare_cpu:.2f}x the bare first frame's)")
    print(f"  after an unclean stop (full check, first frame {med(unclean, 'first frame'):.2f} s): ", end="")
    print(f"{med(unclean, 'ready'):.2f} s")
    print(f"kiosk after the admin's heaviest lists:               {med(kiosk, 'lists'):.2f} s")
    print(f"kiosk peak RSS with five years of history:            {med(kiosk, 'rss_kib') / 1024:.0f} MiB")


def _child_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=("hello", "kiosk"), required=True)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args(argv)
    from kiosk.ui import env, fonts  # noqa: PLC0415

    env.prepare(Path(tempfile.mkdtemp(prefix="kivy-bench-")))
    if args.child == "hello":
        _child_hello()
    else:
        fonts.register_default_font(fonts.find_cjk_font())
        _child_kiosk(args.db)


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child_main(sys.argv[1:])
    else:
        main()
