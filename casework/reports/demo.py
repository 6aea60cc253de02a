"""The demo commune's children per village, sex and age group, this year and last (about
3,300 children, as a commune of 9 villages in Lạng Sơn has), so `make run` shows shares of
all children and rates per 100,000 children on the statistics page."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from casework.children.models import Sex
from casework.communes.models import Village
from casework.reports.indicators import AGE_GROUPS
from casework.reports.models import ChildPopulation

# Boys of each age group in the first village; others vary around it, girls a little fewer.
BASE = {"0-5": 58, "6-10": 54, "11-15": 49}


def seed_population(session: Session, *, commune_id: int, year: int, now: datetime) -> int:
    """The figures of ``year`` and the year before; the children they add up to."""
    villages = session.exec(
        select(Village.id).where(Village.commune_id == commune_id).order_by(Village.id)
    ).all()
    total = 0
    for shift, figure_year in ((0, year), (1, year - 1)):
        for n, village_id in enumerate(villages):
            for sex in Sex:
                for group in AGE_GROUPS:
                    children = BASE[group.key] + 7 * (n % 4) - 3 * shift
                    children -= 4 if sex == Sex.female else 0
                    total += children if shift == 0 else 0
                    session.add(
                        ChildPopulation(
                            commune_id=commune_id,
                            village_id=village_id,
                            year=figure_year,
                            sex=sex,
                            age_group=group.key,
                            children=children,
                            recorded_at=now,
                        )
                    )
    session.flush()
    return total
