"""API tokens: scoped, expiring, revocable, tied to an active account; IDOR attempts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.accounts import service as account_service
from casework.accounts import tokens
from casework.accounts.models import ApiToken, User
from casework.audit.models import AuditEntry
from tests.factories.intakes import intake_payload


@pytest.fixture
def hotline(session, world, clock):
    """A token of the commune's caseworker for the 111 hotline: reports only, 30 days."""
    user = world.own.people["caseworker"]
    token, raw = tokens.create(
        session,
        user=user,
        name="Tổng đài 111",
        scopes=["intake:write"],
        expires_at=clock.now() + timedelta(days=30),
        now=clock.now(),
    )
    session.commit()
    return token, {"Authorization": f"Bearer {raw}"}


def test_a_token_is_stored_only_as_its_hash(session, hotline):
    token, headers = hotline
    raw = headers["Authorization"].split()[1]
    stored = session.execute(sa.text("SELECT * FROM api_token")).mappings().one()
    assert raw not in str(dict(stored))
    assert stored["token_hash"] == tokens.digest(raw)


def test_a_token_does_what_its_scope_allows_and_nothing_more(client, hotline, world):
    _, headers = hotline
    created = client.post(
        "/api/v1/intakes", json=intake_payload(**{"child.full_name": "Mới"}), headers=headers
    )
    assert created.status_code == 201, created.text
    for path in ("/api/v1/cases", f"/api/v1/cases/{world.own.case.code}", "/api/v1/children"):
        response = client.get(path, headers=headers)
        assert response.status_code == 403, path
        assert response.json()["detail"][0]["type"] == "token_scope"
    assert client.get("/tai-khoan", headers=headers).status_code == 403  # browser only


def test_an_expired_token_is_refused(client, hotline, clock):
    _, headers = hotline
    clock.set(clock.now() + timedelta(days=31))
    response = client.post("/api/v1/intakes", json=intake_payload(), headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"][0]["type"] == "token_invalid"


def test_a_revoked_token_or_one_of_a_disabled_account_is_refused(
    client, hotline, session, clock, world
):
    token, headers = hotline
    tokens.revoke(session, token_id=token.id, now=clock.now())
    session.commit()
    assert client.post("/api/v1/intakes", json=intake_payload(), headers=headers).status_code == 401
    user = world.own.people["caseworker"]
    _, raw = tokens.create(
        session,
        user=user,
        name="x",
        scopes=["intake:write"],
        expires_at=clock.now() + timedelta(days=1),
        now=clock.now(),
    )
    account_service.disable(session, user=user, now=clock.now())
    session.commit()
    again = client.post(
        "/api/v1/intakes", json=intake_payload(), headers={"Authorization": f"Bearer {raw}"}
    )
    assert again.status_code == 401
    assert session.exec(select(ApiToken).where(ApiToken.revoked_at.is_(None))).all() == []


def test_token_use_is_audited_once_a_minute(client, hotline, session, clock):
    _, headers = hotline
    for _ in range(3):
        client.post("/api/v1/intakes", json=intake_payload(), headers=headers)

    def used():
        return session.exec(
            select(AuditEntry).where(AuditEntry.action == "token_use").order_by(AuditEntry.seq)
        ).all()

    assert len(used()) == 1
    clock.set(clock.now() + timedelta(minutes=2))
    client.post("/api/v1/intakes", json=intake_payload(), headers=headers)
    assert len(used()) == 2
    assert (
        client.get("/api/v1/cases", headers={"Authorization": "Bearer cwk_guess"}).status_code
        == 401
    )
    assert used()[-1].outcome == "failed"


def test_a_token_cannot_report_to_another_commune(client, hotline):
    _, headers = hotline
    response = client.post(
        "/api/v1/intakes", json=intake_payload(commune_code="OTHER"), headers=headers
    )
    unknown = client.post(
        "/api/v1/intakes", json=intake_payload(commune_code="NO-SUCH"), headers=headers
    )
    assert response.status_code == unknown.status_code == 422
    assert response.json()["detail"][0]["type"] == unknown.json()["detail"][0]["type"]


def test_guessing_case_codes_and_task_ids_finds_nothing(client, world, headers_for, session):
    """IDOR: the other commune's records answer exactly as records that do not exist."""
    headers = headers_for(world.own.people["caseworker"].username)
    police = headers_for(world.own.people["police.officer"].username)
    theirs, missing = world.other.case.code, "TD-2026-99999"
    a = client.get(f"/api/v1/cases/{theirs}", headers=headers)
    b = client.get(f"/api/v1/cases/{missing}", headers=headers)
    assert a.status_code == b.status_code == 404
    assert a.json()["detail"][0]["type"] == b.json()["detail"][0]["type"] == "case_not_found"
    for guess in range(1, 40):
        code = f"KH-2026-{guess:05d}"
        assert client.get(f"/api/v1/cases/{code}", headers=headers).status_code == 404
    their_task = world.other.tasks[next(iter(world.other.tasks))].id
    top = session.execute(sa.select(sa.func.max(sa.text("id"))).select_from(sa.text("task")))
    for task_id in (their_task, top.scalar_one() + 1):
        response = client.post(f"/api/v1/tasks/{task_id}/accept", headers=police)
        assert response.status_code == 404
        assert response.json()["detail"][0]["type"] == "task_not_found"
    health = world.own.tasks[next(k for k in world.own.tasks if k == "health_station")].id
    assert client.post(f"/api/v1/tasks/{health}/accept", headers=police).status_code == 404
    denied = session.exec(select(AuditEntry).where(AuditEntry.action == "permission_denied")).all()
    assert {e.subject_id for e in denied} >= {theirs, str(their_task)}


def test_a_caseworker_may_not_answer_another_agencys_task(client, world, headers_for):
    headers = headers_for(world.own.people["caseworker"].username)
    police = world.own.tasks["police"].id
    response = client.post(f"/api/v1/tasks/{police}/accept", headers=headers)
    assert response.status_code == 403
    assert response.json()["detail"][0]["type"] == "task_of_another_agency"
    social = world.own.tasks["culture_social"].id
    assert client.post(f"/api/v1/tasks/{social}/accept", headers=headers).status_code == 200


def test_users_are_created_with_a_policy_checked_password(session, world, databases, now):
    with pytest.raises(Exception, match="invalid_input"):
        account_service.create_user(
            session,
            settings=databases.settings,
            commune_code="TD-TEST",
            username="moi",
            full_name="Mới",
            role="caseworker",
            password="123",
            now=now,
        )
    user = account_service.create_user(
        session,
        settings=databases.settings,
        commune_code="TD-TEST",
        username="Moi.Nguoi",
        full_name="Người Mới",
        role="caseworker",
        password="mot-mat-khau-tot",
        now=now,
    )
    assert user.username == "moi.nguoi"
    assert user.password_hash.startswith("$argon2id$")
    assert session.get(User, user.id).password_hash != "mot-mat-khau-tot"


def test_a_stored_intake_answer_is_not_replayed_to_another_commune(client, world, headers_for):
    key = {"Idempotency-Key": "111-20260302-0042"}
    body = intake_payload(**{"child.full_name": "Hà Thị Thu"})
    own = headers_for(world.own.people["caseworker"].username)
    first = client.post("/api/v1/intakes", json=body, headers=own | key)
    assert first.status_code == 201
    other = headers_for(world.other.people["caseworker"].username)
    again = client.post("/api/v1/intakes", json=body, headers=other | key)
    assert again.status_code == 422
    assert again.json()["detail"][0]["type"] == "commune_not_found"
    assert "Hà Thị Thu" not in again.text
