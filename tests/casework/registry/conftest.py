"""The register's tests: a caseworker's API headers and a child of the own commune."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import select

from casework.cases.models import ProtectionCase
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from tests.factories.intakes import intake_payload


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
