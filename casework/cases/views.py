"""GET /api/v1/cases and /api/v1/cases/{code}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from casework.api_docs import errors
from casework.cases import service as case_service
from casework.cases.models import CaseStatus, RiskLevel
from casework.cases.schemas import CaseRead, CaseSummary
from casework.deps import ReadSessionDep, SettingsDep
from casework.pagination import Page, PageParams

router = APIRouter(prefix="/api/v1", tags=["cases"])


@router.get("/cases/{code}", response_model=CaseRead, responses=errors(404))
def get_case(code: str, session: ReadSessionDep, settings: SettingsDep) -> CaseRead:
    """One case with its child, reports, tasks, history and deadlines."""
    case = case_service.get_by_code(session, code=code.strip().upper())
    return case_service.read(session, case=case, tz=settings.tz)


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
