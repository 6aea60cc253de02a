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


# PPP: the birth-registration codes of the 63 provinces (Thông tư 07/2016/TT-BCA, Phụ lục).
# The 2025 merger of provinces issued no new codes: numbers already given keep theirs, and
# each of the 34 provinces registers births under a code of this list.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip


def province_known(digits: str) -> bool:
    """Whether PPP is a province's birth-registration code (``999…`` is no province's)."""
    return digits[:3] in PROVINCE_CODES


def problems(digits: str, *, sex: Sex | None, birth_year: int | None) -> list[str]:
    """What is wrong with a stored number, as message keys (``casework.messages``):
    empty when it is well formed, from a known province, and agrees with the record."""
    if not is_well_formed(digits):
        return ["personal_id_format"]
    found: list[str] = []
    if not province_known(digits):
        found.append("personal_id_province")
    number = PersonalId(digits)
    if sex is not None and number.sex != sex:
        found.append("personal_id_sex_mismatch")
    if birth_year is not None and number.birth_year != birth_year:
        found.append("personal_id_year_mismatch")
    return found
