import pytest

from casework.phones import InvalidPhone, to_e164


@pytest.mark.parametrize(
    "raw", ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "84 912 345 678"]
)
def test_mobile_numbers_in_any_format(raw):
    assert to_e164(raw) == "+84912345678"


def test_hanoi_landline():
    assert to_e164("024 3223 3111") == "+842432233111"


@pytest.mark.parametrize("raw", ["0123", "abc", "", "0000000000"])
def test_malformed_numbers(raw):
    with pytest.raises(InvalidPhone):
        to_e164(raw)
