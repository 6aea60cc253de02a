"""Setting up a real commune: picked from the official list of administrative units since
1 July 2025 by its code, never typed; it gets the agencies tasks route to; a code off the
list, a commune set up twice or a prefix already taken is refused in Vietnamese."""

from __future__ import annotations

import pytest
from sqlmodel import select

from casework.agencies.models import Agency, AgencyKind
from casework.communes import official, setup
from casework.communes.models import Commune
from casework.errors import InvalidInput
from casework.messages import render


def test_the_official_list_is_the_one_since_july_2025():
    assert len(official.provinces()) == 34
    assert sum(len(official.units_of(p.code)) for p in official.provinces()) == 3321
    lang_son = official.province("20")
    assert lang_son is not None
    assert lang_son.name == "Lạng Sơn"
    assert len(official.units_of("20")) == 65
    that_khe = official.unit("6040")
    assert that_khe == official.unit("06040")
    assert (that_khe.code, that_khe.name, that_khe.province.name) == ("06040", "Xã Thất Khê",
                                                                      "Lạng Sơn")  # fmt: skip
    assert official.unit("99999") is None
    assert official.unit("abc") is None


def test_a_commune_from_its_code_gets_its_official_name_and_the_standard_agencies(session, now):
    commune = setup.add_commune(session, code="6040", now=now)
    assert (commune.code, commune.name, commune.province, commune.case_prefix) == (
        "06040", "Xã Thất Khê", "Lạng Sơn", "TK")  # fmt: skip
    agencies = session.exec(select(Agency).where(Agency.commune_id == commune.id)).all()
    names = {agency.kind: agency.name for agency in agencies}
    assert names[AgencyKind.culture_social] == "Phòng Văn hóa - Xã hội xã Thất Khê"
    assert names[AgencyKind.police] == "Công an xã Thất Khê"
    assert names[AgencyKind.health_station] == "Trạm Y tế xã Thất Khê"
    assert names[AgencyKind.provincial_health_department] == "Sở Y tế tỉnh Lạng Sơn"
    assert names[AgencyKind.hotline_111] == "Tổng đài 111"
    assert {AgencyKind.justice, AgencyKind.womens_union, AgencyKind.youth_union} <= set(names)
    assert len(agencies) == len(setup.COMMUNE_AGENCIES) + len(setup.UPSTREAM_AGENCIES)


def _refused(work) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        work()
    (error,) = refused.value.errors()
    return render(error.code, "vi", label="", params=error.params)


def test_a_code_off_the_list_or_a_commune_set_up_twice_is_refused_in_vietnamese(session, now):
    assert _refused(lambda: setup.add_commune(session, code="99999", now=now)).startswith(
        "Mã 99999 không có trong danh mục xã, phường, đặc khu (từ 01/07/2025)"
    )
    setup.add_commune(session, code="06040", now=now)
    assert _refused(lambda: setup.add_commune(session, code="6040", now=now)) == (
        "Xã Thất Khê (mã 06040) đã có trong hệ thống"
    )
    assert len(session.exec(select(Commune).where(Commune.code == "06040")).all()) == 1


def test_a_case_code_prefix_is_the_initials_unless_taken_or_chosen(session, now):
    assert setup.add_commune(session, code="05977", now=now).case_prefix == "DK"  # Đông Kinh
    assert setup.add_commune(session, code="06001", now=now).case_prefix == "DK6001"  # Đoàn Kết
    assert _refused(lambda: setup.add_commune(session, code="06040", now=now,
                                              case_prefix="dk")) == (
        "Tiền tố mã hồ sơ DK đã là của xã khác: chọn tiền tố khác")  # fmt: skip
    assert _refused(
        lambda: setup.add_commune(session, code="06040", now=now, case_prefix="T-K")
    ).startswith("Tiền tố mã hồ sơ gồm 2 đến 8 chữ cái in hoa hoặc chữ số")
    assert setup.add_commune(session, code="06040", now=now, case_prefix="tk").case_prefix == "TK"


def test_a_province_is_set_up_at_once_and_again_adds_nothing(session, now):
    setup.add_commune(session, code="06040", now=now)
    added = setup.add_province(session, province_code="20", now=now)
    assert len(added) == 64  # the 65 of Lạng Sơn, Thất Khê already there
    assert setup.add_province(session, province_code="20", now=now) == []
    prefixes = session.exec(select(Commune.case_prefix)).all()
    assert len(prefixes) == len(set(prefixes))
    assert _refused(lambda: setup.add_province(session, province_code="99", now=now)).startswith(
        "Mã tỉnh 99 không có trong danh mục 34 tỉnh, thành phố"
    )
