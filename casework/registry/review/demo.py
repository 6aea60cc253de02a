"""The demo commune's village reviews: its collaborator (ctv.nga) belongs to the board of
Thôn Háng Ý, and this month's reviews are open, due in ``CASEWORK_REVIEW_DAYS`` working
days, so `make run` shows a review to do on her phone and the caseworker's list."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework.accounts.models import User
from casework.agencies.models import Agency, AgencyKind
from casework.communes.models import Commune, Village
from casework.registry.review import flow
from casework.registry.review.service import month_start
from casework.timefmt import local_date

COLLABORATOR = "ctv.nga"
VILLAGE = "Thôn Háng Ý"


def seed_reviews(
    session: Session, *, commune: Commune, now: datetime, tz: ZoneInfo, days: int
) -> int:
    """Put the demo collaborator in her village's board and open this month's reviews;
    the number opened (none when they are open already)."""
    board = session.exec(
        select(Agency)
        .join(Village, Village.id == Agency.village_id)
        .where(
            Agency.commune_id == commune.id,
            Agency.kind == AgencyKind.village,
            Village.name == VILLAGE,
        )
    ).one()
    collaborator = session.exec(select(User).where(User.username == COLLABORATOR)).one()
    collaborator.agency_id = board.id
    session.add(collaborator)
    month = month_start(local_date(now, tz))
    opened = flow.open_month(session, commune_id=commune.id, month=month, now=now, tz=tz, days=days)
    return len(opened)
