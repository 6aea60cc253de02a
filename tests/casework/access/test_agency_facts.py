"""Need-to-know for agencies (NĐ56 Đ33): each agency sees exactly the facts the workflow
definition gives its task kinds (a kind it does not list: its agency's row), in the API,
on the case page and on each task's page, where a task's page shows that task's facts
only; always the child's name, age and village and the caseworker to call; never the
reporter, another agency's facts, tasks or notes.

The case names every fact there is, so a fact an agency may not see would show.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from casework.accounts.models import User
from casework.audit.models import AuditEntry
from casework.authz import policy
from casework.authz.policy import Fact
from casework.cases import workflow
from casework.cases.models import ProtectionCase
from tests.factories.communes import SCHOOL

DESCRIPTION = "Hàng xóm nghe tiếng trẻ khóc, thấy vết bầm trên tay trẻ."
CHILD_STATE = "Trẻ sợ hãi, có vết bầm ở cánh tay trái."
LOCATION = "Nhà riêng, xóm Nà Pàn"
ADDRESS = "Số 12, ngõ 3, đường Bờ Hồ"
CAREGIVER = "Lương Thị Thắm"
REPORTER_TRACES = ("Lò Văn Tính", "0912 345 678", "+84912345678", "hàng xóm")
NOTES = {
    "health_station": "Đã khám: gãy xương đòn trái",
    "justice": "Không có cán bộ pháp lý trong tuần",
}

# What shows a fact: its API value, and on a page its row's label (and the text itself
# for the narratives and the people).
API: dict[Fact, tuple[str, ...]] = {
    Fact.incident_summary: ("reports", "description"),
    Fact.received_at: ("reports", "first_received_at"),
    Fact.place: ("reports", "location"),
    Fact.harm_forms: ("reports", "harm_forms"),
    Fact.setting: ("reports", "setting"),
    Fact.suspected_relation: ("reports", "perpetrator_relation"),
    Fact.immediate_danger: ("reports", "immediate_danger"),
    Fact.child_state: ("reports", "child_state"),
    Fact.child_sex: ("child", "sex"),
    Fact.child_address: ("child", "address"),
    Fact.child_school: ("child", "school_name"),
    Fact.caregivers: ("child", "caregivers"),
}
PAGE: dict[Fact, tuple[str, ...]] = {
    Fact.incident_summary: ("Nội dung", DESCRIPTION),
    Fact.received_at: ("Thời điểm tiếp nhận",),
    Fact.place: ("Nơi xảy ra", LOCATION),
    Fact.harm_forms: ("Hình thức xâm hại", "Xâm hại tình dục"),
    Fact.setting: ("Môi trường",),
    Fact.suspected_relation: ("Người bị nghi gây hại",),
    Fact.immediate_danger: ("Trẻ đang gặp nguy hiểm",),
    Fact.child_state: ("Tình trạng của trẻ", CHILD_STATE),
    Fact.child_sex: (None, "tuổi · Nữ"),
    Fact.child_address: ("Địa chỉ", ADDRESS),
    Fact.child_school: ("Trường, lớp", SCHOOL),
    Fact.caregivers: ("Người chăm sóc", CAREGIVER, "tel:+84987654321"),
}
AGENCIES = ("police", "health_station", "justice", "womens_union", "school", "culture_social")


@pytest.fixture
def seeded(story, session):
    """A case that names every fact: sexual abuse and violence by a parent, at home, the
    child enrolled; the health station and justice have answered with notes of their own."""
    code = story.intake(
        perpetrator_relation="parent",
        harm_forms=["sexual_abuse", "violence"],
        setting="family",
        immediate_danger=True,
        reporter={"name": "Lò Văn Tính", "phone": "0912 345 678", "relation": "hàng xóm"},
        description=DESCRIPTION,
        child_state=CHILD_STATE,
        location=LOCATION,
        child={
            "full_name": "Nguyễn Thị Hoa",
            "date_of_birth": "2016-05-14",
            "sex": "female",
            "ethnicity": "Tày",
            "village": "Thôn Bản Chắt",
            "address": ADDRESS,
            "school_name": SCHOOL,
            "grade": "4A",
            "caregivers": [
                {"full_name": "Nguyễn Văn Bình", "relation": "bố"},
                {"full_name": CAREGIVER, "relation": "bà nội", "phone": "0987 654 321"},
            ],
        },
    )
    tasks = story.case(code)["tasks"]
    health = next(t for t in tasks if t["agency_kind"] == "health_station")
    story.task_action(
        health["id"], "complete", as_="health_station.officer", outcome=NOTES["health_station"]
    )
    justice = next(t for t in tasks if t["agency_kind"] == "justice")
    story.task_action(justice["id"], "decline", as_="justice.officer", reason=NOTES["justice"])
    return code, tasks


def expected(tasks: list[dict]) -> frozenset[Fact]:
    definition = workflow.latest("child_protection")
    return policy.agency_facts(definition, [(t["kind"], t["agency_kind"]) for t in tasks])


def shown_in_api(case: dict, fact: Fact) -> bool:
    part, field = API[fact]
    values = [r[field] for r in case["reports"]] if part == "reports" else [case["child"][field]]
    return any(value is not None for value in values)


def shown_on_page(text: str, fact: Fact) -> list[bool]:
    """For the fact's row label (if it has one) and each of its values: on the page?"""
    keys = {key.strip() for key in re.findall(r'__key">(.*?)</dt>', text, flags=re.S)}
    key, *values = PAGE[fact]
    return ([key in keys] if key else []) + [value in text for value in values]


