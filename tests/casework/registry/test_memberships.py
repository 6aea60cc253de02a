"""Group memberships through the API: every group and sub-group recorded and read back,
history kept (an end then a new period is two rows), the law's dates checked, a coming
16th birthday shown for the reviewer, at-risk children never counted in the 14 groups."""

from __future__ import annotations

from datetime import date

from casework.children.models import CircumstanceGroup
from casework.registry import groups
from casework.registry.memberships import counts_by_group


def add(client, headers, child_id: int, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/children/{child_id}/memberships", json=body, headers=headers)


def end(client, headers, child_id: int, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/children/{child_id}/memberships/end", json=body, headers=headers)


def register(client, headers, child_id: int) -> dict:  # type: ignore[type-arg]
    answer = client.get(f"/api/v1/children/{child_id}/register", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_every_group_of_the_law_is_recorded_and_read_back(client, caseworker, hoa, world):
    for group in CircumstanceGroup:
        answer = add(client, caseworker, hoa, group=group.value, since="2026-01-05", evidence="BB")
        assert answer.status_code == 201, answer.text
    current = register(client, caseworker, hoa)["current"]
    assert sorted(m["group"] for m in current) == sorted(g.value for g in CircumstanceGroup)
    assert {m["decided_by"] for m in current} == {world.own.people["caseworker"].full_name}
    assert {m["evidence"] for m in current} == {"BB"}


def test_every_subgroup_of_the_decree_is_recorded_and_read_back(client, caseworker, hoa):
    for sub in groups.SUBGROUPS:
        answer = add(
            client, caseworker, hoa, group=sub.group.value, subgroup=sub.code, since="2026-01-05"
        )
        assert answer.status_code == 201, answer.text
        assert (answer.json()["subgroup"], answer.json()["subgroup_vi"]) == (sub.code, sub.vi)
        ended = end(
            client,
            caseworker,
            hoa,
            membership_id=answer.json()["id"],
            until="2026-02-01",
            reason="circumstance_ended",
        )
        assert ended.status_code == 200, ended.text
    history = register(client, caseworker, hoa)["history"]
    assert sorted(m["subgroup"] for m in history) == sorted(s.code for s in groups.SUBGROUPS)


def test_a_subgroup_of_another_group_is_refused_naming_the_choices(client, caseworker, hoa):
    answer = add(client, caseworker, hoa, group="a", subgroup="c.1", since="2026-01-05")
    assert answer.status_code == 422
    error = answer.json()["detail"][0]
    assert error["field"] == "subgroup"
    assert "a.1, a.2, a.3, a.4" in error["msg_vi"]


def test_an_end_keeps_the_row_and_a_new_period_is_a_second_row(client, caseworker, hoa):
    first = add(client, caseworker, hoa, group="c", subgroup="c.3", since="2025-06-01").json()
    again = add(client, caseworker, hoa, group="c", since="2025-07-01")
    assert again.status_code == 409
    assert "kết thúc dòng đang có" in again.json()["detail"][0]["msg_vi"]
    ended = end(
        client,
        caseworker,
        hoa,
        membership_id=first["id"],
        until="2025-12-31",
        reason="moved_away",
        end_evidence="Giấy chuyển hộ khẩu",
    )
    assert ended.json()["ended_reason"] == "moved_away"
    assert add(client, caseworker, hoa, group="c", since="2026-02-10").status_code == 201
    shown = register(client, caseworker, hoa)
    assert [(m["since"], m["until"]) for m in shown["history"]] == [("2025-06-01", "2025-12-31")]
    assert shown["history"][0]["end_evidence"] == "Giấy chuyển hộ khẩu"
    assert [m["since"] for m in shown["current"]] == ["2026-02-10"]


def test_an_end_is_written_once(client, caseworker, hoa):
    row = add(client, caseworker, hoa, group="d", since="2025-06-01").json()
    body = {"membership_id": row["id"], "until": "2026-01-01", "reason": "circumstance_ended"}
    assert end(client, caseworker, hoa, **body).status_code == 200
    second = end(client, caseworker, hoa, **body)
    assert second.status_code == 409
    assert second.json()["detail"][0]["type"] == "membership_already_ended"


def test_the_dates_follow_the_child_and_the_calendar(client, caseworker, hoa):
    before_birth = add(client, caseworker, hoa, group="a", since="2016-05-13")
    assert before_birth.status_code == 422
    assert before_birth.json()["detail"][0]["msg_vi"] == (
        "Từ ngày phải từ ngày sinh của trẻ (14/05/2016) trở đi"
    )
    future = add(client, caseworker, hoa, group="a", since="2026-03-03")
    assert future.json()["detail"][0]["type"] == "date_in_future"
    row = add(client, caseworker, hoa, group="a", since="2026-01-10").json()
    early = end(
        client,
        caseworker,
        hoa,
        membership_id=row["id"],
        until="2026-01-09",
        reason="circumstance_ended",
    )
    assert early.status_code == 422
    assert early.json()["detail"][0]["field"] == "until"
    same_day = end(
        client,
        caseworker,
        hoa,
        membership_id=row["id"],
        until="2026-01-10",
        reason="recorded_in_error",
    )
    assert same_day.status_code == 200


def test_turning_16_is_shown_with_the_end_it_proposes(client, caseworker, report):
    case = report(**{"child.full_name": "Lý Văn Tài", "child.date_of_birth": "2010-03-20"})
    add(client, caseworker, case.child_id, group="h", since="2025-09-01")
    proposed = register(client, caseworker, case.child_id)["proposed_ends"]
    assert proposed == [
        {
            "membership_id": proposed[0]["membership_id"],
            "group": "h",
            "until": "2026-03-20",
            "reason": "turned_16",
            "estimated": False,
        }
    ]
    current = register(client, caseworker, case.child_id)["current"]
    assert current[0]["until"] is None  # shown, never ended by itself


def test_at_risk_children_are_listed_apart_and_never_counted(
    client, caseworker, hoa, session, world
):
    assert (
        add(client, caseworker, hoa, group="h", at_risk=True, since="2026-02-01").status_code == 201
    )
    assert add(client, caseworker, hoa, group="b", since="2026-02-01").status_code == 201
    shown = register(client, caseworker, hoa)
    assert [(m["group"], m["at_risk"]) for m in shown["at_risk"]] == [("h", True)]
    assert [m["group"] for m in shown["current"]] == ["b"]
    counted = counts_by_group(session, world.own.commune.id, on=date(2026, 2, 15))
    assert counted[CircumstanceGroup.h] == 0
    assert counted[CircumstanceGroup.b] == 1
    assert (
        counts_by_group(session, world.own.commune.id, on=date(2026, 1, 31))[CircumstanceGroup.b]
        == 0
    )
