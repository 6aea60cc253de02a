"""Chỉ tiêu kế hoạch: the plan year's targets measured from the data, with their trend by
month beside last year's (a chart and the same numbers as a table) and, for the commune's
caseworkers and supervisor, the cases or children behind each shortfall. Others who may
read statistics (a province viewer) see the measures only, small counts as "< 5"."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from casework.accounts.auth import write_audit
from casework.accounts.models import Role
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.reports import charts, targets
from casework.reports.pages import where_for
from casework.reports.periods import Period
from casework.timefmt import local_date
from casework.web.i18n import lang_of
from casework.web.pages import render

router = APIRouter(include_in_schema=False)
PATH = "/chi-tieu"
MONTHS = [f"T{n}" for n in range(1, 13)]


@router.get(PATH)
def targets_page(
    request: Request,
    actor: Allowed(Action.stats_read),
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    nam: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    xa: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """The year's targets (to today in the current year) and last year's beside them."""
    now = clock.now()
    today = local_date(now, settings.tz)
    year = nam or today.year
    period = Period(date(year, 1, 1), min(date(year, 12, 31), max(today, date(year, 1, 1))))
    before = period.previous_year()
    lang = lang_of(request)
    with factory() as session:
        where, place, communes = where_for(session, actor, village=None, commune=xa)
        found = targets.progress(session, where, period, settings.tz, now=now)
        earlier = targets.progress(session, where, before, settings.tz, now=now)
        months = targets.by_month(session, where, period, settings.tz, now=now)
        last_months = targets.by_month(session, where, before, settings.tz, now=now)
    rows = []
    for n, progress in enumerate(found):
        this_year = [month[n].value for _, month in months]
        last_year = [month[n].value for _, month in last_months]
        shown = len(this_year)
        labels = (str(year), str(year - 1), "Chỉ tiêu" if lang == "vi" else "Target")
        chart = charts.trend(
            progress.target,
            months=MONTHS[:shown],
            this_year=this_year,
            last_year=last_year[:shown],
            labels=labels,
        )
        table = list(zip(MONTHS[:shown], this_year, last_year[:shown], strict=True))
        rows.append((progress, earlier[n], chart, table))
    write_audit(
        request, actor, Record(AuditAction.view, "plan_targets", None,
                               detail={"year": year, "communes": list(where.commune_ids)})
    )  # fmt: skip
    context = {
        "rows": rows,
        "year": year,
        "place": place,
        "communes": communes,
        "asked": xa or "",
        "with_lists": actor.role in {Role.caseworker, Role.supervisor},
        "suppressed": actor.role == Role.province_viewer,
        "years": list(range(today.year, today.year - 4, -1)),
    }
    return render(request, "reports/targets.html", context, actor=actor)