def browse(story, who: str, path: str):
    response = story.client.get(path, headers=story.auth(who) | {"Accept": "text/html"})
    assert response.status_code == 200, (who, path, response.status_code)
    return response.text


@pytest.mark.parametrize("agency", AGENCIES)
def test_an_agency_sees_exactly_its_task_kinds_facts_in_the_api(story, seeded, agency):
    code, tasks = seeded
    own = [t for t in tasks if t["agency_kind"] == agency]
    assert own, agency  # the definition routes this case to every agency listed
    answer = story.client.get(f"/api/v1/cases/{code}", headers=story.auth(f"{agency}.officer"))
    case = answer.json()
    want = expected(own)
    assert case["view"] == "task"
    assert case["facts"] == sorted(want)
    assert {f for f in Fact if shown_in_api(case, f)} == want
    assert case["child"]["full_name"] == "Nguyễn Thị Hoa"
    assert case["child"]["village"] == "Thôn Bản Chắt"
    assert [c["full_name"] for c in case["contacts"]] == ["caseworker"]
    assert {t["agency_kind"] for t in case["tasks"]} == {agency}
    assert all("reporter" not in report for report in case["reports"])
    hidden = [v for f, (_, *values) in PAGE.items() if f not in want for v in values]
    hidden += ["Nguyễn Văn Bình"] if Fact.caregivers not in want else []
    others = [t["title"] for t in tasks if t["agency_kind"] != agency]
    for trace in (*REPORTER_TRACES, *hidden, *others):
        assert trace not in answer.text, (agency, trace)
    for whose, note in NOTES.items():
        assert (note in answer.text) == (whose == agency), note


