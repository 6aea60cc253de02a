"""Support received per child and period, and the share of children in special
circumstances supported in a period, from the rows."""

from __future__ import annotations

from datetime import date

from casework.registry.support import supported_share
from tests.casework.registry.test_memberships import add, register


def support(client, headers, child_id: int, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/children/{child_id}/support", json=body, headers=headers)


def test_support_is_recorded_ended_and_listed(client, caseworker, hoa, world):
    made = support(
        client,
        caseworker,
        hoa,
        kind="health_insurance",
        since="2026-01-01",
        provider="BHXH tỉnh",
        amount_vnd=0,
    )
    assert made.status_code == 201, made.text
    ended = client.post(
        f"/api/v1/children/{hoa}/support/end",
        json={"support_id": made.json()["id"], "until": "2026-02-28"},
        headers=caseworker,
    )
    assert ended.json()["until"] == "2026-02-28"
    again = client.post(
        f"/api/v1/children/{hoa}/support/end",
        json={"support_id": made.json()["id"], "until": "2026-02-28"},
        headers=caseworker,
    )
    assert again.status_code == 409
    listed = register(client, caseworker, hoa)["support"]
    assert [(s["kind"], s["recorded_by"]) for s in listed] == [
        ("health_insurance", world.own.people["caseworker"].full_name)
    ]


def test_a_support_ending_before_it_starts_is_refused(client, caseworker, hoa):
    answer = support(client, caseworker, hoa, kind="other", since="2026-02-01", until="2026-01-01")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "until"


def test_the_share_supported_counts_children_in_groups_with_support_in_the_period(
    client, caseworker, hoa, report, session, world
):
    other = report(**{"child.full_name": "Lý Văn Tài", "child.date_of_birth": "2012-01-01"})
    at_risk = report(**{"child.full_name": "Vi Thị Lan", "child.date_of_birth": "2013-01-01"})
    add(client, caseworker, hoa, group="b", since="2026-01-01")
    add(client, caseworker, other.child_id, group="d", since="2026-01-01")
    add(client, caseworker, at_risk.child_id, group="h", at_risk=True, since="2026-01-01")
    support(client, caseworker, hoa, kind="social_allowance", since="2026-02-01")
    support(client, caseworker, at_risk.child_id, kind="scholarship_gift", since="2026-02-01")
    support(
        client, caseworker, other.child_id, kind="other", since="2026-01-01", until="2026-01-15"
    )
    february = supported_share(
        session, commune_id=world.own.commune.id, start=date(2026, 2, 1), stop=date(2026, 2, 28)
    )
    assert (february.children, february.supported, february.percent) == (2, 1, 50.0)
    january = supported_share(
        session, commune_id=world.own.commune.id, start=date(2026, 1, 1), stop=date(2026, 1, 31)
    )
    assert (january.children, january.supported) == (2, 1)
