"""Need-to-know: a child's groups, support and proposals are for the commune's caseworkers
and supervisor; an agency officer or a collaborator gets 404 as if the child did not
exist, and every read and write is audited without naming the group."""

from __future__ import annotations

import pytest
from sqlmodel import select

from casework.audit.models import AuditEntry
from tests.casework.registry.test_memberships import add


@pytest.mark.parametrize(
    "who", ["police.officer", "police.head", "collaborator", "province_viewer"]
)
def test_others_cannot_read_or_write_memberships(client, headers_for, world, hoa, who):
    headers = headers_for(world.own.people[who].username)
    assert client.get(f"/api/v1/children/{hoa}/register", headers=headers).status_code == 404
    assert add(client, headers, hoa, group="b", since="2026-01-01").status_code == 404
    assert client.get("/api/v1/registry/proposals", headers=headers).status_code == 404


def test_another_communes_caseworker_sees_nothing(client, headers_for, world, hoa):
    headers = headers_for(world.other.people["caseworker"].username)
    assert client.get(f"/api/v1/children/{hoa}/register", headers=headers).status_code == 404


def test_every_read_and_write_is_audited_without_the_group(client, caseworker, hoa, session):
    add(client, caseworker, hoa, group="l", since="2026-01-01")
    client.get(f"/api/v1/children/{hoa}/register", headers=caseworker)
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "child_register")
    ).all()
    assert [(e.action, e.subject_id, e.detail.get("action")) for e in entries] == [
        ("update", str(hoa), "membership_added"),
        ("view", str(hoa), None),
    ]
    assert all('"l"' not in str(e.detail) and "group" not in e.detail for e in entries)
