"""Administrators' commands: ``casework user``, ``casework token``, ``casework audit``,
``casework keys``. Each is an entry point that owns its transaction, and every change to an
account or a token is written to the audit log (as done from the command line)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import typer
from sqlmodel import Session

from casework.accounts.models import Role
from casework.clock import SystemClock
from casework.config import get_settings
from casework.errors import CaseworkError
from casework.messages import field_label, render

user_app = typer.Typer(help="Accounts: create, disable, reset a password.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for integrations.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
keys_app = typer.Typer(help="Encryption keys of narrative fields.", no_args_is_help=True)


@contextmanager
def cli_session() -> Iterator[Session]:
    """A committed-on-success unit of work on the configured database, keys installed."""
    from casework import crypto
    from casework.db import UnitOfWork, make_engine, make_sessionmaker
    from casework.keys import MissingKeys, load_keys

    settings = get_settings()
    try:
        crypto.install(load_keys(settings))
    except MissingKeys as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(code=2) from None
    engine = make_engine(settings)
    try:
        with UnitOfWork(make_sessionmaker(engine)) as uow:
            yield uow.session
            uow.commit()
    except CaseworkError as exc:
        for error in exc.errors():
            path = ".".join(str(p) for p in error.loc) or None
            label = field_label(path, "vi")
            typer.echo(f"✗ {render(error.code, 'vi', label=label, params=error.params)}", err=True)
        raise typer.Exit(code=1) from None
    finally:
        engine.dispose()


def cli_audit(
    session: Session,
    change: str,
    subject: tuple[str, str],
    action: str = "account",
    **detail: object,
) -> None:
    """An audit entry for a change made from the command line (who: the OS user)."""
    import getpass

    from casework.audit import service as audit_service
    from casework.audit.models import AuditAction
    from casework.audit.service import Origin, Record

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    audit_service.append(
        session,
        None,
        Record(
            AuditAction(action),
            *subject,
            username=f"cli:{who}"[:64],
            detail={"change": change, **detail},
        ),
        origin=Origin(user_agent="casework-cli"),
        now=SystemClock().now(),
    )


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Mật khẩu / password", hide_input=True, confirmation_prompt=True)


@user_app.command("create")
def user_create(
    username: str = typer.Option(..., help="Tên đăng nhập, e.g. canbo.hoa"),
    name: str = typer.Option(..., "--name", help="Họ và tên"),
    role: Role = typer.Option(..., help="caseworker, agency_officer, … (see the README)"),
    commune: str = typer.Option(..., help="Commune code, e.g. CHAUSON-DEMO"),
    agency_id: int = typer.Option(None, help="Agency id (agency officers and heads)"),
    email: str = typer.Option(None),
    password_stdin: bool = typer.Option(False, help="Read the password from standard input"),
) -> None:
    """Create an account; the password is asked for (or read from stdin)."""
    from casework.accounts import service as account_service

    password = _password(password_stdin)
    with cli_session() as session:
        user = account_service.create_user(
            session,
            settings=get_settings(),
            commune_code=commune,
            username=username,
            full_name=name,
            role=role,
            password=password,
            now=SystemClock().now(),
            agency_id=agency_id,
            email=email,
        )
        cli_audit(session, "user_created", ("user", str(user.id)), role=role.value)
    typer.echo(f"✓ Created {user.username} ({role.value}).")


@user_app.command("disable")
def user_disable(username: str = typer.Argument(...)) -> None:
    """Disable an account: it cannot log in, its sessions end and its tokens are revoked."""
    from casework.accounts import service as account_service

    with cli_session() as session:
        user = account_service.require_user(session, username=username)
        revoked = account_service.disable(session, user=user, now=SystemClock().now())
        cli_audit(session, "user_disabled", ("user", str(user.id)), tokens_revoked=revoked)
    typer.echo(f"✓ {username} disabled; {revoked} token(s) revoked.")


@user_app.command("reset-password")
def user_reset_password(
    username: str = typer.Argument(...),
    password_stdin: bool = typer.Option(False, help="Read the password from standard input"),
) -> None:
    """Set a new password for someone who forgot theirs; their sessions end."""
    from casework.accounts import service as account_service

    password = _password(password_stdin)
    with cli_session() as session:
        user = account_service.require_user(session, username=username)
        account_service.set_password(
            session,
            settings=get_settings(),
            user=user,
            password=password,
            now=SystemClock().now(),
        )
        cli_audit(session, "password_reset", ("user", str(user.id)))
    typer.echo(f"✓ New password set for {username}; their sessions ended.")


def parse_expiry(value: str, *, now: datetime) -> datetime:
    """``90d``, ``12h`` or an ISO date/time (a date means its end, in UTC)."""
    match = re.fullmatch(r"(\d+)([dh])", value.strip())
    if match:
        amount, unit = int(match[1]), match[2]
        return now + (timedelta(days=amount) if unit == "d" else timedelta(hours=amount))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("use 90d, 12h or an ISO date such as 2027-06-30") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
        if len(value.strip()) == 10:
            moment += timedelta(days=1)
    return moment


@token_app.command("create")
def token_create(
    user: str = typer.Option(..., help="The account the token acts as"),
    scope: list[str] = typer.Option(..., help="Repeat for several, e.g. intake:write"),
    expires: str = typer.Option("90d", help="90d, 12h or an ISO date"),
    name: str = typer.Option("", help="What it is for, e.g. 'Tổng đài 111'"),
) -> None:
    """Create a token and print it once; only its hash is stored."""
    from casework.accounts import service as account_service
    from casework.accounts import tokens

    now = SystemClock().now()
    with cli_session() as session:
        account = account_service.require_user(session, username=user)
        token, raw = tokens.create(
            session,
            user=account,
            name=name or f"token of {account.username}",
            scopes=scope,
            expires_at=parse_expiry(expires, now=now),
            now=now,
        )
        cli_audit(
            session,
            "token_created",
            ("token", str(token.id)),
            scopes=token.scopes,
            user=account.username,
        )
    typer.echo(
        f"Token {token.id} for {account.username} ({token.scopes}), "
        f"expires {token.expires_at.isoformat()}. Shown once; keep it secret:"
    )
    typer.echo(raw)


@token_app.command("revoke")
def token_revoke(token_id: int = typer.Argument(...)) -> None:
    """Revoke a token at once."""
    from casework.accounts import tokens

    with cli_session() as session:
        tokens.revoke(session, token_id=token_id, now=SystemClock().now())
        cli_audit(session, "token_revoked", ("token", str(token_id)))
    typer.echo(f"✓ Token {token_id} revoked.")


@token_app.command("list")
def token_list(user: str = typer.Option(None, help="Only this account's")) -> None:
    """The tokens: id, owner, scopes, expiry, revoked, last used (never the token itself)."""
    from casework.accounts import service as account_service
    from casework.accounts import tokens

    with cli_session() as session:
        owner = account_service.require_user(session, username=user) if user else None
        for token, account in tokens.listed(session, user=owner):
            state = "revoked" if token.revoked_at else f"expires {token.expires_at:%Y-%m-%d}"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            typer.echo(
                f"{token.id}\t{token.prefix}…\t{account.username}\t{token.scopes}\t"
                f"{state}\tlast used {used}\t{token.name}"
            )


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the hash chain: any edited, inserted or deleted entry is reported (exit 1)."""
    from casework.audit import service as audit_service

    with cli_session() as session:
        result = audit_service.verify(session)
    for problem in result.problems:
        typer.echo(f"✗ {problem}", err=True)
    if not result.ok:
        raise typer.Exit(code=1)
    typer.echo(f"✓ {result.checked} entries, chain intact; head {result.head_hash}")


@keys_app.command("new")
def keys_new(
    key_id: str = typer.Argument(..., help="A short alphanumeric id, e.g. k2026b"),
) -> None:
    """Print a fresh data key as ``id:base64``, to put first in CASEWORK_DATA_KEYS."""
    from casework.keys import new_data_key

    if not key_id.isalnum():
        raise typer.BadParameter("the id must be letters and digits only")
    typer.echo(new_data_key(key_id))


@keys_app.command("reencrypt")
def keys_reencrypt() -> None:
    """Rewrite every narrative value not yet under the current (first) data key."""
    from sqlmodel import SQLModel

    import casework.models  # noqa: F401
    from casework import crypto

    with cli_session() as session:
        count = crypto.reencrypt(session.connection(), SQLModel.metadata)
    typer.echo(f"✓ {count} value(s) re-encrypted with key {crypto.keyring().current_id}.")


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.add_typer(audit_app, name="audit")
    app.add_typer(keys_app, name="keys")
