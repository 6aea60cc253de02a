"""The commune of the data-quality and export tests: its people, and a collaborator."""

from __future__ import annotations

import pytest

from casework.accounts.models import Role, User
from tests.factories.communes import create_commune


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
