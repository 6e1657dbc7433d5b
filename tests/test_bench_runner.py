"""`python -m bench` finds benchmarks by name and hands each its own options (figures are not asserted)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench", *args], capture_output=True, text=True, timeout=120)


def test_without_a_name_it_lists_the_benchmarks_but_not_its_helpers():
    listing = run_bench().stdout
    assert "admin_queries" in listing and "readers" in listing
    assert "history_db" not in listing and "timing" not in listing


def test_an_unknown_name_is_refused_with_the_list():
    result = run_bench("no_such_bench")
    assert result.returncode == 2
    assert "unknown benchmark(s): no_such_bench" in result.stderr and "readers" in result.stderr


def test_options_after_the_name_reach_the_benchmark():
    result = run_bench("readers", "--serial", "2", "--pcsc", "0")
    assert result.returncode == 0, result.stderr
    assert "frame -> tap                                  2" in result.stdout


def test_a_benchmark_refusing_its_options_fails_the_run():
    result = run_bench("readers", "--no-such-option")
    assert result.returncode != 0
    assert "unrecognized arguments: --no-such-option" in result.stderr


def test_a_benchmark_stopped_with_sigterm_runs_its_cleanup(tmp_path: Path):
    cleaned = tmp_path / "cleaned"
    program = (
        "import time\n"
        "from bench.__main__ import stop_cleanly_on_sigterm\n"
        "stop_cleanly_on_sigterm()\n"
        "try:\n"
        "    print('started', flush=True)\n"
        "    time.sleep(60)\n"
        "finally:\n"
        f"    open({str(cleaned)!r}, 'w').write('cluster stopped')\n"
    )
    bench = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    assert bench.stdout is not None and bench.stdout.readline() == "started\n"
    bench.send_signal(signal.SIGTERM)
    assert bench.wait(timeout=30) == 128 + signal.SIGTERM
    assert cleaned.read_text() == "cluster stopped"
