"""Thống kê: the commune's statistics for a period (Thông tư 13/2021 and its own
timeliness figures), by village, beside the same period of last year; its workbook; and the
population figures the shares need.

Caseworkers and the supervisor see their commune and may pick a village. A province viewer
sees the province's communes together or one of them, with every small count shown as
"< 5" (``figures.suppress``): counts only, never a record, for anyone. Every page and
download is in the audit log with the period and the place (no figure, no name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.accounts.models import Role
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import scopes
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.communes.models import Commune, Village
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError, FieldError, InvalidInput
from casework.reports import document, periods, population, province, workbook
from casework.reports.indicators import AGE_GROUPS, Where
from casework.reports.obligations import state_words
from casework.reports.periods import Period
from casework.reports.statistics import Statistics, for_province, statistics
from casework.timefmt import local_date
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems

router = APIRouter(include_in_schema=False)
PATH = "/thong-ke"
Reader = Allowed(Action.stats_read)
Keeper = Allowed(Action.population_manage)
SAVED = N_("Đã lưu số trẻ em của năm.")


def _period(today: date, key: str | None, first: date | None, last: date | None) -> Period:
    if first is not None or last is not None:
        if first is None or last is None:
            missing = "tu" if first is None else "den"
            raise InvalidInput([FieldError((missing,), "period_custom_both", source="query")])
        return Period(first, last)
    return periods.standard(key) if key else periods.half_of(today)


def _choices(today: date) -> list[tuple[str, str]]:
    """The standard periods offered: this year's and the two before, newest first."""
    found = []
    for year in range(today.year, today.year - 3, -1):
        for key in (f"{year}-H2", f"{year}-H1", f"{year}"):
            period = periods.standard(key)
            if period.first <= today:
                found.append((key, period.label()))
    return found


def where_for(
    session: Session, actor: Actor, *, village: int | None, commune: str | None
) -> tuple[Where, str, list[Commune]]:
    """The place asked for, within what ``actor`` may count; its name; the communes a
    province viewer may pick from."""
    communes = list(
        session.execute(
            sa.select(Commune).where(scopes.counted_communes(actor)).order_by(Commune.name)
        ).scalars()
    )
    if actor.role == Role.province_viewer:
        chosen = [c for c in communes if c.code == commune] if commune else communes
        if not chosen:
            raise InvalidInput([FieldError(("xa",), "statistics_commune_unknown", source="query")])
        name = chosen[0].name if commune else f"Các xã của {chosen[0].province}"
        return Where(tuple(c.id for c in chosen)), name, communes
    own = communes[0]
    if village is None:
        return Where((own.id,)), own.name, []
    found = session.get(Village, village)
    if found is None or found.commune_id != own.id:
        raise InvalidInput([FieldError(("thon",), "statistics_village_unknown", source="query")])
    return Where((own.id,), village), f"{found.name}, {own.name}", []


def _shown(actor: Actor, stats: Statistics) -> Statistics:
    """What ``actor`` may see of the figures: a province viewer, small counts suppressed."""
    return for_province(stats) if actor.role == Role.province_viewer else stats


@dataclass(frozen=True)
class Asked:
    """What the page's form asks for: a standard period (``ky``) or custom days (``tu``,
    ``den``), a village (``thon``), a commune of the province (``xa``)."""

    ky: str | None
    tu: date | None
    den: date | None
    thon: int | None
    xa: str | None


def asked_for(
    ky: Annotated[str | None, Query(max_length=8)] = None,
    tu: date | None = None,
    den: date | None = None,
    thon: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    xa: Annotated[str | None, Query(max_length=16)] = None,
) -> Asked:
    return Asked(ky, tu, den, thon, xa)


AskedDep = Annotated[Asked, Depends(asked_for)]


def _counted(
    actor: Actor,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    asked: Asked,
) -> tuple[Statistics, list[tuple[int, str]], list[Commune]]:
    now = clock.now()
    period = _period(local_date(now, settings.tz), asked.ky, asked.tu, asked.den)
    with factory() as session:
        where, place, communes = where_for(session, actor, village=asked.thon, commune=asked.xa)
        stats = statistics(session, where, period, settings.tz, now=now, place=place)
        villages = []
        if actor.role != Role.province_viewer:
            villages = [
                (v.id, v.name)
                for v in session.execute(
                    sa.select(Village)
                    .where(Village.commune_id == where.commune_ids[0], Village.live())
                    .order_by(Village.name)
                ).scalars()
            ]
    return _shown(actor, stats), villages, communes


def _audit_detail(stats: Statistics) -> dict[str, object]:
    period = stats.now.period
    return {
        "period": [period.first.isoformat(), period.last.isoformat()],
        "communes": list(stats.where.commune_ids),
        "village": stats.where.village_id,
    }


