"""The case API: read, list, and fire workflow events (each read and write audited)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.api_docs import errors
from casework.authz import policy, scopes
from casework.authz.deps import Allowed, CaseAccess, case_for
from casework.authz.policy import Action, CaseView
from casework.cases import flow, use_cases
from casework.cases import listing as case_listing
from casework.cases.events import PAYLOADS, payload_model
from casework.cases.models import CaseStatus, ProtectionCase, RiskLevel
from casework.cases.schemas import AgencyCaseRead, AssignCase, CaseRead, CaseSummary, TakeCase
from casework.db import run_in_transaction
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.pagination import Page, PageParams

router = APIRouter(prefix="/api/v1", tags=["cases"])

EVENT_DOC = "\n".join(
    f"- `{name}`: {', '.join(model.model_fields)}" for name, model in PAYLOADS.items()
)


@router.get("/cases/{code}", response_model=CaseRead | AgencyCaseRead, responses=errors(401, 404))
def get_case(
    request: Request,
    access: Annotated[CaseAccess, case_for(Action.case_read)],
    session: ReadSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> CaseRead | AgencyCaseRead:
    """One case with its child, reports, tasks, history, deadlines and the possible events.
    An agency with a task on the case (``view: "task"``) sees what its tasks need: the
    facts the workflow definition gives their kinds (``facts``, ``reports``, ``child``),
    the caseworker to call (``contacts``) and its own tasks; never the reporter."""
    case = session.get_one(ProtectionCase, access.id)
    result = use_cases.read_as(
        session,
        case=case,
        view=access.view,
        actor=access.actor,
        now=clock.now(),
        tz=settings.tz,
    )
    write_audit(request, access.actor, use_cases.viewed(result), after=session)
    return result


@router.post(
    "/cases/{code}/events/{event}",
    response_model=CaseRead,
    responses=errors(401, 403, 404, 409, 422),
    description="Fire a workflow event. Payload fields per event:\n\n" + EVENT_DOC,
)
def post_event(
    request: Request,
    event: str,
    access: Annotated[CaseAccess, case_for(Action.case_event)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    body: Annotated[dict[str, Any], Body()] = None,  # type: ignore[assignment]
) -> CaseRead:
    """Move the case on (e.g. start_assessment, submit_plan); 409 if not possible now."""
    try:
        payload = payload_model(event).model_validate(body or {})
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from None
    actor = access.actor

    def work(session: Session) -> CaseRead:
        now = clock.now()
        case = use_cases.fire(
            session,
            actor,
            code=access.code,
            event=event,
            payload=payload,
            origin=origin_of(request),
            now=now,
            tz=settings.tz,
        )
        return flow.read(session, case=case, actor=actor, now=now, tz=settings.tz)

    return run_in_transaction(factory, work)


@router.post(
    "/cases/{code}/assign", response_model=CaseRead, responses=errors(401, 403, 404, 409, 422)
)
def assign_case(
    request: Request,
    body: AssignCase,
    access: Annotated[CaseAccess, case_for(Action.case_assign)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> CaseRead:
    """Giao người phụ trách: the supervisor gives the case to a caseworker or supervisor of
    the commune (or to another one); 409 when ``expected_version`` is stale."""

    def work(session: Session) -> CaseRead:
        now = clock.now()
        case = use_cases.assign(
            session,
            access.actor,
            code=access.code,
            body=body,
            origin=origin_of(request),
            now=now,
            tz=settings.tz,
        )
        return flow.read(session, case=case, actor=access.actor, now=now, tz=settings.tz)

    return run_in_transaction(factory, work)


@router.post(
    "/cases/{code}/take", response_model=CaseRead, responses=errors(401, 403, 404, 409, 422)
)
def take_case(
    request: Request,
    body: TakeCase,
    access: Annotated[CaseAccess, case_for(Action.case_take)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> CaseRead:
    """Nhận hồ sơ: the caller becomes the caseworker of a case nobody has yet; 409 when
    someone has it or ``expected_version`` is stale."""

    def work(session: Session) -> CaseRead:
        now = clock.now()
        case = use_cases.take(
            session,
            access.actor,
            code=access.code,
            expected_version=body.expected_version,
            origin=origin_of(request),
            now=now,
        )
        return flow.read(session, case=case, actor=access.actor, now=now, tz=settings.tz)

    return run_in_transaction(factory, work)


@router.get("/cases", response_model=Page[CaseSummary], responses=errors(401, 422))
def list_cases(
    request: Request,
    actor: Allowed(Action.case_list),
    session: ReadSessionDep,
    settings: SettingsDep,
    params: Annotated[PageParams, Depends()],
    status: Annotated[CaseStatus | None, Query(description="Bước / status")] = None,
    risk: Annotated[RiskLevel | None, Query(description="Mức độ nguy cơ / risk")] = None,
    village: Annotated[str | None, Query(description="Tên thôn / village name")] = None,
    q: Annotated[str | None, Query(description="Mã hồ sơ hoặc tên trẻ / code or name")] = None,
    commune: Annotated[str | None, Query(description="Mã xã / commune code")] = None,
    owner: Annotated[
        Literal["me", "none"] | None,
        Query(description="Người phụ trách: me (của tôi), none (chưa ai) / owner"),
    ] = None,
) -> Page[CaseSummary]:
    """The cases the caller may see, newest first, filtered; name search ignores diacritics
    and case. An agency sees only cases where it has a task, without risk or child id."""
    masked = policy.list_view(actor) != CaseView.full
    page = case_listing.search(
        session,
        scope=scopes.visible_cases(actor),
        masked=masked,
        commune_code=commune,
        status=status,
        risk=risk,
        village=village,
        q=q,
        params=params,
        tz=settings.tz,
        owner=None if masked else case_listing.Owner.of(owner, me=actor.user_id),
    )
    write_audit(
        request,
        actor,
        use_cases.list_viewed([item.code for item in page.items], searched=bool(q)),
        after=session,
    )
    return page
