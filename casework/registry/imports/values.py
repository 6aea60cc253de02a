"""Cell values as people type them in Vietnamese lists, made into dates, years, sexes,
groups and personal ids. Each parser takes what the reader gave (text, a number, a date)
and raises ``PydanticCustomError`` with a message code (``.messages``) when it cannot."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta
from typing import Any

from pydantic_core import PydanticCustomError

from casework import text
from casework.base import label
from casework.children import personal_id
from casework.children.models import CircumstanceGroup, Sex
from casework.schemas_common import FIRST_YEAR, LAST_YEAR

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug kept)
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YEAR = re.compile(r"^\d{4}$")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> Any:
    """A number typed in a text column ("12" read as 12.0) as people wrote it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value  # an empty required cell reads "Nhập …"


def _bad_date(value: Any) -> PydanticCustomError:
    return PydanticCustomError("import_date", "not a date", {"value": str(value)[:40]})


def year_in_range(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PydanticCustomError("import_year", "not a year", {"value": str(year)})
    return year


def parse_date(value: Any) -> date | int | None:
    """A date typed as text (``dd/mm/yyyy``, ``d/m/yyyy``, ISO), stored as a date or a
    datetime, or as Excel's serial number; a bare year (a list that only knows the year
    writes "2016" under "Ngày sinh") comes back as that int."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        year_in_range(value.year)
        return value
    if isinstance(value, bool):
        raise _bad_date(value)
    if isinstance(value, int | float):
        if float(value).is_integer() and FIRST_YEAR <= value <= LAST_YEAR:
            return int(value)
        if 1 <= value < 2_958_466:  # up to 9999-12-31
            day = EXCEL_EPOCH + timedelta(days=int(value))
            year_in_range(day.year)
            return day
        raise _bad_date(value)
    typed = str(value).strip()
    if _YEAR.match(typed):
        return year_in_range(int(typed))
    found = _DMY.match(typed)
    parts = (found.group(3), found.group(2), found.group(1)) if found else None
    if parts is None and (found := _ISO.match(typed)):
        parts = (found.group(1), found.group(2), found.group(3))
    if parts is None:
        raise _bad_date(value)
    try:
        day = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise PydanticCustomError("import_date_unreal", "no such day", {"value": typed}) from None
    year_in_range(day.year)
    return day


def parse_year(value: Any) -> int | None:
    if blank(value):
        return None
    if isinstance(value, datetime | date):
        return year_in_range(value.year)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return year_in_range(value)
    typed = str(value).strip()
    if _YEAR.match(typed):
        return year_in_range(int(typed))
    raise PydanticCustomError("import_year", "not a year", {"value": typed[:40]})


_SEXES = {"nam": Sex.male, "trai": Sex.male, "m": Sex.male, "male": Sex.male,
          "nu": Sex.female, "gai": Sex.female, "f": Sex.female, "female": Sex.female}  # fmt: skip


@functools.lru_cache(maxsize=256)  # a list writes its few spellings on every row
def _sex(typed: str) -> Sex | None:
    return _SEXES.get(text.fold(typed))


def parse_sex(value: Any) -> Any:
    if blank(value):
        return value  # "missing" from the model itself
    found = _sex(str(value))
    if found is None:
        raise PydanticCustomError("import_sex", "not a sex", {"value": str(value)[:40]})
    return found


# "a".."o" as the law letters them; "đ" is written "đ", "dd" or "d1" in lists.
_LETTERS = {group.value: group for group in CircumstanceGroup} | {"đ": CircumstanceGroup.dd}
_LABELS = {text.fold(label(group, "vi").split(") ", 1)[1]): group for group in CircumstanceGroup}
_SPLIT = re.compile(r"[,;+\n]|\s+và\s+")


def _group(part: str) -> CircumstanceGroup | None:
    lower = part.strip().lower().rstrip(").").strip()
    if lower.startswith(("nhóm ", "nhom ")):
        lower = lower.split(" ", 1)[1].strip()
    if lower in _LETTERS:
        return _LETTERS[lower]
    head = re.match(r"^(đ|[a-o]{1,2})\s*\)", part.strip().lower())
    if head and head.group(1) in _LETTERS:
        return _LETTERS[head.group(1)]
    return _LABELS.get(text.fold(part).strip(" ."))


def parse_groups(value: Any) -> list[CircumstanceGroup]:
    """Letters ("a", "i, k", "đ") or the law's words ("Bị bỏ rơi"), one or several."""
    if blank(value):
        return []
    typed = text.clean(str(value))
    whole = _group(typed)
    if whole is not None:
        return [whole]
    found: list[CircumstanceGroup] = []
    for part in (p for p in _SPLIT.split(typed) if p.strip()):
        group = _group(part)
        if group is None:
            raise PydanticCustomError("import_group", "not a group", {"value": part.strip()[:60]})
        if group not in found:
            found.append(group)
    return found


def parse_personal_id(value: Any) -> str | None:
    """12 digits; a number typed into a cell loses its leading 0 (every province code starts
    with 0 or 1), so an 11-digit number gets it back."""
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
        if len(digits) == 11:
            digits = "0" + digits
    else:
        digits = personal_id.normalise(str(value))
    if not personal_id.is_well_formed(digits):
        raise PydanticCustomError("personal_id_format", "must be 12 digits")
    return digits


def parse_phone(value: Any) -> Any:
    """A phone typed as a number lost its leading 0 (912345678): give it back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
        return "0" + digits if len(digits) == 9 else digits
    return as_text(value)
