"""Bulk writing: rows reserved and written around the ORM read back as the ORM wrote them,
and the garbage collector paused for a bulk phase always comes back."""

from __future__ import annotations

import gc

import pytest
from sqlmodel import select

from casework import bulk
from casework.communes.models import Village
from casework.db import UnitOfWork


def test_the_collector_runs_again_when_the_last_bulk_phase_ends():
    assert gc.isenabled()
    with bulk.collector_paused():
        with bulk.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the outer phase still runs"
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_phase_fails():
    with pytest.raises(RuntimeError), bulk.collector_paused():
        raise RuntimeError("the import failed")
    assert gc.isenabled()


def test_reserved_ids_are_the_rows_ids_and_the_next_insert_goes_past_them(session_factory, world):
    commune_id = world.own.commune.id
    with UnitOfWork(session_factory) as uow:
        ids = bulk.reserve_ids(uow.session, Village.__table__, 2)
        rows = [
            {"id": ids[0], "commune_id": commune_id, "name": "Thôn Mới Một", "name_key": "1"},
            {"id": ids[1], "commune_id": commune_id, "name": "Thôn Mới Hai", "name_key": "2"},
        ]
        bulk.insert_rows(uow.session, Village.__table__, rows)
        uow.session.add(later := Village(commune_id=commune_id, name="Thôn Mới Ba", name_key="3"))
        uow.session.flush()
        uow.commit()
    assert later.id is not None
    assert later.id > max(ids)
    with session_factory() as session:
        found = session.exec(select(Village.id, Village.name).where(Village.id.in_(ids))).all()
    assert sorted(found) == [(ids[0], "Thôn Mới Một"), (ids[1], "Thôn Mới Hai")]
