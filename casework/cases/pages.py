"""The case pages: the list, one case (deadlines, tasks, history, what may be done now),
the forms of each workflow event (``event_pages``), and the printable plan and decision
(Mẫu 04, Mẫu 05).

Each view authorises through ``casework.authz.deps``, reads through the services, writes
its audit entry as the API does, and renders. Agencies see only what their task needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from casework.accounts.auth import write_audit
from casework.authz import policy, scopes
from casework.authz.deps import Allowed, CaseAccess, case_for
from casework.authz.policy import Action, CaseView
from casework.cases import case_page, flow, lookups, printing, recorded, use_cases
from casework.cases import listing as case_listing
from casework.cases import service as case_service
from casework.cases.event_pages import router as event_router
from casework.cases.models import CaseStatus, ProtectionCase, RiskLevel
from casework.cases.owner_pages import DONE as OWNER_CHANGED
from casework.cases.owner_pages import offer as owner_offer
from casework.cases.owner_pages import router as owner_router
from casework.cases.schemas import CaseRead
from casework.cases.wording import event_title
from casework.deps import ClockDep, ReadSessionDep, SettingsDep
from casework.pagination import PageParams
from casework.web import i18n
from casework.web.pages import redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(event_router)
router.include_router(owner_router)

CasePath = Annotated[CaseAccess, case_for(Action.case_read)]
PAGE_SIZE = 20
OWNER_FILTERS = ("me", "none")


def _choice(enum: type[CaseStatus] | type[RiskLevel], value: str | None):  # type: ignore[no-untyped-def]
    """A filter's value if it is one of the choices (a hand-edited address is ignored)."""
    return enum(value) if value in enum.__members__ else None


@dataclass(frozen=True)
class Filters:
    status: CaseStatus | None
    risk: RiskLevel | None
    village: str
    emergency: bool
    q: str
    owner: str = ""  # "me": my cases; "none": nobody's yet

    def query(self, **extra: object) -> str:
        """This search's address, e.g. for another page of it."""
        values = {
            "status": self.status or "",
            "risk": self.risk or "",
            "village": self.village,
            "emergency": "1" if self.emergency else "",
            "owner": self.owner,
            "q": self.q,
            **extra,
        }
        return "?" + urlencode({k: v for k, v in values.items() if v})


@router.get("/ho-so")
def case_list(
    request: Request,
    actor: Allowed(Action.case_list),
    session: ReadSessionDep,
    settings: SettingsDep,
    status: str | None = None,
    risk: str | None = None,
    village: str | None = None,
    emergency: str | None = None,
    q: str | None = None,
    page: str | None = None,
    owner: str | None = None,
) -> Response:
    """The cases this person may see, newest first, with filters (their own cases, those
    nobody owns yet…) and a search by code or the child's name (diacritics ignored);
    emergencies, lateness and the owner on each row."""
    masked = policy.list_view(actor) != CaseView.full
    filters = Filters(
        _choice(CaseStatus, status),
        None if masked else _choice(RiskLevel, risk),
        (village or "").strip(),
        emergency == "1",
        (q or "").strip()[:100],
        "" if masked or owner not in OWNER_FILTERS else owner,
    )
    number = int(page) if page and page.isdigit() and 0 < int(page) < 10_000 else 1
    found = case_listing.search(
        session,
        scope=scopes.visible_cases(actor),
        masked=masked,
        commune_code=None,
        status=filters.status,
        risk=filters.risk,
        village=filters.village or None,
        emergency=True if filters.emergency else None,
        q=filters.q or None,
        owner=case_listing.Owner.of(filters.owner, me=actor.user_id),
        params=PageParams(page=number, page_size=PAGE_SIZE),
        tz=settings.tz,
    )
    clocks = lookups.most_urgent_clocks(
        session,
        codes=[item.code for item in found.items],
        agency_id=actor.agency_id if masked else None,
    )
    villages = lookups.village_names(session, commune_id=actor.commune_id or 0)
    write_audit(
        request,
        actor,
        use_cases.list_viewed([item.code for item in found.items], searched=bool(filters.q)),
        after=session,
    )
    return render(
        request,
        "cases/list.html",
        {
            "found": found,
            "filters": filters,
            "clocks": clocks,
            "villages": villages,
            "masked": masked,
            "statuses": list(CaseStatus),
            "risks": list(RiskLevel),
        },
        actor=actor,
    )


