"""Every message the shipped workflow can send has its words, in both languages."""

from __future__ import annotations

import pytest

from casework.cases import workflow
from casework.messaging import words
from casework.web.templating import TEMPLATE_DIR


def _ladder_kinds() -> set[str]:
    return {
        f"deadline.{step.step}"
        for definition in workflow.definitions().values()
        for ladder in definition.ladders.values()
        for step in ladder
        if step.notify
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_ladder_step_that_notifies_has_its_template(language):
    missing = [
        kind
        for kind in sorted(_ladder_kinds() | set(words.SMS_KINDS))
        if not (TEMPLATE_DIR / "notifications" / language / f"{kind}.txt").exists()
    ]
    assert missing == []


def test_the_escalation_step_tells_the_supervisor_once_through_the_queue():
    escalating = [
        step
        for definition in workflow.definitions().values()
        for ladder in definition.ladders.values()
        for step in ladder
        if step.escalate
    ]
    assert escalating
    assert [step for step in escalating if "supervisor" in step.notify] == []
