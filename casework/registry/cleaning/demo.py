"""The demo commune's Đề án 06 loops: two records of one village whose households were
visited two days ago, now waiting on the commune police's verification."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework.accounts.auth import actor_of
from casework.accounts.models import User
from casework.agencies.models import Agency, AgencyKind
from casework.children import service as child_service
from casework.children.schemas import ChildCreate
from casework.registry.cleaning import service as cleaning_service
from casework.registry.cleaning.schemas import CleaningStart, VisitFindings
from casework.timefmt import local_date

VISITED_DAYS_AGO = 2
# Two records typed in from an old paper list: no personal id yet, the household's papers
# to be seen.
RECORDS: tuple[dict[str, Any], ...] = (
    {
        "full_name": "Lục Thị Hương",
        "age_days": 6 * 365 + 40,
        "sex": "female",
        "ethnicity": "Tày",
        "caregivers": [{"full_name": "Lục Văn Đàm", "relation": "bố"}],
    },
    {
        "full_name": "Nông Văn Tài",
        "age_days": 5 * 365 + 200,
        "sex": "male",
        "ethnicity": "Tày",
        "caregivers": [{"full_name": "Nông Thị Mến", "relation": "mẹ"}],
    },
)


def _born(record: dict[str, Any], now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The record with a date of birth its age before today: the demo stays fresh."""
    fields = dict(record)
    days = fields.pop("age_days")
    fields["date_of_birth"] = (local_date(now, tz) - timedelta(days=days)).isoformat()
    return fields


def seed_cleaning(
    session: Session,
    *,
    commune_id: int,
    caseworker: User,
    collaborator: User,
    now: datetime,
    tz: ZoneInfo,
) -> list[int]:
    """Two records with no personal id in the collaborator's village (her board's; the
    first village with a board when she has none, and she joins it), their loops at the
    police step. Returns the loops' ids."""
    boards = select(Agency).where(
        Agency.commune_id == commune_id,
        Agency.kind == AgencyKind.village,
        Agency.village_id.is_not(None),
        Agency.is_active,
    )
    board = session.exec(boards.where(Agency.id == collaborator.agency_id)).first()
    board = board or session.exec(boards.order_by(Agency.id)).first()
    if board is None:
        return []
    children = [
        child_service.create_child(
            session,
            commune_id=commune_id,
            data=ChildCreate.model_validate(_born(record, now, tz)),
            village_id=board.village_id,
            now=now - timedelta(days=400),
        )
        for record in RECORDS
    ]
    collaborator.agency_id = board.id
    session.flush()
    started_at = now - timedelta(days=VISITED_DAYS_AGO)
    loops = [
        cleaning_service.start(
            session,
            actor_of(caseworker),
            data=CleaningStart(child_id=child.id),
            now=started_at,
            tz=tz,
        )[0]
        for child in children
    ]
    for loop in loops:
        _, view = cleaning_service.visible(session, actor_of(collaborator), loop_id=loop.id)
        cleaning_service.record_visit(
            session,
            actor_of(collaborator),
            loop=loop,
            view=view,
            data=VisitFindings(birth_certificate="Bản sao giấy khai sinh, UBND xã Châu Sơn"),
            now=started_at,
            tz=tz,
        )
    return [loop.id for loop in loops]
