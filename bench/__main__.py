"""`python -m bench NAME …` (or `make bench ARGS="NAME"`): run benchmarks by name; no name lists them."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HELPERS = {"__main__", "history_db", "timing"}


def available() -> list[str]:
    folder = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(folder)]) if m.name not in HELPERS)


def main(argv: list[str]) -> int:
    names = argv or []
    if not names:
        print("benchmarks: " + ", ".join(available()))
        print("run one: python -m bench NAME   (or: make bench ARGS=NAME)")
        return 0
    unknown = [n for n in names if n not in available()]
    if unknown:
        known = ", ".join(available())
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {known}", file=sys.stderr)
        return 2
    for name in names:
        print(f"== {name} ==")
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
