from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config


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
    assert config.locale == "zh_CN" and config.readers == {}


def test_readers_section_is_passed_through(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text(
        '[readers]\nkind = "serial"\nport = "/dev/ttyUSB0"\n', encoding="utf-8"
    )
    assert load_config(env={"KIOSK_DATA_DIR": str(tmp_path)}).readers == {
        "kind": "serial",
        "port": "/dev/ttyUSB0",
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [("[kiosk\n", "kiosk.toml"), ('[kiosk]\nlocale = "fr"\n', "unsupported locale")],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "kiosk.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_config(env={"KIOSK_DATA_DIR": str(tmp_path)})


def test_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(config_file=str(tmp_path / "missing.toml"), env={"KIOSK_DATA_DIR": str(tmp_path)})
