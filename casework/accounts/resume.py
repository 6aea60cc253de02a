"""Nothing typed is lost to an expired session (UX.md §6.8).

A caseworker may spend longer than the idle timeout on one form (a long phone call, an
intake typed in a village). When that form is sent after the session ran out, the login
page comes back holding what was sent, as hidden fields; after logging in again, the same
person gets a page that sends it on, with a fresh CSRF token, at one click.

Only a genuine form is carried: its CSRF token must be the one of the session that just
expired (the session middleware keeps that stale session readable, ``stale_session`` in
the request scope, but never trusts it for anything else). A cross-site post arrives
without the cookie and carries nothing. Passwords are never carried. The action and the
person it belongs to travel in the new signed session, not in the page, and another
person logging in on the same browser gets nothing of it.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from casework.web import csrf
from casework.web.pages import render, safe_next

PREFIX = "resume."  # the carried fields' names on the login form
SESSION_KEY = "resume"


@dataclass(frozen=True)
class Carried:
    action: str
    fields: list[tuple[str, str]]


def _genuine(request: Request, given: list[object]) -> int | None:
    """Whose form this is, when one of the ``given`` tokens proves it came from a page of
    theirs: the token of the session that just expired, or, once an earlier request of
    this page was already kept (htmx's live search, say, which also renewed the page's
    token), the token of the signed session holding that."""
    stale = request.scope.get("stale_session") or {}
    pending = request.session.get(SESSION_KEY)
    proofs = [(stale.get("csrf"), stale.get("uid"))]
    if isinstance(pending, dict):
        proofs.append((request.session.get("csrf"), pending.get("uid")))
    for expected, uid in proofs:
        if not isinstance(expected, str) or not isinstance(uid, int):
            continue
        if any(isinstance(g, str) and hmac.compare_digest(expected, g) for g in given):
            return uid
    return None


async def capture(request: Request) -> None:
    """Called when a request has no live session: if it is a form posted from a session
    that just expired, keep it for the login page (``request.state.carried``)."""
    kind = request.headers.get("content-type", "")
    if request.method != "POST" or not kind.startswith("application/x-www-form-urlencoded"):
        return
    if request.url.path.startswith("/api/"):
        return
    form = await request.form()
    uid = _genuine(request, [request.headers.get(csrf.HEADER), form.get(csrf.FIELD)])
    if uid is None:
        return
    fields = [
        (name, value)
        for name, value in form.multi_items()
        if isinstance(value, str) and name != csrf.FIELD and "password" not in name
    ]
    action = safe_next(request.url.path)
    request.session.clear()
    request.session[SESSION_KEY] = {"uid": uid, "action": action}
    request.state.carried = Carried(action, fields)


def carried_by_login_form(request: Request, form_items: list[tuple[str, str]]) -> Carried | None:
    """What the login form carries back (its ``resume.*`` fields), with the action the
    session recorded; None when there is nothing to carry."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("action"), str):
        return None
    fields = [(n.removeprefix(PREFIX), v) for n, v in form_items if n.startswith(PREFIX)]
    return Carried(pending["action"], fields) if fields else None


def belongs_to(request: Request, user_id: int) -> bool:
    """Whether the carried form was typed by the person who just logged in (read before
    the new session replaces the old one)."""
    pending = request.session.get(SESSION_KEY)
    return isinstance(pending, dict) and pending.get("uid") == user_id


def login_page(request: Request) -> Response | None:
    """The answer to a kept form (``capture``): the login page holding it, 401."""
    carried = getattr(request.state, "carried", None)
    if carried is None:
        return None
    context = {"next": "/", "username": "", "errors": [], "carried": carried}
    return render(request, "accounts/login.html", context, actor=None, status_code=401)
