"""The README's demo cheat sheet must match what the demo generator really produces."""

from __future__ import annotations

from pathlib import Path

from db.demo import DEMO_STAFF_PIN, DemoSummary

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_demo_cards_in_readme_are_real(demo: DemoSummary) -> None:
    for uid in demo.sample_child_cards + demo.sample_staff_cards + demo.sample_barcodes:
        assert f"`{uid}`" in README
    assert f"PIN `{DEMO_STAFF_PIN}`" in README
    assert f"{demo.books} books" in README
