"""The home page and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from casework.communes import service as commune_service
from casework.deps import ReadSessionDep

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: ReadSessionDep) -> HTMLResponse:
    """What a person sees after `make run`: the communes and where the API is."""
    return request.app.state.templates.TemplateResponse(
        request, "pages/home.html", {"communes": commune_service.overview(session)}
    )


@router.get("/healthz")
def health(session: ReadSessionDep) -> dict[str, str]:
    """Alive and able to reach the database."""
    session.connection().exec_driver_sql("SELECT 1")
    return {"status": "ok"}
