"""The home page and the health check (both public)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from casework.accounts.auth import OptionalActor
from casework.authz import policy
from casework.authz.policy import Action
from casework.communes import service as commune_service
from casework.deps import ReadSessionDep

router = APIRouter(include_in_schema=False)
PUBLIC = frozenset({("GET", "/"), ("GET", "/healthz")})


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: ReadSessionDep, actor: OptionalActor) -> HTMLResponse:
    """What a person sees after `make run`: the communes, where to log in and the API.
    Case counts only for someone logged in who may read them."""
    counts = actor is not None and policy.gate(actor, Action.stats_read).allowed
    return request.app.state.templates.TemplateResponse(
        request,
        "pages/home.html",
        {"communes": commune_service.overview(session), "counts": counts, "user": actor},
    )


@router.get("/healthz")
def health(session: ReadSessionDep) -> dict[str, str]:
    """Alive and able to reach the database."""
    session.connection().exec_driver_sql("SELECT 1")
    return {"status": "ok"}
