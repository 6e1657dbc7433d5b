"""The text console over SSH asks for the administrator's PIN without showing it: driven through a real
terminal (a pty), where everything else typed is echoed as a terminal does."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

from db.demo import DEMO_STAFF_PIN
from tests.test_console import REPO, demo_cards, run_kiosk


class Terminal:
    """A process on a pseudo-terminal: what a person at an SSH session sees and types."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env=env, start_new_session=True
        )
        os.close(slave)
        self.seen = ""

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            assert time.monotonic() < deadline, f"no {text!r} on the terminal: {self.seen[-400:]!r}"
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096).decode("utf-8", "replace")
                except OSError:  # the process closed the terminal
                    break

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def close(self) -> None:
        self.process.wait(timeout=30)
        os.close(self.master)


def test_the_pin_is_not_echoed_but_the_card_number_is(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    _, staff_card = demo_cards(run_kiosk(db, ["q"]))
    env = {**os.environ, "KIOSK_DATA_DIR": str(tmp_path)}
    terminal = Terminal([sys.executable, "-m", "kiosk", "--console", "--db", str(db)], env)
    try:
        terminal.wait_for("请刷卡 >")
        terminal.type(staff_card)
        terminal.wait_for("请输入密码 > ")  # the prompt itself: getpass has turned the echo off by then
        terminal.type(DEMO_STAFF_PIN)
        terminal.wait_for("您好")
        terminal.wait_for("请选择")
        terminal.type("8")  # 退出管理
        terminal.wait_for("请刷卡 >")
        terminal.type("q")
        terminal.wait_for("再见")
    finally:
        terminal.close()
    assert staff_card in terminal.seen  # the terminal echoes what is typed …
    assert DEMO_STAFF_PIN not in terminal.seen  # … but not the PIN
