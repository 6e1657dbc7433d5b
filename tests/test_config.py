from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hardware.config import ReaderSettings
from kiosk.platform.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[1]


def test_database_path_precedence(tmp_path: Path) -> None:
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text('[kiosk]\ndb = "/srv/room/from-file.sqlite3"\nlocale = "en"\n', encoding="utf-8")
    env = {"KIOSK_DATA_DIR": str(tmp_path)}
    assert load_config(env=env).db_path == Path("/srv/room/from-file.sqlite3")
    assert load_config(env={**env, "KIOSK_DB": "/tmp/env.sqlite3"}).db_path == Path("/tmp/env.sqlite3")
    assert load_config(db="/tmp/flag.sqlite3", env={**env, "KIOSK_DB": "/x"}).db_path == Path(
        "/tmp/flag.sqlite3"
    )
    assert load_config(env=env).locale == "en"


def test_defaults_live_in_the_data_directory(tmp_path: Path) -> None:
    config = load_config(env={"KIOSK_DATA_DIR": str(tmp_path)})
    assert config.db_path == tmp_path / "kiosk.sqlite3"
    assert config.locale == "zh_CN" and config.readers == ReaderSettings()


def test_readers_section_becomes_the_reader_settings(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text(
        '[readers]\nuse = ["serial"]\n[[readers.serial]]\nport = "/dev/ttyUSB0"\n', encoding="utf-8"
    )
    readers = load_config(env={"KIOSK_DATA_DIR": str(tmp_path)}).readers
    assert readers.use == ("serial",) and [s.port for s in readers.serial] == ["/dev/ttyUSB0"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [("[kiosk\n", "kiosk.toml"), ('[kiosk]\nlocale = "fr"\n', 'must be "zh_CN" or "en"')],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "kiosk.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_config(env={"KIOSK_DATA_DIR": str(tmp_path)})


def test_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(config_file=str(tmp_path / "missing.toml"), env={"KIOSK_DATA_DIR": str(tmp_path)})


# -- every key of every table, with the file and line named ------------------------------------------


def problem_with(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "kiosk.toml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    with pytest.raises(ConfigError) as raised:
        load_config(env={"KIOSK_DATA_DIR": str(tmp_path)})
    return str(raised.value)


@pytest.mark.parametrize(
    ("text", "line", "named", "says"),
    [
        (
            "[kiosk]\nlocale = 'en'\nidle_timout_seconds = 30\n",
            3,
            "idle_timout_seconds",
            "idle_timeout_seconds",
        ),
        ("[sycn]\nserver_url = 'https://10.0.0.1:8700'\n", 1, "[sycn]", "[sync]"),
        ('[kiosk]\nfullscreen = "no"\n', 2, "fullscreen", "true or false"),
        ('[kiosk]\nbarcode_prefixes = "TS"\n', 2, "barcode_prefixes", "list"),
        ('[kiosk]\nbarcode_prefixes = ["TS", "书"]\n', 2, "barcode_prefixes", "A-Z"),
        ("[kiosk]\nidle_timeout_seconds = 0\n", 2, "[kiosk] idle_timeout_seconds", "between 5 and 600"),
        ("[kiosk]\nidle_timeout_seconds = -30\n", 2, "idle_timeout_seconds", "between 5 and 600"),
        ("[kiosk]\nadmin_timeout_seconds = 0\n", 2, "admin_timeout_seconds", "between"),
        ("[kiosk]\nmessage_seconds = 2.5\n", 2, "message_seconds", "whole number"),
        ('[kiosk]\nidle_timeout_seconds = "thirty"\n', 2, "idle_timeout_seconds", "whole number"),
        ("[kiosk]\n\ndb = 5\n", 3, "db", "text"),
        ('[kiosk]\nlocale = "fr"\n', 2, "locale", "zh_CN"),
        ('[sync]\nserver_url = "192.168.1.10:8700"\n', 2, "server_url", "https://"),
        ('[sync]\nserver_url = "https://"\n', 2, "server_url", "machine"),
        ('[sync]\nca_file = "/nowhere/server.crt"\n', 2, "ca_file", "no such file"),
        ('locale = "en"\n', 1, "locale", "[kiosk]"),
        (
            '[readers]\nuse = ["keyboard"]\n[readers.keyboard]\nmax_key_gap_seconds = "fast"\n',
            4,
            "[readers.keyboard] max_key_gap_seconds",
            "number",
        ),
        (
            '[readers]\n[[readers.serial]]\nport = "/dev/ttyUSB0"\n'
            '[[readers.serial]]\nport = "/dev/ttyUSB1"\nbaud = -9600\n',
            6,
            "[[readers.serial]] #2 baud",
            "between",
        ),
        ('[readers.keyboard]\ncard_patterns = ["[0-9"]\n', 2, "[readers.keyboard] card_patterns", "pattern"),
        ("[readers]\ndebounce_secs = 2\n", 2, "debounce_secs", "debounce_seconds"),
        ("kiosk = 3\n", 1, "kiosk", "table"),
    ],
)
def test_each_mistake_is_named_with_its_file_line_and_key(
    tmp_path: Path, text: str, line: int, named: str, says: str
) -> None:
    message = problem_with(tmp_path, text)
    assert f"{tmp_path / 'kiosk.toml'}:{line}:" in message
    assert named in message and says in message


def test_every_mistake_in_the_file_is_listed_at_once(tmp_path: Path) -> None:
    message = problem_with(tmp_path, "[kiosk]\nfullscreen = 'no'\nidle_timeout_seconds = 0\n[sycn]\n")
    assert [line.split(":")[1] for line in message.splitlines()] == ["2", "3", "4"]


def test_a_file_saved_as_gbk_is_named_and_the_fix_given(tmp_path: Path) -> None:
    message = problem_with(tmp_path, '[kiosk]\n# 设置\nlocale = "zh_CN"\n'.encode("gbk"))
    assert str(tmp_path / "kiosk.toml") in message and "GBK" in message and "UTF-8" in message
    assert ":2:" in message


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_bytes('\ufeff[kiosk]\nlocale = "en"\n'.encode())
    assert load_config(env={"KIOSK_DATA_DIR": str(tmp_path)}).locale == "en"


def test_broken_toml_names_the_file_and_line(tmp_path: Path) -> None:
    message = problem_with(tmp_path, "[kiosk]\nlocale = en\n")
    assert f"{tmp_path / 'kiosk.toml'}:2:" in message


def test_a_locale_from_the_environment_is_checked_too(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="KIOSK_LOCALE"):
        load_config(env={"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_LOCALE": "fr"})


def test_the_readme_example_is_a_valid_file(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "server.crt").write_text("not checked here")
    example = example.replace("/etc/liushou/server.crt", str(tmp_path / "server.crt"))
    (tmp_path / "kiosk.toml").write_text(example, encoding="utf-8")
    config = load_config(env={"KIOSK_DATA_DIR": str(tmp_path)})
    assert config.server_url == "https://192.168.1.10:8700" and config.idle_timeout_seconds == 30


@pytest.mark.parametrize(
    "command",
    [["kiosk"], ["kiosk", "--console"], ["kiosk", "sync", "status"]],
    ids=["touchscreen", "console", "sync"],
)
def test_touchscreen_console_and_sync_refuse_the_same_mistakes(tmp_path: Path, command: list[str]) -> None:
    text = '[kiosk]\nlocale = "en"\n[readers]\nuse = ["nfc"]\n'
    (tmp_path / "kiosk.toml").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", *command],
        env={**os.environ, "KIOSK_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)},
        input="q\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert f"{tmp_path / 'kiosk.toml'}:4: [readers] use:" in done.stderr
    assert not (tmp_path / "kiosk.sqlite3").exists()  # refused before the database was opened
