"""The home page, the language switch and the health check (all public)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from casework.accounts.auth import OptionalActor
from casework.communes import service as commune_service
from casework.deps import ReadSessionDep
from casework.web import i18n
from casework.web.pages import redirect, render, safe_next

router = APIRouter(include_in_schema=False)
PUBLIC = frozenset({("GET", "/"), ("GET", "/healthz"), ("GET", "/ngon-ngu")})
# A year: the choice is a preference, not an identity.
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


@router.get("/")
def home(request: Request, session: ReadSessionDep, actor: OptionalActor) -> Response:
    """Someone logged in goes to their own page; anyone else sees the communes and where
    to log in (no counts: those need a login)."""
    if actor is not None:
        return redirect("/trang-cua-toi")
    return render(
        request,
        "pages/home.html",
        {"communes": commune_service.overview(session), "counts": False},
        actor=None,
    )


@router.get("/ngon-ngu")
def choose_language(request: Request, lang: str = "vi", next: str | None = None) -> Response:  # noqa: A002
    """Switch the pages between Tiếng Việt and English, back to the page one was on."""
    response = redirect(safe_next(next))
    if lang in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE,
            lang,
            max_age=LANGUAGE_COOKIE_SECONDS,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


@router.get("/healthz")
def health(session: ReadSessionDep) -> dict[str, str]:
    """Alive and able to reach the database."""
    session.connection().exec_driver_sql("SELECT 1")
    return {"status": "ok"}
