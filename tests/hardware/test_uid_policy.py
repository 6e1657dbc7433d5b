"""One spelling per card, whatever reader the room bought."""

import pytest

from db.card_uid import normalise_uid
from hardware.base import em4100_uid
from hardware.fake import keystrokes
from hardware.frames import CardNumber, Rdm6300Parser, rdm6300_frame
from hardware.wedge import WedgeDecoder

# An EM4100 card: version byte 0x1A, card number 0x00BC614E = 12345678, printed on it as "0012345678".
EM_CARD = bytes.fromhex("1A00BC614E")


def test_pcsc_uid_is_upper_case_hex_whatever_separators_the_reader_used():
    assert {normalise_uid(s) for s in ("04:a2:b3:c4", "04 A2 B3 C4", "04a2b3c4", " 04-A2-B3-C4\r\n")} == {
        "04A2B3C4"
    }


@pytest.mark.parametrize("junk", ["", "   ", "04:a2:!!", "０４Ａ２"])
def test_junk_is_not_a_uid(junk):
    with pytest.raises(ValueError):
        normalise_uid(junk)


def test_em4100_card_is_its_printed_ten_digit_number():
    assert em4100_uid(EM_CARD) == "0012345678"


def test_em4100_card_reads_the_same_on_a_serial_module_and_on_a_wedge_reader():
    """A room can swap an RDM6300 for a USB reader that types the number without re-registering cards."""
    from_serial = Rdm6300Parser().feed(rdm6300_frame(EM_CARD))
    decoder = WedgeDecoder()
    typed = [decoder.feed(key, at) for key, at in keystrokes("0012345678", start=5.0, key_gap=0.012)]
    assert from_serial == [CardNumber(typed[-1].uid)]


def test_em4100_hex_style_keeps_the_version_byte_for_rooms_that_need_it():
    assert em4100_uid(EM_CARD, "hex") == "1A00BC614E"
    assert Rdm6300Parser("hex").feed(rdm6300_frame(EM_CARD)) == [CardNumber("1A00BC614E")]


def test_cards_differing_only_in_version_byte_collide_in_decimal_style_and_not_in_hex():
    other = bytes.fromhex("2B00BC614E")
    assert em4100_uid(EM_CARD) == em4100_uid(other)
    assert em4100_uid(EM_CARD, "hex") != em4100_uid(other, "hex")


def test_em4100_id_must_be_five_bytes_and_style_known():
    with pytest.raises(ValueError):
        em4100_uid(bytes(4))
    with pytest.raises(ValueError):
        em4100_uid(EM_CARD, "octal")
