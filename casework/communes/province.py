"""Quản trị cấp tỉnh: a province administrator's communes, from the official list.

A province administrator belongs to a province, not a commune. They add its communes one
by one or all at once (``setup``, the same service as ``casework commune``), see how far
each one's set-up has gone (villages, agencies, people, people who activated their
account), and choose one to work in: from then on the commune's administration pages
(people, agencies, villages, the people import) act on that commune, as its own
administrator's would. Nothing here reads a case or a child.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts.models import User
from casework.actors import Actor
from casework.agencies.models import Agency
from casework.communes import setup
from casework.communes.models import Commune, Village
from casework.communes.official import OfficialProvince, OfficialUnit, province_named, unit
from casework.communes.official import units_of as official_units
from casework.errors import FieldError, InvalidInput


@dataclass(frozen=True)
class CommuneSetUp:
    """A commune of the province and how far its set-up has gone."""

    commune: Commune
    villages: int
    agencies: int
    people: int
    activated: int


def province_of(actor: Actor) -> OfficialProvince:
    found = province_named(actor.province or "")
    assert found is not None, "a province administrator's province is on the official list"
    return found


def communes(session: Session, actor: Actor) -> list[CommuneSetUp]:
    """The province's communes set up so far, by code, with their counts."""

    def counted(model: type, *where: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
        column = model.commune_id  # type: ignore[attr-defined]
        return (
            sa.select(sa.func.count())
            .select_from(model)
            .where(column == Commune.id, *where)
            .correlate(Commune)
            .scalar_subquery()
        )

    rows = session.execute(
        sa.select(
            Commune,
            counted(Village, Village.live()),
            counted(Agency, Agency.is_active),
            counted(User),
            counted(User, User.password_hash.is_not(None)),
        )
        .where(Commune.province == province_of(actor).name)
        .order_by(Commune.code)
    ).all()
    return [CommuneSetUp(*row) for row in rows]


def not_added(session: Session, actor: Actor) -> list[OfficialUnit]:
    """The province's official communes, wards and special zones not set up yet."""
    have = set(session.exec(select(Commune.code)).all())
    return [found for found in official_units(province_of(actor).code) if found.code not in have]


def add(
    session: Session, actor: Actor, *, code: str, case_prefix: str | None, now: datetime
) -> Commune:
    """One commune of the actor's province (another province's code is refused, named)."""
    found = unit(code)
    province = province_of(actor)
    if found is not None and found.province.code != province.code:
        params = {"code": found.code, "name": found.name, "province": found.province.full_name}
        raise InvalidInput([FieldError(("code",), "official_unit_other_province", params)])
    return setup.add_commune(session, code=code, case_prefix=case_prefix, now=now)


def add_all(session: Session, actor: Actor, *, now: datetime) -> Sequence[Commune]:
    """Every commune of the actor's province not set up yet."""
    return setup.add_province(session, province_code=province_of(actor).code, now=now)


def commune_in_province(session: Session, actor: Actor, *, commune_id: int) -> Commune | None:
    """The commune, if it is one of the actor's province (else, for them, it is not there)."""
    commune = session.get(Commune, commune_id)
    if commune is None or commune.province != actor.province:
        return None
    return commune
