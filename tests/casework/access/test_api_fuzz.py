"""Schemathesis against the API's own OpenAPI, on PostgreSQL: whatever an integrator sends
(inside the schema or not: huge numbers, NUL characters, dates in year 1, wrong types),
the answer is never a server error.

Every operation is called as a real person with an API token whose role may do it, and
input that fits the schema names that person's real case, task and escalation, so the
generated input reaches the handlers and the database, not just the gate's 401 or a 404.
PostgreSQL is the stricter of the two databases (integer ranges, NUL in text), so this
runs there only; the examples per operation are bounded to keep the suite quick.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from casework.agencies.models import AgencyKind
from casework.app import create_app
from tests.conftest import make_test_settings

EXAMPLES = 30

# Who may call each part of the API (everyone else is refused before the handler runs).
CALLER_BY_PREFIX = (
    ("/api/v1/audit", "td.auditor"),
    ("/api/v1/tasks", "td.police.officer"),
    ("/api/v1/stats", "td.province_viewer"),
    ("/api/v1", "td.supervisor"),
)


@pytest.fixture
def backend() -> str:
    return "postgresql"


# Built at import, as Schemathesis wants its schema; each test points the app at its own
# database transaction and clock (``app.state``, which every request reads).
APP = create_app(make_test_settings(database_url="sqlite://"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.generation.update(max_examples=EXAMPLES)


@pytest.fixture
def app_on_test_database(session_factory, clock, world):  # type: ignore[no-untyped-def]
    APP.state.session_factory, APP.state.clock = session_factory, clock
    return APP


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_the_api_fail(case, app_on_test_database, world, headers_for) -> None:  # type: ignore[no-untyped-def]
    if case.meta is not None and case.meta.generation.mode.is_positive:
        # Input that fits the schema names real records, so the handlers act on them; the
        # negative half keeps the generated ids (out of range, not numbers, …).
        real = {
            "task_id": world.own.tasks[AgencyKind.police].id,
            "escalation_id": world.own.escalation.id,
            "code": world.own.case.code,
        }
        case.path_parameters.update((k, real[k]) for k in case.path_parameters if k in real)
    caller = next(user for prefix, user in CALLER_BY_PREFIX if case.path.startswith(prefix))
    case.call_and_validate(headers=headers_for(caller), checks=[not_a_server_error])
