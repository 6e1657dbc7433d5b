"""The [readers] table of the kiosk's config file, and what the kiosk opens from it."""

import re
import tomllib

import pytest

import hardware.config
from hardware.config import ReaderSettings
from hardware.debounce import DEFAULT_GAP_SECONDS
from hardware.detect import _uart_is_console
from hardware.factory import build_hub, sources_for
from hardware.frames import rdm6300_frame
from hardware.pcsc import PcscSource
from hardware.serial_reader import SerialSource
from tests.hardware.helpers import next_tap


def opened(settings, ports=()):
    return [source.name for source in sources_for(settings, find_ports=lambda: list(ports))]


def test_a_kiosk_with_no_reader_settings_uses_everything_it_can_find():
    settings = ReaderSettings.from_mapping(None)
    assert settings.use == ("pcsc", "serial", "keyboard")
    assert settings.debounce_seconds == DEFAULT_GAP_SECONDS
    assert opened(settings, ports=["/dev/ttyUSB0"]) == ["PC/SC", "serial /dev/ttyUSB0"]


def test_the_example_in_the_config_docs_is_valid_toml_and_valid_settings():
    example = re.search(r"Example::\n\n(.*?)\n\n\"auto\"", hardware.config.__doc__, re.S).group(1)
    settings = ReaderSettings.from_mapping(tomllib.loads(example.replace("    ", "", 1))["readers"])
    assert settings.serial[0].port == "/dev/ttyUSB0" and settings.keyboard.card_patterns == (r"\d{10}",)


def test_room_with_one_rdm6300_on_the_pi_uart_and_nothing_else():
    settings = ReaderSettings.from_mapping(
        tomllib.loads(
            """
            [readers]
            use = ["serial"]
            debounce_seconds = 2.5
            [[readers.serial]]
            port = "/dev/serial0"
            baud = 9600
            em4100_uid = "hex"
            """
        )["readers"]
    )
    assert opened(settings, ports=["/dev/ttyUSB0"]) == ["serial /dev/serial0"]
    assert (settings.serial[0].em4100_uid, settings.debounce_seconds) == ("hex", 2.5)


def test_auto_port_adds_every_likely_adapter_not_already_named():
    settings = ReaderSettings.from_mapping(
        {"use": ["serial"], "serial": [{"port": "/dev/ttyUSB1", "protocol": "lines"}, {"port": "auto"}]}
    )
    assert opened(settings, ports=["/dev/ttyUSB0", "/dev/ttyUSB1"]) == [
        "serial /dev/ttyUSB1",
        "serial /dev/ttyUSB0",
    ]
    protocols = [source.settings.protocol for source in sources_for(settings, lambda: ["/dev/ttyUSB0"])]
    assert protocols == ["lines", "rdm6300"]


def test_a_single_serial_table_is_accepted_as_well_as_a_list():
    settings = ReaderSettings.from_mapping({"serial": {"port": "/dev/ttyAMA0", "baud": 115200}})
    assert [(s.port, s.baud) for s in settings.serial] == [("/dev/ttyAMA0", 115200)]


def test_pcsc_reader_filters():
    settings = ReaderSettings.from_mapping({"use": "pcsc", "pcsc": {"readers": ["ACR122"], "ignore": []}})
    (source,) = sources_for(settings)
    assert isinstance(source, PcscSource)
    assert source.settings.wants("ACS ACR122U PICC Interface 00 00")
    assert not source.settings.wants("Virtual PCD 00 00")


@pytest.mark.parametrize(
    "table, complaint",
    [
        ({"debounce": 2}, "not a setting here; did you mean debounce_seconds"),
        ({"use": ["nfc"]}, '"pcsc" or "serial" or "keyboard", not "nfc"'),
        ({"use": []}, "between 1 and"),
        ({"serial": [{"baud": 9600}]}, r"serial\[0\].port: is required"),
        ({"serial": [{"port": "/dev/ttyUSB0", "baud": "fast"}]}, "whole number"),
        ({"serial": [{"port": "/dev/ttyUSB0", "protocol": "wiegand"}]}, "protocol"),
        ({"serial": [{"port": "/dev/ttyUSB0", "em4100_uid": "octal"}]}, "em4100_uid"),
        ({"pcsc": {"poll_seconds": 1.0}}, "twice"),
        ({"keyboard": {"card_pattern": "x"}}, "did you mean card_patterns"),
        ({"keyboard": {"card_patterns": ["[0-9"]}}, "not a valid pattern"),
        ({"keyboard": {"reader": 5}}, "text"),
        ({"keyboard": {"min_length": 9, "max_length": 4}}, "min_length"),
        ({"serial": [{"port": "/dev/ttyUSB0", "baud": 0}]}, "between"),
        ({"serial": "/dev/ttyUSB0"}, "list of tables"),
        ({"keyboard": {"min_length": 2.5}}, "whole number"),
        ({"reconnect_first_seconds": 20}, "reconnect"),
        ({"debounce_seconds": True}, "number"),
    ],
)
def test_mistakes_in_the_config_file_are_reported_at_start_up(table, complaint):
    with pytest.raises(ValueError, match=complaint):
        ReaderSettings.from_mapping(table)


def test_hub_built_from_settings_reads_a_configured_serial_port(serial_line):
    settings = ReaderSettings.from_mapping(
        {"use": ["serial", "keyboard"], "debounce_seconds": 0.6, "serial": [{"port": str(serial_line.path)}]}
    )
    with build_hub(settings, find_ports=lambda: []) as readers:
        assert [type(s) for s in readers.sources] == [SerialSource] and readers.wedge is not None
        assert readers.wait_until_connected(10)
        serial_line.write(rdm6300_frame(bytes.fromhex("1A00BC614E")))
        assert next_tap(readers).uid == "0012345678"


@pytest.mark.parametrize(
    "cmdline, console",
    [
        ("console=serial0,115200 console=tty1 root=/dev/mmcblk0p2", True),
        ("console=tty1 root=/dev/mmcblk0p2 quiet", False),
    ],
)
def test_pi_uart_used_by_the_console_is_not_taken_for_a_reader(cmdline, console):
    assert _uart_is_console(cmdline) is console
