import unicodedata

import pytest

from casework.text import clean, fold, initials


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Nguyễn Thị Hoa", "nguyen thi hoa"),
        ("NGUYỄN  THỊ   HOA ", "nguyen thi hoa"),
        ("Đặng Ngọc Ánh", "dang ngoc anh"),
        ("đ Đ", "d d"),
        ("Ễ Ặ Ỗ Ữ Ỷ ỹ", "e a o u y y"),
        ("H'Mông Thị Mỷ", "h'mong thi my"),
    ],
)
def test_fold_ignores_diacritics_case_and_spacing(raw, key):
    assert fold(raw) == key


def test_fold_treats_decomposed_input_like_precomposed():
    name = "Hoàng Thị Hường"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name) == "hoang thi huong"


def test_clean_stores_nfc_with_single_spaces():
    assert clean(unicodedata.normalize("NFD", "  Lò  Văn\tTính ")) == "Lò Văn Tính"
    assert unicodedata.is_normalized("NFC", clean(unicodedata.normalize("NFD", "Ngọc")))


def test_initials_hide_the_name():
    assert initials("Nguyễn Thị Hoa") == "N.T.H."
