"""A new version of the definition applies to new cases; open cases keep theirs."""

from __future__ import annotations

import pytest

from casework.cases import workflow
from tests.factories.events import mau_02


@pytest.fixture
def publish_version_2(monkeypatch):
    """A commune shortens the plan clock to 3 working days in version 2."""
    shipped = workflow.definitions()
    v1 = shipped[("child_protection", 1)]
    plan = v1.deadlines["plan_draft"].model_copy(update={"duration": 3})
    v2 = v1.model_copy(update={"version": 2, "deadlines": {**v1.deadlines, "plan_draft": plan}})

    def publish():
        monkeypatch.setattr(
            workflow, "definitions", lambda: {**shipped, ("child_protection", 2): v2}
        )

    yield publish
    workflow.engine_for.cache_clear()


def plan_due(case):
    return next(d["due_at"] for d in case["deadlines"] if d["kind"] == "plan_draft")


def test_new_version_applies_to_new_cases_and_open_cases_keep_theirs(story, publish_version_2):
    old = story.intake(**{"child.full_name": "Trẻ thứ nhất"})
    publish_version_2()
    new = story.intake(**{"child.full_name": "Trẻ thứ hai"})

    assert story.case(new)["workflow"] == {"name": "child_protection", "version": 2}
    assert plan_due(story.case(new)) == "2026-03-05T23:59:59+07:00"  # 3 working days
    assert story.case(old)["workflow"] == {"name": "child_protection", "version": 1}
    assert plan_due(story.case(old)) == "2026-03-09T23:59:59+07:00"  # still 5
    # The old case keeps running under version 1.
    story.fire(old, "start_assessment")
    story.fire(
        old, "complete_assessment", **mau_02(risk_level="low", emergency=False, substantiated=True)
    )
    assert story.case(old)["status"] == "planning"
