"""Reading spreadsheets as communes save them: the header row wherever it is, formulas as
their values, dates however they were typed, and files that cannot be read named."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from pydantic_core import PydanticCustomError

from casework.children.models import CircumstanceGroup as G
from casework.registry.imports.children import FIELDS
from casework.registry.imports.reader import FileProblem, kind_of, read
from casework.registry.imports.values import parse_date, parse_groups, parse_personal_id
from tests.factories.spreadsheets import Formula, csv_bytes, xlsx


def encrypted_xlsx() -> bytes:
    """A workbook saved with a password, as Excel does (an encrypted OLE container)."""
    plain, locked = io.BytesIO(xlsx([["Lò Văn A"]])), io.BytesIO()
    OOXMLFile(plain).encrypt("mat-khau", locked)
    return locked.getvalue()


def table(data: bytes, name: str = "ds.xlsx"):  # type: ignore[no-untyped-def]
    return read(data, kind_of(data, name), recognise=FIELDS.sighted)


def test_formulas_are_read_as_the_values_excel_computed():
    found = table(xlsx([[1, Formula('=PROPER("lò văn a")', "Lò Văn A"), Formula("=2010+6", 2016)]]))
    assert found.rows[0][1][1:3] == ["Lò Văn A", 2016.0]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("14/05/2016", date(2016, 5, 14)),
        ("4/5/2016", date(2016, 5, 4)),
        ("04.05.2016", date(2016, 5, 4)),
        ("2016-05-14", date(2016, 5, 14)),
        ("2016-05-14 00:00:00", date(2016, 5, 14)),
        (42504, date(2016, 5, 14)),  # Excel's serial number
        (42504.0, date(2016, 5, 14)),
        (datetime(2016, 5, 14, 0, 0), date(2016, 5, 14)),
        (date(2016, 5, 14), date(2016, 5, 14)),
        ("2016", 2016),  # only the year is known
        (2016, 2016),
        ("", None),
    ],
)
def test_dates_typed_as_text_as_serial_numbers_or_as_dates(typed, meant):
    assert parse_date(typed) == meant


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("31/02/2016", "import_date_unreal"),
        ("mùng 5 tháng 3", "import_date"),
        ("1/1/1850", "import_year"),
    ],
)
def test_a_date_that_is_none_is_named(typed, code):
    with pytest.raises(PydanticCustomError) as refused:
        parse_date(typed)
    assert refused.value.type == code


def test_excel_dates_in_a_workbook_arrive_as_dates():
    found = table(xlsx([["Lò Văn A", datetime(2016, 5, 14)]], headings=("Họ và tên", "Ngày sinh")))
    assert found.rows[0][1][1] == date(2016, 5, 14)


@pytest.mark.parametrize(
    ("typed", "groups"),
    [
        ("a", [G.a]),
        ("A, i", [G.a, G.i]),
        ("đ", [G.dd]),
        ("dd; k", [G.dd, G.k]),
        ("b) Bị bỏ rơi", [G.b]),
        ("bi bo roi", [G.b]),
        ("Mắc bệnh hiểm nghèo, điều trị dài ngày thuộc hộ nghèo, cận nghèo", [G.n]),
        ("Nhóm m", [G.m]),
    ],
)
def test_groups_as_letters_or_as_the_law_s_words(typed, groups):
    assert parse_groups(typed) == groups


def test_a_personal_id_typed_as_a_number_gets_its_leading_zero_back():
    assert parse_personal_id(20316000123) == "020316000123"
    assert parse_personal_id("020 316 000 123") == "020316000123"


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", False), (",", True), (";", False), (";", True)]
)
def test_csv_comma_or_semicolon_with_or_without_a_byte_order_mark(delimiter, bom):
    found = table(csv_bytes([[1, "Lò Văn A", "14/05/2016"]], delimiter=delimiter, bom=bom), "a.csv")
    assert found.headings[:3] == ["STT", "Họ và tên", "Ngày sinh"]
    assert found.rows == [(2, ["1", "Lò Văn A", "14/05/2016"])]


def test_headings_recognised_without_diacritics_or_case():
    headings = ["HO VA TEN", "ngay sinh", "Năm sinh", "GIỚI TÍNH", "Dan toc", "Mã định danh",
                "Thôn", "Nhóm HCĐB", "Họ tên cha/mẹ/người chăm sóc", "SĐT", "Ghi chú"]  # fmt: skip
    assert FIELDS.auto(headings) == [
        "full_name", "date_of_birth", "birth_year", "sex", "ethnicity", "personal_id",
        "village", "groups", "caregiver", "phone", None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "import_file_empty"),
        (b"PK\x03\x04 broken", "import_file_corrupt"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600, "import_file_corrupt"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "import_file_kind"),
    ],
)
def test_files_that_cannot_be_read_are_named(data, code):
    with pytest.raises(FileProblem) as refused:
        table(data)
    assert refused.value.code == code


def test_a_password_protected_workbook_is_recognised_before_reading():
    with pytest.raises(FileProblem) as refused:
        kind_of(encrypted_xlsx(), "ds.xlsx")
    assert refused.value.code == "import_file_encrypted"


def test_a_zip_that_is_no_workbook_and_a_csv_not_in_utf8_are_named():
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(FileProblem) as refused:
        kind_of(other.getvalue(), "ds.xlsx")
    assert refused.value.code == "import_file_kind"
    with pytest.raises(FileProblem) as refused:
        table("Ho va ten,Ngày sinh\nLo Van A,2016\n".encode("latin-1"), "a.csv")
    assert refused.value.code == "import_csv_encoding"


def test_no_header_row_in_the_first_rows_is_named():
    with pytest.raises(FileProblem) as refused:
        table(xlsx([["x", "y"]], headings=("Cột A", "Cột B")))
    assert refused.value.code == "import_no_header"
