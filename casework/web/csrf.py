"""CSRF protection: a synchronizer token kept in the session, sent back with every change.

A form carries it in a hidden field (``{{ csrf_field() }}`` in templates), an HTMX or
fetch request in the ``X-CSRF-Token`` header (``<meta name="csrf-token">`` in the page;
``hx-headers`` can copy it). Every state-changing request made with the session cookie
must carry it; requests with an API token carry no ambient credential and need none.
starlette-csrf is not used: it reads only a header, so plain form posts would go
unprotected (ARCHITECTURE.md).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from markupsafe import Markup, escape

from casework.errors import CaseworkError

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(CaseworkError):
    status_code = 403
    code = "csrf_failed"


def token(request: Request) -> str:
    """The session's token (made on first use); put it in every form and HTMX request."""
    session = request.session
    if not isinstance(session.get("csrf"), str):
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def hidden_field(request: Request) -> Markup:
    """``<input type="hidden" name="csrf_token" value="…">`` for a form."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        FIELD, escape(token(request))
    )


async def require(request: Request) -> None:
    """Refuse (403) a state-changing request whose token is missing or wrong."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    given = request.headers.get(HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(FIELD)
        given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise CsrfFailed()
