"""This software's version, as installed: the kiosk reports it to the server at every push, so the
office can see which kiosks still run an old version. Lowest package, so every side can read it."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def software_version() -> str:
    try:
        return version("liushou-kiosk")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"
