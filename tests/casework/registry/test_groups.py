"""The sub-groups of NĐ 56/2017 Đ3–16 are data: each belongs to one of the 14 groups of
Luật Trẻ em Đ10, under a code no other sub-group has."""

from __future__ import annotations

from collections import Counter

from casework.children.models import CircumstanceGroup
from casework.registry import groups


def test_every_subgroup_belongs_to_a_group_of_the_law_and_every_code_is_unique():
    codes = Counter(s.code for s in groups.SUBGROUPS)
    assert [code for code, n in codes.items() if n > 1] == []
    for s in groups.SUBGROUPS:
        assert s.group in CircumstanceGroup
        assert s.code.split(".")[0] == s.group.value
        assert s.vi
        assert s.en
        assert s.basis


def test_the_decree_splits_the_groups_it_lists():
    sizes = {g: len(groups.subgroups_of(g)) for g in CircumstanceGroup}
    assert sizes[CircumstanceGroup.a] == 4
    assert sizes[CircumstanceGroup.b] == 2
    assert sizes[CircumstanceGroup.d] == 3
    assert sizes[CircumstanceGroup.c] >= 9
    assert groups.subgroup("c.1").vi.startswith("Mồ côi cha hoặc mẹ và người còn lại mất tích")


def test_a_subgroup_fits_only_its_own_group():
    assert groups.fits(CircumstanceGroup.c, "c.3")
    assert groups.fits(CircumstanceGroup.l, None)
    assert not groups.fits(CircumstanceGroup.a, "c.3")
    assert not groups.fits(CircumstanceGroup.a, "a.99")
