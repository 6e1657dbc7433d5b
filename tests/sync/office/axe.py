"""axe-core, the maintained accessibility checker (Deque), run inside a page the browser test shows.

`make test` installs the exact axe-core of tests/a11y/package-lock.json with npm; its axe.min.js is
evaluated in the page through Playwright (not as a script tag, which the office's
Content-Security-Policy rightly refuses), then `axe.run` checks the page as it stands: every rule
axe runs by default (WCAG 2.0-2.2 A and AA, and best practice).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parents[2] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("critical", "serious")


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.page}: {self.impact} {self.rule} ({self.help}) at {', '.join(self.targets[:4])}"


@cache
def _source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: `make test` installs it (npm ci in tests/a11y)")
    return AXE_JS.read_text(encoding="utf-8")


def violations(page: Any, name: str) -> list[Violation]:
    """What axe finds on the page now, worst first; `name` says which page it was."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {_source()}\n }}")
    found = page.evaluate(
        "() => axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({"
        " rule: v.id, impact: v.impact || 'minor', help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' ')) })))"
    )
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    return sorted(
        (Violation(name, v["rule"], v["impact"], v["help"], tuple(v["targets"])) for v in found),
        key=lambda v: order.get(v.impact, 4),
    )
