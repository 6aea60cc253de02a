"""Two communes with every role, a case in each with agency tasks, and an escalation.

Commune A (TD-TEST) is "own", commune B (OTHER, prefix KH) is "other". In each case the
police and the culture and social office have live tasks; the economic office has none, so
its officer and head are the "other agency" people. Built once per test through the
services, committed into the test's outer transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.accounts.auth import actor_of
from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.agencies.models import Agency, AgencyKind
from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.communes.models import Commune
from casework.escalations import service as escalation_service
from casework.escalations.models import Escalation, EscalationReason
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from casework.registry.review import service as review_service
from casework.registry.review.models import VillageReview
from casework.web import csrf, sessions
from tests.conftest import TEST_KEYS
from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload

EXTRA_ROLES = (Role.collaborator, Role.province_viewer, Role.auditor, Role.admin)
REPORTER = {"name": "Lò Văn Tính", "phone": "0912 345 678", "relation": "hàng xóm"}


@dataclass
class Place:
    commune: Commune
    case: ProtectionCase
    tasks: dict[AgencyKind, Task]
    escalation: Escalation
    people: dict[str, User]  # "caseworker", "police.officer", "collaborator", …
    review: VillageReview  # the month's review of the commune's first village


@dataclass
class World:
    own: Place
    other: Place

    def actor(self, user: User) -> Actor:
        return actor_of(user)


def _place(session, now, tz, *, code, prefix, name) -> Place:
    commune = create_commune(session, now=now, code=code, prefix=prefix, name=name)
    for role in EXTRA_ROLES:
        session.add(
            User(
                commune_id=commune.id,
                username=f"{prefix.lower()}.{role.value}",
                full_name=role.value,
                role=role,
                created_at=now,
            )
        )
    session.flush()
    payload = intake_payload(
        commune_code=code,
        reporter=REPORTER,
        harm_forms=["violence", "abandonment_neglect"],
        setting="family",
        perpetrator_relation="parent",
    )
    result = intake_service.record_intake(
        session, data=IntakeCreate.model_validate_json(json.dumps(payload)), now=now, tz=tz
    )
    case = session.exec(select(ProtectionCase).where(ProtectionCase.code == result.case_code)).one()
    rows = session.execute(
        sa.select(Task, Agency.kind)
        .join(Agency, Agency.id == Task.agency_id)
        .where(Task.case_id == case.id, Task.status != TaskStatus.planned)
    ).all()
    tasks = {kind: task for task, kind in rows}
    assert {AgencyKind.police, AgencyKind.culture_social} <= tasks.keys(), tasks
    assert AgencyKind.economic_office not in tasks, sorted(tasks)
    escalation = escalation_service.raise_(
        session,
        case=case,
        reason=EscalationReason.task_declined,
        task_id=tasks[AgencyKind.police].id,
        now=now,
        tz=tz,
    )
    users = session.exec(select(User).where(User.commune_id == commune.id)).all()
    people = {u.username.split(".", 1)[1]: u for u in users}
    # The province's administrator (of no commune; the commune's province is Thái Nguyên, 19).
    people["province_admin"] = User(
        commune_id=None,
        province_code="19",
        username=f"{prefix.lower()}.province_admin",
        full_name="province_admin",
        role=Role.province_admin,
        created_at=now,
    )
    session.add(people["province_admin"])
    session.flush()
    # Last month's review (this month's is left for the review's own tests to open).
    last_month = (now.date().replace(day=1) - timedelta(days=1)).replace(day=1)
    review = review_service.open_month(session, commune_id=commune.id, month=last_month, now=now)
    review = review[0]
    return Place(commune, case, tasks, escalation, people, review)


@pytest.fixture
def world(session, now, databases) -> World:
    tz = databases.settings.tz
    own = _place(session, now, tz, code="TD-TEST", prefix="TD", name="Xã Thanh Định")
    other = _place(session, now, tz, code="OTHER", prefix="KH", name="Xã Khác")
    session.commit()
    return World(own, other)


@pytest.fixture
def browser_for(session):
    """``browser_for(user)``: headers of a logged-in browser (a session cookie signed with
    the app's key, and its CSRF token for changes)."""

    def headers(user: User) -> dict[str, str]:
        session.refresh(user)
        cookie = sessions.encode(
            TEST_KEYS["secret_key"],
            {
                "uid": user.id,
                "epoch": user.session_epoch,
                "sid": f"sid-of-the-test-{user.id}",
                "csrf": "csrf-of-the-test",
            },
        )
        return {"Cookie": f"{sessions.COOKIE}={cookie}", csrf.HEADER: "csrf-of-the-test"}

    return headers
