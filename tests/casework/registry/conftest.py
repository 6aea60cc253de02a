"""The register's tests: a caseworker's API headers, a child of the own commune, a new
report's case, two records of one child (the usual case for a merge), and a commune
with a collaborator (data quality and export)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import select

from casework.accounts.models import Role, User
from casework.cases.models import ProtectionCase
from casework.children.models import Child
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload
from tests.factories.registry import add_child


@pytest.fixture
def caseworker(headers_for, world) -> dict[str, str]:
    return headers_for(world.own.people["caseworker"].username)


@pytest.fixture
def hoa(world) -> int:
    """Nguyễn Thị Hoa, born 14/05/2016, of the own commune (her case: violence by a parent)."""
    return world.own.case.child_id


@pytest.fixture
def report(session, now, databases):  # type: ignore[no-untyped-def]
    """``report(**overrides)``: a new report recorded now; its case."""

    def made(**overrides: Any) -> ProtectionCase:
        payload = intake_payload(**overrides)
        result = intake_service.record_intake(
            session,
            data=IntakeCreate.model_validate_json(json.dumps(payload)),
            now=now,
            tz=databases.settings.tz,
        )
        session.commit()
        return session.exec(
            select(ProtectionCase).where(ProtectionCase.code == result.case_code)
        ).one()

    return made


@pytest.fixture
def pair(session, world, now):
    """The world's Nguyễn Thị Hoa (a case, a report, a caregiver) is recorded again
    without a case: a new record with only a birth year and a personal id."""
    hoa = session.get(Child, world.own.case.child_id)
    again = add_child(
        session,
        world.own.commune,
        "Nguyễn Thị Hoa",
        now=now,
        born=None,
        birth_year=2016,
        personal_id="001316012345",
    )
    session.commit()
    return hoa, again


@pytest.fixture
def commune(session, now):
    commune = create_commune(session, now=now)
    session.add(
        User(
            commune_id=commune.id,
            username="td.collaborator",
            full_name="Cộng tác viên",
            role=Role.collaborator,
            created_at=now,
        )
    )
    session.commit()
    return commune
