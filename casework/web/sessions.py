"""The browser session: a signed cookie holding only who is logged in and their epoch.

The cookie is signed (itsdangerous), not encrypted, so it carries nothing personal:
``uid`` (the user id), ``epoch`` (the account's session epoch when they logged in), ``sid``
(a random id of this login) and ``csrf`` (the form token). Every request checks the
signature's age against the idle timeout, and every answer to a request whose session was
checked signs it afresh, so a session ends after ``CASEWORK_SESSION_IDLE_MINUTES`` without
a request. The account's epoch is checked on each request too
(``casework.accounts.auth``): "log out everywhere", a password change or disabling the
account end every session at once; logging out ends this one (its ``sid``) on the server.

A logged-in session is renewed only by a request that checked it (``renew``), not by
the static files or the login page: a copy of a cookie that was logged out can never be
kept alive past the idle timeout, which is how long the server remembers the logout.

Cookie flags: HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS (or
always, with ``CASEWORK_COOKIE_SECURE=always`` behind a TLS-terminating proxy).
"""

from __future__ import annotations

import json
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "casework_session"
SALT = "casework.session"
# The browser keeps the cookie this long past the idle timeout, so that a form sent after
# the session expired can still be recognised as that session's and kept across a new
# login (``casework.accounts.resume``); the server never accepts it as a session.
STALE_KEEP_SECONDS = 12 * 3600
RENEW = "casework.session_renew"


def signer(secret_key: str) -> TimestampSigner:
    return TimestampSigner(secret_key, salt=SALT)


def renew(request: HTTPConnection) -> None:
    """This request checked the logged-in session: sign its cookie afresh."""
    request.scope[RENEW] = True


def encode(secret_key: str, data: dict[str, Any]) -> str:
    """The cookie value for ``data`` (what the middleware sets; tests use it to act as a
    logged-in browser without a login round trip)."""
    return signer(secret_key).sign(json.dumps(data, separators=(",", ":"))).decode()


class SessionMiddleware:
    def __init__(
        self, app: ASGIApp, *, secret_key: str, idle_seconds: int, secure: str = "auto"
    ) -> None:
        self.app = app
        self.secret_key = secret_key
        self.signer = signer(secret_key)
        self.idle_seconds = idle_seconds
        self.secure = secure

    def _load(self, raw: str | None) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The live session, and the expired one (validly signed, too old) if that is
        what came."""
        if not raw:
            return {}, None
        try:
            return _dict(self.signer.unsign(raw, max_age=self.idle_seconds)), None
        except SignatureExpired as expired:
            return {}, _dict(expired.payload or b"")
        except BadSignature:
            return {}, None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = HTTPConnection(scope).cookies.get(COOKIE)
        scope["session"], scope["stale_session"] = self._load(raw)
        loaded = dict(scope["session"])
        secure = self.secure == "always" or (
            self.secure == "auto" and scope.get("scheme") == "https"
        )

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                flags = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                session = scope["session"]
                # A logged-in session goes on only when checked; a change is always sent.
                renewed = "uid" not in session or scope.get(RENEW) or session != loaded
                if session and renewed:
                    signed = encode(self.secret_key, session)
                    headers.append(
                        "Set-Cookie",
                        f"{COOKIE}={signed}; Max-Age={self.idle_seconds + STALE_KEEP_SECONDS}; "
                        + flags,
                    )
                elif raw and not session:
                    headers.append("Set-Cookie", f"{COOKIE}=; Max-Age=0; {flags}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _dict(payload: bytes | str) -> dict[str, Any]:
    try:
        data = json.loads(payload)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
