"""The test harness: every database test runs on SQLite and on PostgreSQL.

Each backend gets a throwaway database built by the real Alembic migrations, once per
run. Each test runs inside a transaction that is rolled back at the end; the code under
test may commit freely (its commits release savepoints only).

Tests act as a person of the commune with an API token of theirs (``act_as(username)``
for the whole client, ``headers_for(username)`` for one request); the browser-session
tests log in through the real login form. Passwords are hashed with a cheap argon2id
cost here (``TEST_SETTINGS``) so the suite stays fast.

PostgreSQL comes from ``CASEWORK_TEST_POSTGRES_URL`` (default: the local server, database
``test``). The suite creates its own database next to it so runs never interfere. On CI
(``CI`` set) an unreachable server fails the run; on a developer's machine the
PostgreSQL half skips with the reason shown.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel, select

from casework import crypto
from casework.accounts import tokens
from casework.accounts.models import User
from casework.app import create_app
from casework.audit.models import GENESIS, AuditHead
from casework.clock import FixedClock
from casework.config import Settings
from casework.db import make_engine, make_sessionmaker
from casework.keys import load_keys
from casework.migrate import upgrade
from tests.factories.owner import audit_log_unlocked

# Shared fixtures: "world" (two communes, every role, cases with tasks) and "browser_for".
pytest_plugins = ["tests.factories.world"]

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")
TEST_PASSWORD = "mat-khau-thu-nghiem"
TEST_KEYS = {
    "secret_key": "test-secret-key-that-is-long-enough-for-signing",
    # two keys: "t2" encrypts, "t1" is an older one still listed for reading
    "data_keys": "t2:" + "A" * 43 + "=,t1:" + "B" * 43 + "=",
}


def make_test_settings(**overrides: object) -> Settings:
    """Settings for the suite: fixed keys, a cheap argon2id cost, no ticker in the app (its
    timers or relay would share the test's connection)."""
    values: dict[str, object] = {
        "timers_in_serve": False,
        "outbox_in_serve": False,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8,
        "argon2_parallelism": 1,
        "sms_console_file": "",  # console SMS print only, never into the developer's var/
        **TEST_KEYS,
        **overrides,
    }
    return Settings(_env_file=None, **values)


def postgres_admin_url() -> str:
    return os.environ.get("CASEWORK_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _postgres_reachable(url: str) -> str | None:
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as exc:
        return str(exc.orig).strip().splitlines()[0]
    finally:
        engine.dispose()


class ThrowawayDatabases:
    """Creates one migrated database per backend on first use and drops it at the end."""

    def __init__(self, tmp_dir: Path) -> None:
        self._tmp_dir = tmp_dir
        self._engines: dict[str, Engine] = {}
        self._cleanup: list[tuple[str, str]] = []
        self.settings = make_test_settings()
        crypto.install(load_keys(self.settings))

    def url_for(self, backend: str, *, name: str = "casework-test") -> str:
        """A new empty database (SQLite file ``name`` or a fresh PostgreSQL database)."""
        if backend == "sqlite":
            return f"sqlite:///{self._tmp_dir / f'{name}.db'}"
        admin_url = postgres_admin_url()
        problem = _postgres_reachable(admin_url)
        if problem:
            message = f"PostgreSQL at {admin_url} is unreachable: {problem}"
            if os.environ.get("CI"):
                pytest.fail(message + " (CI requires it)", pytrace=False)
            pytest.skip(message)
        name = f"casework_test_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        self._cleanup.append((admin_url, name))
        return make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def engine(self, backend: str) -> Engine:
        if backend not in self._engines:
            url = self.url_for(backend)
            engine = make_engine(self.settings, url=url)
            upgrade(url=url)
            self._engines[backend] = engine
        return self._engines[backend]

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        for admin_url, name in self._cleanup:
            admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayDatabases]:
    dbs = ThrowawayDatabases(tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def engine(databases: ThrowawayDatabases, backend: str) -> Engine:
    return databases.engine(backend)


@pytest.fixture
def connection(engine: Engine) -> Iterator[sa.Connection]:
    """A connection inside an outer transaction that the test never gets to commit."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session_factory(connection: sa.Connection):  # type: ignore[no-untyped-def]
    return make_sessionmaker(connection, join_transaction_mode="create_savepoint")


@pytest.fixture
def session(session_factory) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with session_factory() as s:
        yield s


@pytest.fixture
def now() -> datetime:
    """Monday 2 March 2026, 09:00 in Hà Nội (02:00 UTC): an ordinary working morning."""
    return datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def clock(now: datetime) -> FixedClock:
    return FixedClock(now)


@pytest.fixture
def client(
    session_factory, clock: FixedClock, databases: ThrowawayDatabases
) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    app = create_app(databases.settings, session_factory=session_factory, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def headers_for(session: Session, clock: FixedClock) -> Callable[[str], dict[str, str]]:
    """``headers_for("td.caseworker")``: an Authorization header acting as that person
    (a token with every scope, so their role alone decides what they may do)."""
    made: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in made:
            user = session.exec(select(User).where(User.username == username)).one()
            _, raw = tokens.create(
                session,
                user=user,
                name="test",
                scopes=list(tokens.SCOPES),
                expires_at=clock.now() + timedelta(days=3650),
                now=clock.now(),
            )
            session.commit()
            made[username] = {"Authorization": f"Bearer {raw}"}
        return made[username]

    return headers


@pytest.fixture
def act_as(client: TestClient, headers_for: Callable[[str], dict[str, str]]):  # type: ignore[no-untyped-def]
    """``act_as("td.caseworker")``: every later request of ``client`` acts as that person."""

    def act(username: str) -> None:
        client.headers.update(headers_for(username))

    return act


@pytest.fixture
def live_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions that really commit, for tests of concurrent transactions; rows wiped after."""
    yield make_sessionmaker(engine)
    with engine.begin() as conn, audit_log_unlocked(conn):
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
        # the audit chain's head is schema, not data: the migration made it
        conn.execute(AuditHead.__table__.insert().values(id=1, last_seq=0, last_hash=GENESIS))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests run last: Playwright's sync API keeps an event loop running in
    this thread until the session ends, and tests after it could not start their own
    (``asyncio.run``), as the e-mail and SMS channel tests do."""
    items.sort(key=lambda item: Path(item.path).parent.name == "e2e")
