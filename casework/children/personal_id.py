"""The 12-digit personal identification number (số định danh cá nhân): PPPGYYSSSSSS.

PPP is the province of birth registration, G the century and sex (0/1 male/female
born 1900–1999, 2/3 born 2000–2099, 4/5 2100–2199 …), YY the last two digits of the
birth year, SSSSSS a serial (Thông tư 07/2016/TT-BCA).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.children.models import Sex

_FORMAT = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class PersonalId:
    digits: str

    @property
    def century_digit(self) -> int:
        return int(self.digits[3])

    @property
    def sex(self) -> Sex:
        return Sex.female if self.century_digit % 2 else Sex.male

    @property
    def birth_year(self) -> int:
        century = 1900 + (self.century_digit // 2) * 100
        return century + int(self.digits[4:6])


def normalise(raw: str) -> str:
    """Drop the spaces and dots people type between digit groups."""
    return re.sub(r"[\s.\-]", "", raw)


def is_well_formed(digits: str) -> bool:
    return bool(_FORMAT.match(digits))
