"""The sub-groups of children in special circumstances, as data.

Luật Trẻ em 2016 Đ10 names the 14 groups (``CircumstanceGroup``, labelled there); Nghị định
56/2017/NĐ-CP Đ3–16 gives each group its own article and, where the group is wide, lists
the cases it covers. A membership names its group and, when the decree splits the group,
one of these sub-groups by ``code``. Codes are stable: reports and exports keep them, so a
code is never reused for another case; a correction to a label keeps the code.

``basis`` names where each list comes from. Groups a and b follow NĐ56 Đ3 and Đ4; c
follows Đ5 as secondary sources quote it (eleven cases; the official text should be
checked for a twelfth before c.10 and c.11 are relied on in reports); d follows the three
levels of disability (Luật Người khuyết tật, repeated in NĐ56 Đ6); k follows the forms of
exploitation of Luật Trẻ em Đ4 k8 ("bóc lột trẻ em"); n and o split by the words of the
group itself. Groups not listed here (đ, e, g, h, i, l, m) are recorded without a
sub-group until their articles have been checked against the official text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from casework.base import Lang
from casework.children.models import CircumstanceGroup

G = CircumstanceGroup

_PRISON = (
    "đang chấp hành án phạt tù tại trại giam hoặc đang chấp hành quyết định đưa vào cơ sở "
    "giáo dục bắt buộc, cơ sở cai nghiện bắt buộc"
)
_FACILITY = (
    "đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội hoặc không còn khả "
    "năng chăm sóc, nuôi dưỡng"
)


@dataclass(frozen=True)
class Subgroup:
    """One case the decree lists under a group: ``code`` is ``<group>.<n>``."""

    code: str
    group: CircumstanceGroup
    vi: str
    en: str
    basis: str

    def label(self, lang: Lang = "vi") -> str:
        return self.vi if lang == "vi" else self.en


def _list(group: CircumstanceGroup, basis: str, items: list[tuple[str, str]]) -> list[Subgroup]:
    return [
        Subgroup(f"{group.value}.{n}", group, vi, en, basis)
        for n, (vi, en) in enumerate(items, start=1)
    ]


SUBGROUPS: tuple[Subgroup, ...] = (
    *_list(
        G.a,
        "NĐ 56/2017 Đ3",
        [
            ("Mồ côi cả cha và mẹ, không có người chăm sóc", "No one caring for them"),
            (
                "Mồ côi cả cha và mẹ, được nuôi dưỡng trong cơ sở cung cấp dịch vụ bảo vệ trẻ em "
                "hoặc cơ sở trợ giúp xã hội",
                "Cared for in a child-protection or social-assistance facility",
            ),
            ("Mồ côi cả cha và mẹ, sống với người thân thích", "Living with relatives"),
            (
                "Mồ côi cả cha và mẹ, được cá nhân, gia đình không phải người thân thích nhận "
                "chăm sóc thay thế, trừ trường hợp được nhận làm con nuôi",
                "In alternative care with a non-relative (not adopted)",
            ),
        ],
    ),
    *_list(
        G.b,
        "NĐ 56/2017 Đ4",
        [
            ("Bị bỏ rơi, chưa được chăm sóc thay thế", "Not yet in alternative care"),
            ("Bị bỏ rơi, đã được chăm sóc thay thế", "In alternative care"),
        ],
    ),
    *_list(
        G.c,
        "NĐ 56/2017 Đ5",
        [
            (
                "Mồ côi cha hoặc mẹ và người còn lại mất tích theo quy định của pháp luật",
                "One parent dead, the other legally missing",
            ),
            (
                f"Mồ côi cha hoặc mẹ và người còn lại {_FACILITY}",
                "One parent dead, the other in a social-assistance facility or unable to care",
            ),
            (
                f"Mồ côi cha hoặc mẹ và người còn lại {_PRISON}",
                "One parent dead, the other in prison or a compulsory education or "
                "rehabilitation facility",
            ),
            ("Cả cha và mẹ mất tích theo quy định của pháp luật", "Both parents legally missing"),
            (
                f"Cha hoặc mẹ mất tích theo quy định của pháp luật và người còn lại {_FACILITY}",
                "One parent missing, the other in a social-assistance facility or unable to care",
            ),
            (
                f"Cha hoặc mẹ mất tích theo quy định của pháp luật và người còn lại {_PRISON}",
                "One parent missing, the other in prison or a compulsory facility",
            ),
            (
                f"Cả cha và mẹ {_FACILITY}",
                "Both parents in a social-assistance facility or unable to care",
            ),
            (f"Cả cha và mẹ {_PRISON}", "Both parents in prison or a compulsory facility"),
            (
                f"Cha hoặc mẹ {_FACILITY} và người còn lại {_PRISON}",
                "One parent in a social-assistance facility or unable to care, the other in "
                "prison or a compulsory facility",
            ),
            (
                "Sống trong gia đình có cả cha và mẹ trong độ tuổi trẻ em",
                "Living with parents who are both children themselves",
            ),
            (
                "Cả cha và mẹ bị hạn chế quyền làm cha mẹ hoặc trẻ em tạm thời cách ly khỏi cha "
                "mẹ theo quy định của pháp luật",
                "Both parents' parental rights restricted, or the child temporarily separated "
                "from them",
            ),
        ],
    ),
    *_list(
        G.d,
        "NĐ 56/2017 Đ6; Luật Người khuyết tật Đ3",
        [
            ("Khuyết tật đặc biệt nặng", "Especially severe disability"),
            ("Khuyết tật nặng", "Severe disability"),
            ("Khuyết tật nhẹ", "Mild disability"),
        ],
    ),
    *_list(
        G.k,
        "Luật Trẻ em Đ4 k8",
        [
            ("Bị bắt lao động trái quy định của pháp luật về lao động", "Illegal child labour"),
            (
                "Bị sử dụng để trình diễn hoặc sản xuất sản phẩm khiêu dâm",
                "Used in pornographic performances or material",
            ),
            (
                "Bị xâm hại trong hoạt động du lịch nhằm mục đích xâm hại tình dục trẻ em",
                "Abused through tourism for sexual abuse of children",
            ),
            (
                "Bị cho, nhận hoặc cung cấp để hoạt động mại dâm",
                "Given, received or supplied for prostitution",
            ),
            ("Bị sử dụng để trục lợi bằng hình thức khác", "Used for gain in another way"),
        ],
    ),
    *_list(
        G.n,
        "NĐ 56/2017 Đ15",
        [
            ("Thuộc hộ nghèo", "Poor household"),
            ("Thuộc hộ cận nghèo", "Near-poor household"),
        ],
    ),
    *_list(
        G.o,
        "NĐ 56/2017 Đ16",
        [
            (
                "Trẻ em di cư chưa xác định được cha mẹ hoặc không có người chăm sóc",
                "Migrant child without known parents or a carer",
            ),
            (
                "Trẻ em lánh nạn chưa xác định được cha mẹ hoặc không có người chăm sóc",
                "Displaced child without known parents or a carer",
            ),
            (
                "Trẻ em tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc",
                "Refugee child without known parents or a carer",
            ),
        ],
    ),
)

BY_CODE: Mapping[str, Subgroup] = MappingProxyType({s.code: s for s in SUBGROUPS})


def subgroups_of(group: CircumstanceGroup) -> list[Subgroup]:
    """The cases the decree lists under ``group`` (none: the group is not split)."""
    return [s for s in SUBGROUPS if s.group == group]


def subgroup(code: str | None) -> Subgroup | None:
    return BY_CODE.get(code) if code else None


def fits(group: CircumstanceGroup, code: str | None) -> bool:
    """Whether ``code`` (or no sub-group) may be recorded with ``group``."""
    if code is None:
        return True
    found = BY_CODE.get(code)
    return found is not None and found.group == group
