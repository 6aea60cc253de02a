"""The register's tests: two records of one child, the usual case for a merge."""

from __future__ import annotations

import pytest

from casework.children.models import Child
from tests.factories.registry import add_child


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
