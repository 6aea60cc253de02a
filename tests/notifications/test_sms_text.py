"""SMS length as carriers count it: GSM-7 septets or UCS-2 units, single or concatenated."""

from __future__ import annotations

import pytest

from notifications.sms_text import SmsSize, max_units, measure, unaccent


def test_vietnamese_without_diacritics_keeps_case_and_punctuation():
    assert unaccent("Hồ sơ ĐÃ quá hạn: đề nghị xử lý!") == "Ho so DA qua han: de nghi xu ly!"
    assert unaccent("Trạm y tế xã Châu Sơn") == "Tram y te xa Chau Son"


def test_plain_ascii_is_gsm7_and_fits_160_in_one_sms():
    assert measure("a" * 160) == SmsSize("GSM-7", 160, 1)
    assert measure("a" * 161).segments == 2
    assert measure("a" * 306).segments == 2  # 2 x 153
    assert measure("a" * 307).segments == 3


def test_gsm7_extension_characters_cost_two_units_and_are_never_split():
    assert measure("[x]").units == 5
    assert measure("€" * 80) == SmsSize("GSM-7", 160, 1)
    # 152 plain + one escaped pair would straddle the 153-unit boundary: it moves on.
    assert measure("a" * 152 + "{" + "a" * 10).segments == 2
    assert measure("a" * 152 + "{" + "a" * 152).segments == 3


def test_one_vietnamese_letter_makes_the_whole_text_ucs2():
    text = "Ho so CS-2026-00042 qua han" + "ạ"
    size = measure(text)
    assert size.encoding == "UCS-2"
    assert size.units == len(text)
    assert measure("ạ" * 70).segments == 1
    assert measure("ạ" * 71).segments == 2
    assert measure("ạ" * 134).segments == 2  # 2 x 67
    assert measure("ạ" * 135).segments == 3


def test_characters_outside_the_bmp_take_two_units():
    assert measure("🙂").units == 2
    assert measure("🙂" * 35).segments == 1
    assert measure("a" + "🙂" * 35).segments == 2


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("Nhắc việc: hồ sơ CS-2026-00042, hạn 14:30 02/03.", "UCS-2", 1),
        ("Nhac viec: ho so CS-2026-00042, han 14:30 02/03.", "GSM-7", 1),
    ],
)
def test_the_same_reminder_with_and_without_diacritics(text, encoding, segments):
    size = measure(text)
    assert (size.encoding, size.segments) == (encoding, segments)


def test_budget_in_units():
    assert max_units("GSM-7", 1) == 160
    assert max_units("GSM-7", 2) == 306
    assert max_units("UCS-2", 1) == 70
    assert max_units("UCS-2", 3) == 201
