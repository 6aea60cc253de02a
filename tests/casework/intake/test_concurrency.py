"""Concurrent intakes, on real committed transactions: no second case, no lost report."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from casework.cases.models import ProtectionCase
from casework.db import UnitOfWork, run_in_transaction
from casework.intake import service as intake_service
from casework.intake.models import Report
from casework.intake.schemas import IntakeCreate
from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
THREADS = 4


def _submit_together(live_factory, now, payloads, keys):
    barrier = threading.Barrier(len(payloads))

    def submit(args):
        payload, key = args
        data = IntakeCreate.model_validate(payload)
        barrier.wait()
        return run_in_transaction(
            live_factory,
            lambda s: intake_service.submit(s, data=data, idempotency_key=key, now=now, tz=TZ),
        )

    with ThreadPoolExecutor(len(payloads)) as pool:
        return list(pool.map(submit, zip(payloads, keys, strict=True)))


@pytest.fixture
def child_id(live_factory, now):
    with UnitOfWork(live_factory) as uow:
        create_commune(uow.session, now=now)
        uow.commit()
    first = _submit_together(live_factory, now, [intake_payload()], [None])[0]
    with UnitOfWork(live_factory) as uow:  # close that case so the next intakes must open one
        uow.session.execute(sa.update(ProtectionCase).values(status="closed"))
        uow.commit()
    return first.body["child_id"]


def _count(live_factory, table, *where):
    with live_factory() as session:
        statement = sa.select(sa.func.count()).select_from(table).where(*where)
        return session.execute(statement).scalar_one()


def test_simultaneous_reports_about_one_child_open_one_case(live_factory, now, child_id):
    payload = intake_payload(child=None, child_id=child_id)
    results = _submit_together(live_factory, now, [payload] * THREADS, [None] * THREADS)
    assert len({r.body["case_code"] for r in results}) == 1
    assert sorted(r.body["case_opened"] for r in results) == [False] * (THREADS - 1) + [True]
    open_cases = _count(live_factory, ProtectionCase, ProtectionCase.status != "closed")
    assert open_cases == 1
    assert _count(live_factory, Report) == THREADS + 1


def test_simultaneous_retries_with_one_key_make_one_report(live_factory, now, child_id):
    payload = intake_payload(child=None, child_id=child_id)
    results = _submit_together(live_factory, now, [payload] * THREADS, ["same-key"] * THREADS)
    assert len({r.body["report_id"] for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    assert _count(live_factory, Report) == 2


def test_concurrent_edit_of_a_case_is_detected_not_overwritten(live_factory, now, child_id):
    # Two people open the same case; each edit is saved in its own later transaction.
    with live_factory() as session:
        case_id = session.execute(sa.select(ProtectionCase.id)).scalar_one()
    mine_session, theirs_session = live_factory(), live_factory()
    mine = mine_session.get(ProtectionCase, case_id)
    theirs = theirs_session.get(ProtectionCase, case_id)
    mine_session.commit()
    theirs_session.commit()  # both now hold version 1 in memory, no transaction open

    mine.risk_level = "high"
    mine_session.commit()
    theirs.risk_level = "low"
    with pytest.raises(StaleDataError):
        theirs_session.commit()
    theirs_session.rollback()
    mine_session.close()
    theirs_session.close()

    with live_factory() as check:
        stored = check.get(ProtectionCase, case_id)
        assert stored.risk_level == "high"
        assert stored.version == 2
