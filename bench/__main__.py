"""`python -m bench NAME… [--option…]` (or `make bench ARGS="NAME"`): run benchmarks by name.

No name lists them. Options after the names go to each benchmark's own parser, as if it had been run
with `python -m bench.NAME --option…`.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import signal
import sys
import tempfile
from pathlib import Path

HELPERS = {
    "__main__",
    "county_db",
    "county_load",
    "county_plan",
    "county_rooms",
    "history_db",
    "sync_setup",
    "timing",
}


def available() -> list[str]:
    folder = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(folder)]) if m.name not in HELPERS)


def stop_cleanly_on_sigterm() -> None:
    """A benchmark stopped by `kill` or a time limit unwinds as if interrupted: its `finally` blocks
    stop the PostgreSQL cluster and the servers it started, which would otherwise run on orphaned,
    holding ports and temporary folders."""
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))


def main(argv: list[str]) -> int:
    stop_cleanly_on_sigterm()
    first_option = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    names, options = argv[:first_option], argv[first_option:]
    if not names:
        print("benchmarks: " + ", ".join(available()))
        print("run one: python -m bench NAME   (or: make bench ARGS=NAME)")
        return 0
    unknown = [n for n in names if n not in available()]
    if unknown:
        known = ", ".join(available())
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {known}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="liushou-bench-") as scratch:
        return run_all(names, options, Path(scratch))


def run_all(names: list[str], options: list[str], scratch: Path) -> int:
    # The servers a benchmark starts hash student numbers with a key of their own for this run, not
    # one left in the user's config folder (~/.config/liushou-server) by a benchmark.
    os.environ.setdefault("SYNC_SECRET_FILE", str(scratch / "secret.key"))
    for name in names:
        print(f"== {name} ==")
        module = importlib.import_module(f"bench.{name}")
        saved, sys.argv = sys.argv, [f"python -m bench.{name}", *options]
        try:
            status = module.main()
        finally:
            sys.argv = saved
        if status:
            return int(status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