@router.get("/ho-so/{code}")
def case_detail(
    request: Request,
    access: CasePath,
    session: ReadSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    xong: str | None = None,
) -> Response:
    """One case. Caseworkers and supervisors: everything, with its clocks, tasks, history,
    the workflow and what they may do now. An agency: what its tasks need (the facts the
    workflow definition gives them), whom to call, and its own tasks (never the reporter)."""
    case = session.get_one(ProtectionCase, access.id)
    definition = flow.engine_of(case).definition
    lang, tr = i18n.lang_of(request), partial(i18n.gettext_for, request)
    read = use_cases.read_as(
        session, case=case, view=access.view, actor=access.actor, now=clock.now(), tz=settings.tz
    )
    if isinstance(read, CaseRead):
        people = lookups.people(session, user_ids=case_page.people_named(read))
        template = "cases/case.html"
        context: dict[str, object] = {
            "page": case_page.build(read, definition, people, lang=lang, tr=tr, tz=settings.tz),
            "owner": owner_offer(access.actor, read),
        }
    else:
        template = "cases/case_task.html"
        context = {
            "case": read,
            "agencies": case_page.by_agency(
                read.tasks, case_page.clock_views(read.deadlines, definition, lang, tr)
            ),
        }
    if xong in definition.events:
        context["done"] = event_title(definition, xong, lang, tr)
    elif xong in OWNER_CHANGED:
        context["done"] = tr(OWNER_CHANGED[xong])
    write_audit(request, access.actor, use_cases.viewed(read), after=session)
    return render(request, template, context, actor=access.actor)


def _printed(
    request: Request, access: CaseAccess, session: ReadSessionDep, settings: SettingsDep, form: str
) -> Response:
    """A printable form of the case's plan; the commune office's only (agencies see their
    own tasks on the case page)."""
    if access.view != CaseView.full:
        return redirect(f"/ho-so/{access.code}")
    case = session.get_one(ProtectionCase, access.id)
    read = case_service.read(session, case=case, tz=settings.tz)
    people = lookups.people(session, user_ids=printing.people_to_name(read))
    commune = lookups.commune(session, commune_id=case.commune_id)
    lang, tr = i18n.lang_of(request), partial(i18n.gettext_for, request)
    plan = printing.plan_of(read, commune, people, lang)
    steps = recorded.legal_steps(
        read, flow.engine_of(case).definition, lang=lang, tr=tr, tz=settings.tz
    )
    write_audit(
        request, access.actor, use_cases.case_viewed(access.code, "full", print=form), after=session
    )
    context = {"plan": plan, "recorded": steps}
    return render(request, f"cases/print_{form}.html", context, actor=access.actor)


@router.get("/ho-so/{code}/in/ke-hoach")
def print_plan(
    request: Request, access: CasePath, session: ReadSessionDep, settings: SettingsDep
) -> Response:
    """The support and intervention plan, laid out like Mẫu 04, for printing."""
    return _printed(request, access, session, settings, "plan")


@router.get("/ho-so/{code}/in/quyet-dinh")
def print_decision(
    request: Request, access: CasePath, session: ReadSessionDep, settings: SettingsDep
) -> Response:
    """The chairperson's decision approving the plan (Mẫu 05), or its draft, for printing."""
    return _printed(request, access, session, settings, "decision")


@router.get("/cases/{code}")
def case_link(access: CasePath) -> Response:
    """Where the e-mails and SMS point (``CASEWORK_PUBLIC_URL/cases/<code>``): the case page,
    after the same check of who may see it."""
    return redirect(f"/ho-so/{access.code}")
