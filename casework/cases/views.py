"""The case API: read, list, and fire workflow events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from casework.api_docs import errors
from casework.cases import flow
from casework.cases import service as case_service
from casework.cases.events import PAYLOADS, payload_model
from casework.cases.models import CaseStatus, RiskLevel
from casework.cases.schemas import CaseRead, CaseSummary
from casework.db import run_in_transaction
from casework.deps import (
    ActorDep,
    ClockDep,
    OptionalActorDep,
    ReadSessionDep,
    SessionFactoryDep,
    SettingsDep,
)
from casework.pagination import Page, PageParams

router = APIRouter(prefix="/api/v1", tags=["cases"])

EVENT_DOC = "\n".join(
    f"- `{name}`: {', '.join(model.model_fields)}" for name, model in PAYLOADS.items()
)


@router.get("/cases/{code}", response_model=CaseRead, responses=errors(404))
def get_case(
    code: str,
    session: ReadSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    actor: OptionalActorDep,
) -> CaseRead:
    """One case with its child, reports, tasks, history, deadlines and the possible events."""
    case = case_service.get_by_code(session, code=code.strip().upper())
    return flow.read(session, case=case, actor=actor, now=clock.now(), tz=settings.tz)


@router.post(
    "/cases/{code}/events/{event}",
    response_model=CaseRead,
    responses=errors(404, 409, 422),
    description="Fire a workflow event. Payload fields per event:\n\n" + EVENT_DOC,
)
def post_event(
    code: str,
    event: str,
    actor: ActorDep,
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

    def work(session):  # type: ignore[no-untyped-def]
        case = flow.lock(session, code=code.strip().upper())
        now = clock.now()
        flow.fire_event(
            session, actor, case=case, event=event, payload=payload, now=now, tz=settings.tz
        )
        return flow.read(session, case=case, actor=actor, now=now, tz=settings.tz)

    return run_in_transaction(factory, work)


@router.get("/cases", response_model=Page[CaseSummary], responses=errors(422))
def list_cases(
    session: ReadSessionDep,
    settings: SettingsDep,
    params: Annotated[PageParams, Depends()],
    status: Annotated[CaseStatus | None, Query(description="Bước / status")] = None,
    risk: Annotated[RiskLevel | None, Query(description="Mức độ nguy cơ / risk")] = None,
    village: Annotated[str | None, Query(description="Tên thôn / village name")] = None,
    q: Annotated[str | None, Query(description="Mã hồ sơ hoặc tên trẻ / code or name")] = None,
    commune: Annotated[str | None, Query(description="Mã xã / commune code")] = None,
) -> Page[CaseSummary]:
    """Cases, newest first, filtered; name search ignores diacritics and case."""
    return case_service.search(
        session,
        commune_code=commune,
        status=status,
        risk=risk,
        village=village,
        q=q,
        params=params,
        tz=settings.tz,
    )
