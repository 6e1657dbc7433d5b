"""Reader set-up for the room administrator.

    python -m hardware list                      # PC/SC readers and serial ports this machine sees
    python -m hardware watch                     # print every tap (and barcode) until Ctrl-C
    python -m hardware watch --config kiosk.toml # ... with the kiosk's own [readers] settings
    python -m hardware watch --port /dev/ttyUSB0 --baud 9600 --protocol rdm6300

Taps are printed with the card's UID (a UID is not personal data on its own); this tool never looks a card
up, so it never prints a child's name.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import os
import sys
import termios
import threading
import time
import tty
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from configfile.problems import SettingError
from configfile.toml_file import read_toml
from hardware.config import KINDS, ReaderSettings
from hardware.detect import pcsc_readers, serial_ports
from hardware.factory import build_hub, sources_for
from hardware.hub import ReaderHub
from hardware.serial_reader import PROTOCOLS, SerialSettings


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    try:
        settings = _settings(args)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "list":
        return _list(settings, out)
    return _watch(settings, args, out)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hardware", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("list", "show the PC/SC readers and serial ports this machine can see"),
        ("watch", "print every card tap and barcode until Ctrl-C"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--config", type=Path, help="the kiosk's TOML file; its [readers] table is used")
        command.add_argument("--use", help=f"comma-separated kinds to use instead: {','.join(KINDS)}")
        command.add_argument("--port", action="append", help="watch this serial port (repeatable)")
        command.add_argument("--baud", type=int, default=9600, help="with --port (default 9600)")
        command.add_argument("--protocol", choices=PROTOCOLS, default="rdm6300", help="with --port")
        if name == "watch":
            command.add_argument("--count", type=int, help="stop after this many taps")
            command.add_argument("--seconds", type=float, help="stop after this many seconds")
    return parser


def _settings(args: argparse.Namespace) -> ReaderSettings:
    settings = ReaderSettings()
    if args.config is not None:  # the kiosk's own file, checked as the kiosk checks it
        file = read_toml(args.config)
        try:
            settings = ReaderSettings.from_mapping(file.data.get("readers"))
        except SettingError as exc:
            raise ValueError(file.explain(exc.problems)) from None
    if args.port:
        ports = tuple(SerialSettings(port=p, baud=args.baud, protocol=args.protocol) for p in args.port)
        use = settings.use if args.config is not None or args.use else ("serial",)
        settings = dataclasses.replace(settings, serial=ports, use=tuple({*use, "serial"}))
    if args.use:
        kinds = tuple(kind.strip() for kind in args.use.split(",") if kind.strip())
        settings = dataclasses.replace(settings, use=kinds)
    return settings


def _list(settings: ReaderSettings, out: TextIO) -> int:
    readers, problem = pcsc_readers()
    print("PC/SC readers (pcscd):", file=out)
    if problem:
        print(f"  none: {problem}", file=out)
    for name in readers:
        print(f"  {name}", file=out)
    if not readers and not problem:
        print("  none plugged in", file=out)
    print("Serial ports:", file=out)
    ports = serial_ports()
    for port in ports:
        print(f"  {port.device:<22} {port.description}{'  <- likely a reader' if port.likely_reader else ''}",
              file=out)  # fmt: skip
    if not ports:
        print("  none", file=out)
    print("Keyboard-wedge readers and barcode scanners are keyboards: try them with `watch`.", file=out)
    opened = [source.name for source in sources_for(settings)]
    if "keyboard" in settings.use:
        opened.append("keyboard (wedge)")
    print(f"The kiosk would use: {', '.join(opened) or 'nothing'}", file=out)
    return 0


def _watch(settings: ReaderSettings, args: argparse.Namespace, out: TextIO) -> int:
    hub = build_hub(settings)
    lock = threading.Lock()

    def say(line: str) -> None:
        with lock:
            print(f"{time.strftime('%H:%M:%S')}  {line}", file=out, flush=True)

    names = [source.name for source in hub.sources]
    keyboard = hub.wedge is not None and sys.stdin.isatty()
    if keyboard:
        names.append("keyboard (tap or scan into this terminal)")
    deadline = None if args.seconds is None else time.monotonic() + args.seconds
    count = 0
    with hub, _keys_from_terminal(hub, say) if keyboard else contextlib.nullcontext():
        say(f"watching: {', '.join(names) or 'nothing'}; Ctrl-C to stop")
        try:
            while args.count is None or count < args.count:
                wait = 0.5 if deadline is None else min(0.5, deadline - time.monotonic())
                if wait <= 0:
                    break
                tap = hub.get(timeout=wait)
                if tap is not None:
                    count += 1
                    say(f"card {tap.uid}  on {tap.reader}")
        except KeyboardInterrupt:
            pass
    return 0


@contextlib.contextmanager
def _keys_from_terminal(hub: ReaderHub, say: Callable[[str], None]) -> Iterator[None]:
    """Feed this terminal's keys, one at a time with their arrival time, to the wedge decoder."""
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd, termios.TCSANOW)  # not TCSAFLUSH: keep what a reader already typed
    stop = threading.Event()

    def pump() -> None:
        while not stop.is_set():
            key = os.read(fd, 1).decode(errors="replace")
            if not key:
                return
            scan = hub.feed_key(key, time.monotonic())
            if scan is not None:
                say(f"barcode {scan.code}")

    threading.Thread(target=pump, name="terminal keys", daemon=True).start()
    try:
        yield
    finally:
        stop.set()
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


if __name__ == "__main__":
    raise SystemExit(main())
