"""Who is acting: a logged-in browser session or an API token; and logging in and out.

``current_actor`` is the one authentication dependency: the API routers and the web pages
declare it once at router level (``casework.app``), views take the resulting ``Actor``
through ``casework.authz.deps.allowed``. A session-authenticated request that changes
something must carry the CSRF token (``casework.web.csrf``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session, select

from casework.accounts import resume
from casework.accounts import service as account_service
from casework.accounts.models import ApiToken, Role, User
from casework.accounts.tokens import find_usable
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Origin, Record
from casework.communes.models import Commune
from casework.communes.official import province as official_province
from casework.db import run_in_transaction
from casework.errors import CaseworkError
from casework.timefmt import as_utc
from casework.web import csrf, sessions

# A token's use is written to the audit log at most this often (each request it makes
# that reads or changes a record is audited anyway, with the token's id).
TOKEN_USE_EVERY = timedelta(minutes=1)
# The session's key for the commune a province administrator chose to work in (checked
# against their province when chosen; the cookie is signed).
WORKING_IN = "commune"


class NotAuthenticated(CaseworkError):
    status_code = 401
    code = "not_authenticated"


class TokenInvalid(NotAuthenticated):
    code = "token_invalid"


def origin_of(request: Request) -> Origin:
    client = request.client.host if request.client else None
    return Origin(ip=client, user_agent=request.headers.get("user-agent"))


def actor_of(user: User, *, working_in: int | None = None, **extra: object) -> Actor:
    """The account as an actor. A province administrator has no commune of their own:
    ``working_in`` is the commune of their province they chose (``communes.province``)."""
    province = None
    commune_id = user.commune_id
    if user.province_code is not None:
        found = official_province(user.province_code)
        province = found.name if found is not None else None
        commune_id = working_in
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        commune_id=commune_id,
        agency_id=user.agency_id,
        username=user.username,
        province=province,
        **extra,  # type: ignore[arg-type]
    )


# Declared as a security scheme so the OpenAPI (and /docs' "Authorize") shows bearer tokens.
bearer_scheme = HTTPBearer(
    auto_error=False,
    description="Token API do quản trị cấp (`casework token create`) / an API token",
)


def _from_token(request: Request, raw: str) -> Actor:
    now = request.app.state.clock.now()
    with request.app.state.session_factory() as session:
        found = find_usable(session, raw=raw, now=now)
    if found is None:
        record = Record(AuditAction.token_use, "token", raw[:12], outcome="failed")
        write_audit(request, None, record)
        raise TokenInvalid()
    token, user = found
    actor = actor_of(user, token_id=token.id, scopes=frozenset(token.scopes.split()))
    last = token.last_used_at
    if last is None or now - as_utc(last) >= TOKEN_USE_EVERY:

        def note_use(session: Session) -> None:
            session.execute(
                sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
            )
            audit_service.append(
                session,
                actor,
                Record(AuditAction.token_use, "token", str(token.id)),
                origin=origin_of(request),
                now=now,
            )

        run_in_transaction(request.app.state.session_factory, note_use)
    return actor


def write_audit(
    request: Request,
    actor: Actor | None,
    records: Record | list[Record],
    *,
    after: Session | None = None,
) -> None:
    """Append to the audit log in a transaction of its own (for reads and refusals, which
    have no transaction to share). A failure here fails the request: nothing is shown
    that was not recorded. ``after``: the read's session, ended first, so no read
    transaction stays open while the audit lock is awaited."""
    if after is not None:
        after.close()
    origin, now = origin_of(request), request.app.state.clock.now()
    run_in_transaction(
        request.app.state.session_factory,
        lambda session: audit_service.append(session, actor, records, origin=origin, now=now),
    )


def session_user(session: Session, request: Request) -> User | None:
    """The logged-in user, if the account is active, the session's epoch is still the
    account's (not logged out everywhere) and this session was not logged out."""
    uid, epoch, sid = (request.session.get(key) for key in ("uid", "epoch", "sid"))
    if not isinstance(uid, int) or not isinstance(epoch, int) or not isinstance(sid, str):
        return None  # a cookie from before sessions had ids: log in again
    return session.exec(
        select(User).where(
            User.id == uid,
            User.is_active,
            User.session_epoch == epoch,
            ~account_service.session_ended(sid),
        )
    ).first()


def resolve_actor(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Actor | None:
    """The actor from an ``Authorization: Bearer`` token, else from the session cookie."""
    if bearer is not None and bearer.credentials.strip():
        return _from_token(request, bearer.credentials.strip())
    if "uid" not in request.session:
        return None
    # A short session of its own: the request's unit of work must not run inside a
    # transaction this lookup left open.
    with request.app.state.session_factory() as session:
        user = session_user(session, request)
        working_in = _working_in(session, request, user)
    if user is None:
        end_browser_session(request)  # over: logged out, everywhere or here, or disabled
        return None
    sessions.renew(request)  # a checked session's idle time starts again
    return actor_of(user, working_in=working_in)


def _working_in(session: Session, request: Request, user: User | None) -> int | None:
    """The commune a province administrator chose, while it is still of their province
    (checked on every request: an account moved to another province loses it at once)."""
    chosen = request.session.get(WORKING_IN)
    if user is None or user.province_code is None or not isinstance(chosen, int):
        return None
    province = official_province(user.province_code)
    found = session.exec(select(Commune.province).where(Commune.id == chosen)).first()
    if province is None or found != province.name:
        request.session.pop(WORKING_IN, None)
        return None
    return chosen


async def current_actor(
    request: Request, actor: Annotated[Actor | None, Depends(resolve_actor)]
) -> Actor:
    """The authenticated actor (401 otherwise); changes from a browser need the CSRF token.
    A form sent just after its session expired is kept for the login page (``resume``)."""
    if actor is None:
        await resume.capture(request)
        raise NotAuthenticated()
    if actor.token_id is None:
        await csrf.require(request)
    return actor


def optional_actor(
    actor: Annotated[Actor | None, Depends(resolve_actor)],
) -> Actor | None:
    """For public pages that show more to someone logged in."""
    return actor


def start_browser_session(request: Request, user: User) -> None:
    """Log ``user`` in: a fresh session (new id, new CSRF token) bound to their current
    epoch. The id is what logging out ends on the server (``account_service``)."""
    request.session.clear()
    request.session.update(
        {"uid": user.id, "epoch": user.session_epoch, "sid": account_service.new_session_id()}
    )
    csrf.token(request)


def end_browser_session(request: Request) -> None:
    request.session.clear()


CurrentActor = Annotated[Actor, Depends(current_actor)]
OptionalActor = Annotated[Actor | None, Depends(optional_actor)]
