import pytest

from casework.children.models import Sex
from casework.children.personal_id import PersonalId, is_well_formed, normalise


@pytest.mark.parametrize(
    ("digits", "sex", "year"),
    [
        ("001216000123", Sex.male, 2016),
        ("020309000001", Sex.female, 2009),
        ("079099123456", Sex.male, 1999),
        ("079185123456", Sex.female, 1985),
        ("001400000001", Sex.male, 2100),
    ],
)
def test_century_sex_digit_and_year_digits(digits, sex, year):
    pid = PersonalId(digits)
    assert pid.sex == sex
    assert pid.birth_year == year


def test_people_type_groups_with_spaces_and_dots():
    assert normalise("020 309.000-001") == "020309000001"


@pytest.mark.parametrize("raw", ["02030900000", "0203090000012", "02030900000a", ""])
def test_only_twelve_digits_are_well_formed(raw):
    assert not is_well_formed(raw)