@pytest.mark.parametrize("agency", AGENCIES)
def test_an_agency_sees_exactly_its_task_kinds_facts_on_its_pages(story, seeded, agency, session):
    code, tasks = seeded
    who = f"{agency}.officer"
    own = [t for t in tasks if t["agency_kind"] == agency]
    pages = [(f"/ho-so/{code}", expected(own))] + [
        (f"/nhiem-vu/{task['id']}", expected([task])) for task in own
    ]
    for path, want in pages:
        text = browse(story, who, path)
        for fact in Fact:
            seen = shown_on_page(text, fact)
            assert seen == [fact in want] * len(seen), (path, fact)
        assert "Nguyễn Thị Hoa" in text
        assert "Thôn Bản Chắt" in text
        others = [t["title"] for t in tasks if t["agency_kind"] != agency]
        others += [note for whose, note in NOTES.items() if whose != agency]
        for trace in (*REPORTER_TRACES, *others):
            assert trace not in text, (path, trace)
    reads = session.execute(
        sa.select(AuditEntry.detail)
        .where(AuditEntry.subject_id == code, AuditEntry.action == "view")
        .order_by(AuditEntry.seq)
    ).scalars()
    shown = [detail["facts"] for detail in reads if detail["view"] == "task"]
    assert shown == [sorted(want) for _, want in pages]  # each read names what it showed


def test_the_issue_s_police_and_health_station_tasks(story, seeded):
    """What the issue asks for, in its own words: the police see what happened, when and
    where, and who is suspected; the health station the child's state and the place."""
    code, tasks = seeded
    verify = next(t for t in tasks if t["kind"] == "police.verify")
    police = browse(story, "police.officer", f"/nhiem-vu/{verify['id']}")
    for text in (DESCRIPTION, LOCATION, "Cha, mẹ", "02/03/2026 08:15"):
        assert text in police
    assert CHILD_STATE not in police
    assert CAREGIVER not in police
    examine = next(t for t in tasks if t["kind"] == "health.examine")
    health = browse(story, "health_station.officer", f"/nhiem-vu/{examine['id']}")
    for text in (CHILD_STATE, LOCATION):
        assert text in health
    assert DESCRIPTION not in health
    assert "Cha, mẹ" not in health


def test_the_caseworker_to_call_is_the_case_s_own_or_else_the_office_s(story, seeded, session):
    code, tasks = seeded
    verify = next(t for t in tasks if t["kind"] == "police.verify")
    caseworker = session.execute(sa.select(User).where(User.username == "td.caseworker")).scalar()
    caseworker.phone = "+84912000101"
    other = User(
        commune_id=caseworker.commune_id,
        agency_id=caseworker.agency_id,
        username="td.caseworker2",
        full_name="Lộc Văn Tuấn",
        role=caseworker.role,
        phone="+84912000102",
        created_at=caseworker.created_at,
    )
    session.add_all([caseworker, other])
    session.commit()
    page = browse(story, "police.officer", f"/nhiem-vu/{verify['id']}")
    assert "Người làm công tác bảo vệ trẻ em của xã" in page
    assert 'href="tel:+84912000101"' in page
    assert "0912 000 101" in page
    assert 'href="tel:+84912000102"' in page
    assert "Lộc Văn Tuấn" in page
    session.execute(
        sa.update(ProtectionCase)
        .where(ProtectionCase.code == code)
        .values(assigned_caseworker_id=other.id)
    )
    session.commit()
    page = browse(story, "police.officer", f"/nhiem-vu/{verify['id']}")
    assert "Người phụ trách hồ sơ" in page
    assert 'href="tel:+84912000102"' in page
    assert "tel:+84912000101" not in page
    answer = story.case(code, as_="police.officer")
    assert answer["contacts"] == [
        {"full_name": "Lộc Văn Tuấn", "phone": "+84912000102", "assigned": True}
    ]


def test_a_reporter_named_in_what_happened_is_withheld_from_the_agency(story):
    code = story.intake(
        perpetrator_relation="parent",
        reporter={"name": "Lò Văn Tính", "phone": "0912 345 678", "relation": "hàng xóm"},
        description="Anh Lò Văn Tính (ĐT 0912.345.678) thấy bố trẻ đánh trẻ.",
    )
    case = story.case(code, as_="police.officer")
    assert case["reports"][0]["description"] == (
        "Anh [người báo tin] (ĐT [người báo tin]) thấy bố trẻ đánh trẻ."
    )
    full = story.case(code)
    assert full["reports"][0]["description"].startswith("Anh Lò Văn Tính")
