"""A data-cleaning loop (Đề án 06) for each place's child, waiting on the commune police's
verification (the matrix's "own" agency), its village's board made for it."""

from __future__ import annotations

import pytest

from casework.agencies.models import Agency, AgencyKind
from casework.children.models import Child
from casework.registry.cleaning.models import CleaningLoop, CleaningState


@pytest.fixture
def cleaning_loops(world, session, now) -> None:
    """Sets ``place.cleaning_loop`` on both places of the world."""
    for place in (world.own, world.other):
        child = session.get_one(Child, place.case.child_id)
        board = Agency(
            commune_id=place.commune.id,
            kind=AgencyKind.village,
            name="Ban điều hành thôn",
            village_id=child.village_id,
        )
        session.add(board)
        session.flush()
        loop = CleaningLoop(
            commune_id=place.commune.id,
            child_id=child.id,
            workflow_name="data_cleaning",
            workflow_version=1,
            state=CleaningState.verify,
            problems=["no_personal_id"],
            village_agency_id=board.id,
            police_agency_id=place.tasks[AgencyKind.police].agency_id,
            started_by_id=place.people["caseworker"].id,
            started_at=now,
        )
        session.add(loop)
        session.flush()
        place.cleaning_loop = loop  # type: ignore[attr-defined]
    session.commit()
