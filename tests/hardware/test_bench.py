"""The reader bench still runs end to end (its figures are read by people, never asserted here)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bench_measures_serial_and_pcsc_taps_through_to_a_committed_sign_in(pcscd):
    # A separate process: the bench starts its own pcscd and points its PC/SC client at it.
    result = subprocess.run(
        [sys.executable, "-m", "bench.readers", "--serial", "3", "--pcsc", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for line in ("frame -> tap", "card -> tap", "tap -> sign-in", "ratio (tap -> sign-in) / (reader -> tap)"):
        assert line in result.stdout
    assert "did not sign a child in" not in result.stdout
    assert "skipped" not in result.stdout
