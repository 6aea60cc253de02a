"""The official list of administrative units, never typed by hand.

Since 1 July 2025 Vietnam has 34 provinces and 3,321 communes, wards and special zones
(xã, phường, đặc khu), coded by the National Statistics Office. ``vietnam-provinces``
(2025.x) ships that list; a test checks that the installed data is the post-2025 one. A
commune's code is its five-digit NSO code ("06040"), a province's two digits ("20").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

# Division types as they open a unit's name ("Xã Thất Khê"); the rest is its own name.
_TYPES = ("Xã ", "Phường ", "Đặc khu ")


@dataclass(frozen=True)
class OfficialProvince:
    code: str
    name: str  # "Lạng Sơn", "Thành phố Hà Nội"

    @property
    def full_name(self) -> str:
        """As offices write it: "tỉnh Lạng Sơn", "Thành phố Hà Nội"."""
        return self.name if self.name.startswith("Thành phố") else f"tỉnh {self.name}"


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    name: str  # "Xã Thất Khê"
    province: OfficialProvince

    @property
    def own_name(self) -> str:
        """The name without its division type: "Thất Khê"."""
        for kind in _TYPES:
            if self.name.startswith(kind):
                return self.name[len(kind) :]
        return self.name

    @property
    def in_sentence(self) -> str:
        """As it reads inside a name: "Công an xã Thất Khê"."""
        return self.name[:1].lower() + self.name[1:]


def _province_code(code: str) -> int | None:
    return int(code) if code.isdigit() and len(code) <= 2 else None


@functools.cache
def provinces() -> tuple[OfficialProvince, ...]:
    return tuple(
        OfficialProvince(f"{int(p.code):02d}", p.name)
        for p in sorted(Province.iter_all(), key=lambda p: int(p.code))
    )


def province(code: str) -> OfficialProvince | None:
    number = _province_code(code.strip())
    return next((p for p in provinces() if int(p.code) == number), None)


def province_named(name: str) -> OfficialProvince | None:
    """The province whose official name a commune stores (``Commune.province``)."""
    return next((p for p in provinces() if p.name == name), None)


def units_of(province_code: str) -> list[OfficialUnit]:
    """The province's communes, wards and special zones, by name."""
    found = province(province_code)
    if found is None:
        return []
    wards = Ward.iter_by_province(ProvinceCode(int(found.code)))
    return sorted((_unit(ward, found) for ward in wards), key=lambda u: u.code)


def unit(code: str) -> OfficialUnit | None:
    """The commune, ward or special zone of this NSO code ("6040" or "06040"), if any."""
    typed = code.strip()
    if not typed.isdigit() or len(typed) > 5:
        return None
    try:
        ward = Ward.from_code(WardCode(int(typed)))
    except ValueError:
        return None
    parent = province(f"{int(ward.province_code):02d}")
    assert parent is not None
    return _unit(ward, parent)


def _unit(ward: Ward, parent: OfficialProvince) -> OfficialUnit:
    return OfficialUnit(f"{int(ward.code):05d}", ward.name, parent)
