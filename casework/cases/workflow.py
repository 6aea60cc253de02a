"""Casework's side of the engine: the facts a case offers and the guards the definition names.

Facts are plain values computed from the case before an event; guards read them and return
``None`` or a reason code (``casework.messages`` words it for people).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from casework.accounts.models import Role
from casework.agencies.models import AgencyKind
from casework.authz.policy import Fact
from casework.cases.models import PLAN_ACTIVITY
from casework.intake.models import HarmForm, Setting
from workflows.definition import Definition, load_all
from workflows.engine import Engine, Facts, Guard

CLOSE_REASONS = ("resolved", "unsubstantiated", "transferred")


def _actor_is_supervisor(facts: Facts) -> str | None:
    return None if facts.get("actor_role") == Role.supervisor else "guard_supervisor_only"


def _no_active_separation(facts: Facts) -> str | None:
    return "guard_separation_active" if facts.get("separation_active") else None


def _separation_is_active(facts: Facts) -> str | None:
    return None if facts.get("separation_active") else "guard_no_separation"


def _plan_has_tasks(facts: Facts) -> str | None:
    return None if facts.get("plan_task_count", 0) > 0 else "guard_plan_without_tasks"


def _closure_is_justified(facts: Facts) -> str | None:
    reason = facts.get("close_reason")
    if reason == "resolved":
        return None if facts.get("review_stable") else "guard_close_needs_stable_review"
    if reason == "unsubstantiated":
        return None if facts.get("substantiated") is False else "guard_close_not_unsubstantiated"
    if reason is None and (facts.get("review_stable") or facts.get("substantiated") is False):
        return None  # asking what is allowed, before a reason is chosen
    return "guard_close_needs_stable_review"


def _no_alternative_care(facts: Facts) -> str | None:
    return "guard_alternative_care_active" if facts.get("alternative_care_active") else None


def _alternative_care_is_active(facts: Facts) -> str | None:
    return None if facts.get("alternative_care_active") else "guard_no_alternative_care"


def _emergency_measures_due(facts: Facts) -> str | None:
    return None if facts.get("emergency_measures_due") else "guard_no_emergency_measures_due"


GUARDS: dict[str, Guard] = {
    "emergency_measures_due": _emergency_measures_due,
    "no_alternative_care": _no_alternative_care,
    "alternative_care_is_active": _alternative_care_is_active,
    "actor_is_supervisor": _actor_is_supervisor,
    "no_active_separation": _no_active_separation,
    "separation_is_active": _separation_is_active,
    "plan_has_tasks": _plan_has_tasks,
    "closure_is_justified": _closure_is_justified,
}

# Facts the definition's `when`/`unless` may name (booleans computed by ``case_facts``).
FACTS = (
    "is_emergency",
    "unsubstantiated",
    "is_monitoring",
    "plan_to_draft",
    "enrolled",
    "harm_violence",
    "harm_exploitation",
    "harm_sexual_abuse",
    "harm_trafficking",
    "harm_abandonment",
    "harm_neglect",
    "harm_injury_drowning",
    "harm_child_marriage",
    "harm_online_abuse",
    "harm_dropout_risk",
    "harm_other",
    "setting_family",
    "setting_school",
    "setting_community",
    "setting_online",
    "setting_workplace",
    "setting_other",
    "perpetrator_caregiving",
    "under_6",
)

FOUND_ABANDONED = "harm_abandonment"


def harm_fact(form: str, setting: str) -> str:
    """The fact a form of harm named in a report gives the definition.

    The law's one form "bỏ rơi, bỏ mặc" (``abandonment_neglect``) is read by where it
    happened: outside the family the child was found abandoned (bỏ rơi; seed 001: received,
    cared for and registered at once, an emergency), within the family it is neglect (bỏ
    mặc: support for the family, the usual emergency rules).
    """
    if form == HarmForm.abandonment_neglect:
        return "harm_neglect" if setting == Setting.family else FOUND_ABANDONED
    return f"harm_{form}"


# Every form of harm in every setting must reach at least one agency
# (`casework workflow check`): each situation is the facts such a report gives.
ROUTED_SITUATIONS = tuple(
    (harm_fact(form, setting), f"setting_{setting}") for form in HarmForm for setting in Setting
)

# What the definition's `agency_facts` may name, and where its rows may point:
# ``workflows.check.check(..., **AGENCY_FACTS_KNOWN)``.
AGENCY_FACTS_KNOWN: dict[str, Collection[str]] = {
    "shown_facts": tuple(Fact),
    "agencies": tuple(AgencyKind),
    "other_task_kinds": (PLAN_ACTIVITY,),
}


def case_facts(
    *,
    state: str,
    is_emergency: bool,
    substantiated: bool | None,
    harm_facts: Iterable[str],
    settings: Iterable[str],
    perpetrator_caregiving: bool,
    school_name: str | None,
    birth_year: int,
    date_of_birth: date | None,
    today: date,
    separation_active: bool,
    alternative_care_active: bool,
    review_stable: bool | None,
    plan_task_count: int,
    actor_role: str | None,
    emergency_measures_due: bool = False,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The facts the guards and the definition's conditions read."""
    age_years = (
        today.year
        - date_of_birth.year
        - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
        if date_of_birth
        else today.year - birth_year
    )
    facts: dict[str, Any] = {
        "state": state,
        "is_emergency": is_emergency,
        "substantiated": substantiated,
        "unsubstantiated": substantiated is False,
        "is_monitoring": state == "monitoring",
        # The plan is still to be drawn up (emergency measures then start its clock).
        "plan_to_draft": state in ("emergency", "planning"),
        "emergency_measures_due": emergency_measures_due,
        "enrolled": bool(school_name),
        "perpetrator_caregiving": perpetrator_caregiving,
        "under_6": age_years < 6,
        "separation_active": separation_active,
        "alternative_care_active": alternative_care_active,
        "review_stable": review_stable,
        "plan_task_count": plan_task_count,
        "actor_role": actor_role,
    }
    for name in harm_facts:
        facts[name] = True
    for setting in settings:
        facts[f"setting_{setting}"] = True
    facts.update(extra or {})
    return facts


@lru_cache(maxsize=1)
def definitions() -> dict[tuple[str, int], Definition]:
    return load_all()


@lru_cache(maxsize=8)
def engine_for(name: str, version: int) -> Engine:
    """The compiled engine a case runs under (its own definition version)."""
    return Engine(definitions()[(name, version)], GUARDS)


def latest(name: str) -> Definition:
    """The newest version of a definition: what new cases start under."""
    return max((d for (n, _), d in definitions().items() if n == name), key=lambda d: d.version)
