"""The migrations are the schema: from empty they build exactly what the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import casework.models  # noqa: F401


def test_migrations_from_empty_match_the_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "compare_server_default": True, "render_as_batch": True},
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_partial_unique_index_allows_one_open_case_per_child(engine):
    import sqlalchemy as sa

    indexes = {ix["name"]: ix for ix in sa.inspect(engine).get_indexes("protection_case")}
    assert indexes["uq_protection_case_one_open_per_child"]["unique"]
