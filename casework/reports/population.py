"""The commune's children by village, sex and age group, each year: entered by its
caseworker from the commune's population figures (or imported), so that shares of all
children and rates per 100,000 children are computed, never typed.

A year's figures are replaced whole: the form shows every cell, and what is saved is what
the form held (an empty cell: no figure for it). One transaction, so a commune never has
half a year's figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.actors import Actor
from casework.children.models import Sex
from casework.communes.models import Village
from casework.errors import FieldError, InvalidInput
from casework.reports.indicators import AGE_GROUPS
from casework.reports.models import ChildPopulation

MAX_CHILDREN = 500_000  # more than any commune has: a figure above is a typing slip
_NAME = re.compile(r"^so\.(\d+)\.(male|female)\.([0-9-]+)$")
Key = tuple[int | None, Sex, str]  # village (None: the whole commune), sex, age group


@dataclass(frozen=True)
class Grid:
    """A year's figures as the form shows them: a row per village (and one for the
    commune where it keeps no figure per village), a column per sex and age group."""

    year: int
    villages: tuple[tuple[int, str], ...]
    cells: Mapping[Key, int]

    def value(self, village_id: int | None, sex: str, age: str) -> int | None:
        return self.cells.get((village_id, Sex(sex), age))

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def grid(session: Session, *, commune_id: int, year: int) -> Grid:
    villages = session.execute(
        select(Village.id, Village.name)
        .where(Village.commune_id == commune_id, Village.live())
        .order_by(Village.name)
    ).all()
    rows = session.exec(
        select(ChildPopulation).where(
            ChildPopulation.commune_id == commune_id, ChildPopulation.year == year
        )
    ).all()
    return Grid(
        year,
        tuple((v.id, v.name) for v in villages),
        {(r.village_id, Sex(r.sex), r.age_group): r.children for r in rows},
    )


def read_form(form: Iterable[tuple[str, str]], *, villages: set[int]) -> dict[Key, int]:
    """The posted cells (``so.<village id, 0: the commune>.<sex>.<age group>``); a cell
    that is not a whole number of children from 0 is refused with its place named."""
    ages = {g.key for g in AGE_GROUPS}
    found: dict[Key, int] = {}
    errors = []
    for name, raw in form:
        match = _NAME.match(name)
        value = raw.strip().replace(".", "").replace(",", "").replace(" ", "")
        if match is None or not value:
            continue
        village, sex, age = int(match[1]), Sex(match[2]), match[3]
        if age not in ages or (village and village not in villages):
            continue
        if not value.isdigit() or int(value) > MAX_CHILDREN:
            errors.append(
                FieldError(
                    ("so", match[1], match[2], age), "population_count", {"max": MAX_CHILDREN}
                )
            )
            continue
        found[(village or None, sex, age)] = int(value)
    if errors:
        raise InvalidInput(errors)
    return found


def replace_year(
    session: Session,
    actor: Actor,
    *,
    commune_id: int,
    year: int,
    cells: Mapping[Key, int],
    now: datetime,
) -> int:
    """The year's figures become ``cells``; returns the children they add up to."""
    session.execute(
        sa.delete(ChildPopulation).where(
            ChildPopulation.commune_id == commune_id, ChildPopulation.year == year
        )
    )
    for (village_id, sex, age), children in sorted(
        cells.items(), key=lambda item: (item[0][0] or 0, item[0][1], item[0][2])
    ):
        session.add(
            ChildPopulation(
                commune_id=commune_id,
                village_id=village_id,
                year=year,
                sex=sex,
                age_group=age,
                children=children,
                recorded_by_id=actor.user_id,
                recorded_at=now,
            )
        )
    session.flush()
    return sum(cells.values())
