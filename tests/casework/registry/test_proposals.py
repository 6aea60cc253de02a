"""From cases to the register: a substantiated harm matching a group becomes a proposal
that a person confirms (a membership naming the case) or dismisses with a reason; never a
membership by itself, and none for a group the child is already in."""

from __future__ import annotations

from sqlmodel import select

from casework.registry.models import ProposalStatus, RegistryProposal
from tests.casework.registry.test_memberships import add, register
from tests.factories.events import mau_02


def assess(client, headers, code: str, **conclusion):  # type: ignore[no-untyped-def]
    started = client.post(f"/api/v1/cases/{code}/events/start_assessment", json={}, headers=headers)
    assert started.status_code == 200, started.text
    done = client.post(
        f"/api/v1/cases/{code}/events/complete_assessment",
        json=mau_02(**conclusion),
        headers=headers,
    )
    assert done.status_code == 200, done.text


def sexual_abuse(report):  # type: ignore[no-untyped-def]
    return report(
        **{"child.full_name": "Vi Thị Lan", "child.date_of_birth": "2013-04-02"},
        harm_forms=["sexual_abuse"],
        perpetrator_relation="stranger",
    )


def decide(client, headers, child_id: int, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/children/{child_id}/proposals/decide", json=body, headers=headers)


def test_an_assessment_substantiating_sexual_abuse_proposes_group_l(client, caseworker, report):
    case = sexual_abuse(report)
    assess(client, caseworker, case.code)
    shown = register(client, caseworker, case.child_id)
    assert [(p["group"], p["status"], p["case_code"], p["source"]) for p in shown["proposals"]] == [
        ("l", "open", case.code, "assessment")
    ]
    assert shown["current"] == []  # never a membership by itself
    listed = client.get("/api/v1/registry/proposals", headers=caseworker).json()
    assert [(p["child_name"], p["group"]) for p in listed] == [("Vi Thị Lan", "l")]


def test_an_unsubstantiated_report_proposes_nothing(client, caseworker, report):
    case = sexual_abuse(report)
    assess(client, caseworker, case.code, substantiated=False, risk_level="low")
    assert register(client, caseworker, case.child_id)["proposals"] == []


def test_confirming_makes_a_membership_naming_the_case_and_who_decided(
    client, caseworker, report, world
):
    case = sexual_abuse(report)
    assess(client, caseworker, case.code)
    proposal = register(client, caseworker, case.child_id)["proposals"][0]
    answer = decide(
        client,
        caseworker,
        case.child_id,
        proposal_id=proposal["id"],
        decision="confirm",
        since="2026-03-01",
        evidence="Biên bản xác minh",
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "confirmed"
    shown = register(client, caseworker, case.child_id)
    assert [
        (m["group"], m["source_case"], m["decided_by"], m["since"]) for m in shown["current"]
    ] == [("l", case.code, world.own.people["caseworker"].full_name, "2026-03-01")]
    twice = decide(
        client,
        caseworker,
        case.child_id,
        proposal_id=proposal["id"],
        decision="dismiss",
        reason="nhầm",
    )
    assert twice.status_code == 409


def test_dismissing_needs_a_reason(client, caseworker, report, session):
    case = sexual_abuse(report)
    assess(client, caseworker, case.code)
    proposal = register(client, caseworker, case.child_id)["proposals"][0]
    bare = decide(client, caseworker, case.child_id, proposal_id=proposal["id"], decision="dismiss")
    assert bare.status_code == 422
    assert bare.json()["detail"][0]["msg_vi"] == "Nhập lý do không đưa trẻ vào danh sách"
    answer = decide(
        client,
        caseworker,
        case.child_id,
        proposal_id=proposal["id"],
        decision="dismiss",
        reason="Đã thuộc danh sách ở xã cũ",
    )
    assert answer.json()["status"] == "dismissed"
    row = session.exec(select(RegistryProposal).where(RegistryProposal.id == proposal["id"])).one()
    assert (row.status, row.reason, row.membership_id) == (
        ProposalStatus.dismissed,
        "Đã thuộc danh sách ở xã cũ",
        None,
    )
    assert register(client, caseworker, case.child_id)["current"] == []


def test_no_proposal_for_a_group_the_child_is_already_in(client, caseworker, report):
    case = sexual_abuse(report)
    add(client, caseworker, case.child_id, group="l", since="2026-02-01")
    assess(client, caseworker, case.code)
    assert register(client, caseworker, case.child_id)["proposals"] == []


def test_violence_and_abandonment_propose_i_and_b(client, caseworker, world, hoa):
    assess(client, caseworker, world.own.case.code, emergency=True, risk_level="high")
    groups = sorted(p["group"] for p in register(client, caseworker, hoa)["proposals"])
    assert groups == ["b", "i"]