@router.get(PATH)
def statistics_page(
    request: Request,
    actor: Reader,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    asked: AskedDep,
) -> Response:
    """Thống kê trẻ em: the period's figures and last year's beside them."""
    today = local_date(clock.now(), settings.tz)
    context: dict[str, object] = {
        "choices": _choices(today),
        "asked": asked,
        "age_groups": AGE_GROUPS,
        "suppressed": actor.role == Role.province_viewer,
        "may_keep_population": actor.role in {Role.caseworker, Role.supervisor},
        "report_words": state_words(),
    }
    try:
        stats, villages, communes = _counted(actor, factory, clock, settings, asked)
    except CaseworkError as refused:
        errors = FormErrors.from_exception(refused, lang_of(request))
        context.update(errors=errors, stats=None)
        return render(request, "reports/statistics.html", context, actor=actor, status_code=422)
    side = []
    if actor.role == Role.province_viewer and not asked.xa:
        with factory() as session:
            period, now = stats.now.period, clock.now()
            side = province.side_by_side(
                session, stats.where.commune_ids, period, settings.tz, now=now
            )
    write_audit(
        request, actor, Record(AuditAction.view, "statistics", None, detail=_audit_detail(stats))
    )
    context.update(
        stats=stats, villages=villages, communes=communes, side=side, errors=FormErrors()
    )
    return render(request, "reports/statistics.html", context, actor=actor)


@router.get(f"{PATH}/tai-xuong.xlsx")
def statistics_workbook(
    request: Request,
    actor: Reader,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    asked: AskedDep,
) -> Response:
    """The same figures as an Excel workbook, one sheet per indicator (audited)."""
    stats, _, _ = _counted(actor, factory, clock, settings, asked)
    scope = (
        "cán bộ tỉnh" if actor.role == Role.province_viewer else f"Ủy ban nhân dân {stats.place}"
    )
    made_at = clock.now().astimezone(settings.tz)
    body = workbook.workbook(stats, made_by=actor.username or "", made_at=made_at, scope=scope)
    write_audit(
        request, actor, Record(AuditAction.export, "statistics", None, detail=_audit_detail(stats))
    )
    name = f"thong-ke-tre-em-{stats.now.period.first:%Y%m%d}-{stats.now.period.last:%Y%m%d}.xlsx"
    return Response(
        body,
        media_type=workbook.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(f"{PATH}/bao-cao.docx")
def statistics_document(
    request: Request,
    actor: Allowed(Action.report_manage),
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    asked: AskedDep,
) -> Response:
    """The period's report drafted as a Word document from the figures, its sections left
    for people to write (audited)."""
    stats, _, _ = _counted(actor, factory, clock, settings, asked)
    with factory() as session:
        commune = session.get_one(Commune, actor.commune_id)
    body = document.report_document(
        stats, commune=commune.name, province=commune.province,
        title=f"Kết quả công tác trẻ em {stats.now.period.label()}",
        recipient="Ủy ban nhân dân cấp trên", sections={},
        day=local_date(clock.now(), settings.tz),
    )  # fmt: skip
    write_audit(
        request, actor, Record(AuditAction.export, "statistics_document", None,
                               detail=_audit_detail(stats))
    )  # fmt: skip
    name = f"bao-cao-tre-em-{stats.now.period.first:%Y%m%d}-{stats.now.period.last:%Y%m%d}.docx"
    return Response(
        body,
        media_type=document.DOCX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _population_page(
    request: Request,
    actor: Actor,
    factory: SessionFactoryDep,
    year: int,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    with factory() as session:
        shown = population.grid(session, commune_id=actor.commune_id, year=year)
        commune = session.get_one(Commune, actor.commune_id)
    write_audit(
        request,
        actor,
        Record(AuditAction.view, "child_population", commune.code, detail={"year": year}),
    )
    context = {
        "grid": shown,
        "commune": commune,
        "age_groups": AGE_GROUPS,
        "typed": typed,
        "errors": errors or FormErrors(),
        "notice": notice,
    }
    return render(request, "reports/population.html", context, actor=actor, status_code=status_code)


@router.get(f"{PATH}/dan-so")
def population_page(
    request: Request,
    actor: Keeper,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    nam: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    saved: bool = False,
) -> Response:
    """Số trẻ em của xã: a year's children per village, sex and age group."""
    year = nam or local_date(clock.now(), settings.tz).year
    return _population_page(request, actor, factory, year, notice=SAVED if saved else None)


@router.post(f"{PATH}/dan-so")
def save_population(
    request: Request,
    actor: Keeper,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    nam: Annotated[int, Query(ge=2000, le=2100)],
) -> Response:
    """Save the year's figures: all of the form, in one transaction with its audit entry."""
    lang = lang_of(request)

    def work(session: Session) -> None:
        villages = set(
            session.execute(
                sa.select(Village.id).where(Village.commune_id == actor.commune_id)
            ).scalars()
        )
        cells = population.read_form(form, villages=villages)
        now = clock.now()
        total = population.replace_year(
            session, actor, commune_id=actor.commune_id, year=nam, cells=cells, now=now
        )
        code = session.get_one(Commune, actor.commune_id).code
        detail = {"year": nam, "cells": len(cells), "children": total}
        record = Record(AuditAction.update, "child_population", code, detail=detail)
        audit_service.append(session, actor, record, origin=origin_of(request), now=now)

    try:
        run_in_transaction(factory, work)
    except CaseworkError as refused:
        errors = FormErrors.from_exception(refused, lang)
        typed = {name: value for name, value in form if name.startswith("so.")}
        return _population_page(
            request, actor, factory, nam, typed=typed, errors=errors, status_code=422
        )
    return redirect(f"{PATH}/dan-so?nam={nam}&saved=1")
