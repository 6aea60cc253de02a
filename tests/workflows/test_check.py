"""`casework workflow check` finds what a commune could get wrong when editing a definition."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from casework.cases.workflow import AGENCY_FACTS_KNOWN, FACTS, GUARDS, ROUTED_SITUATIONS
from workflows.check import check, mermaid
from workflows.definition import DEFINITIONS_DIR, DefinitionError, load

SHIPPED = DEFINITIONS_DIR / "child_protection.yaml"


def edited(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    return check(
        load(path),
        guards=GUARDS,
        facts=FACTS,
        must_route=ROUTED_SITUATIONS,
        **AGENCY_FACTS_KNOWN,
    )


def test_shipped_definition_is_sound():
    assert problems(SHIPPED) == []


def test_unknown_state_is_named(tmp_path):
    path = edited(tmp_path, lambda raw: raw["transitions"][0].update({"to": "assesing"}))
    assert any("unknown state 'assesing'" in p for p in problems(path))


def test_unreachable_state_is_named(tmp_path):
    def drop_monitoring_entries(raw):
        raw["transitions"] = [t for t in raw["transitions"] if t.get("to") != "monitoring"]

    found = problems(edited(tmp_path, drop_monitoring_entries))
    assert "state 'monitoring' is unreachable from 'received'" in found


def test_guard_that_does_not_exist_is_named(tmp_path):
    path = edited(tmp_path, lambda raw: raw["transitions"][0].update({"guards": ["is_mayor"]}))
    assert any("guard 'is_mayor' does not exist" in p for p in problems(path))


def test_deadline_without_a_ladder_is_named(tmp_path):
    path = edited(tmp_path, lambda raw: raw["deadlines"]["plan_draft"].pop("ladder"))
    assert "deadline 'plan_draft' has no escalation ladder" in problems(path)


def test_unknown_fact_in_a_route_is_named(tmp_path):
    path = edited(tmp_path, lambda raw: raw["tasks"]["routes"][0].update({"when": ["harm_sexual"]}))
    assert any("unknown fact 'harm_sexual'" in p for p in problems(path))


def test_a_form_of_harm_without_a_route_is_named(tmp_path):
    def drop_trafficking(raw):
        routes = raw["tasks"]["routes"]
        raw["tasks"]["routes"] = [r for r in routes if "harm_trafficking" not in r["when"]]

    found = problems(edited(tmp_path, drop_trafficking))
    assert (
        "no task route for harm_trafficking + setting_online: such a report would open a "
        "case that reaches no agency" in found
    )
    assert len([p for p in found if "harm_trafficking" in p]) == 6  # in every setting


def test_the_command_refuses_a_definition_where_a_form_of_harm_reaches_no_agency(tmp_path):
    def drop_child_marriage(raw):
        routes = raw["tasks"]["routes"]
        raw["tasks"]["routes"] = [r for r in routes if "harm_child_marriage" not in r["when"]]

    casework = str(Path(sys.executable).with_name("casework"))
    path = edited(tmp_path, drop_child_marriage)
    result = subprocess.run(
        [casework, "workflow", "check", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "✗ no task route for harm_child_marriage + setting_family" in result.stderr
    shipped = subprocess.run(
        [casework, "workflow", "check", str(SHIPPED)], capture_output=True, text=True, check=False
    )
    assert shipped.returncode == 0, shipped.stderr


def test_a_route_narrowed_to_one_setting_names_the_settings_left_out(tmp_path):
    def violence_only_at_home(raw):
        routes = raw["tasks"]["routes"]
        raw["tasks"]["routes"] = [
            r
            for r in routes
            if r["when"] == ["harm_violence", "setting_family"] or "harm_violence" not in r["when"]
        ]

    found = problems(edited(tmp_path, violence_only_at_home))
    assert [p.split(":")[0] for p in found if "harm_violence" in p] == [
        f"no task route for harm_violence + setting_{setting}"
        for setting in ("school", "community", "online", "workplace", "other")
    ]


def test_malformed_file_says_where(tmp_path):
    path = edited(tmp_path, lambda raw: raw["deadlines"]["plan_draft"].update({"clock": "weeks"}))
    with pytest.raises(DefinitionError, match="clock"):
        load(path)


def test_diagram_is_mermaid_with_the_current_state_highlighted():
    text = mermaid(load(SHIPPED), current="planning")
    assert text.startswith("stateDiagram-v2")
    assert "planning --> awaiting_approval: submit_plan" in text
    assert "class planning current" in text


def test_a_proposed_date_outside_its_own_bounds_is_named(tmp_path):
    def widen(raw):
        raw["arming"]["approve_plan"]["arm"][0]["duration"] = 45

    assert problems(edited(tmp_path, widen)) == [
        "arming approve_plan (monitoring_visit): the proposed 45 days exceed within_days 30"
    ]


def test_a_routed_task_whose_agency_would_see_no_facts_is_named(tmp_path):
    def forget_police(raw):
        raw["agency_facts"]["by_task_kind"].pop("police.verify")
        raw["agency_facts"]["by_agency"].pop("police")

    found = problems(edited(tmp_path, forget_police))
    assert any("(police.verify): agency_facts says nothing" in p for p in found), found


def test_a_new_task_kind_is_covered_by_its_agency_s_row(tmp_path):
    def route_a_new_kind(raw):
        raw["tasks"]["routes"][0]["tasks"].append(
            {
                "agency": "police",
                "kind": "police.new_duty",
                "ack_hours": 2,
                "due_hours": 12,
                "title": "Một nhiệm vụ mới",
            }
        )

    assert problems(edited(tmp_path, route_a_new_kind)) == []


def test_an_unknown_fact_or_agency_in_agency_facts_is_named(tmp_path):
    def misspell(raw):
        raw["agency_facts"]["by_agency"]["police"].append("reporter")
        raw["agency_facts"]["by_agency"]["helth_station"] = ["place"]
        raw["agency_facts"]["by_task_kind"]["police.verfy"] = ["place"]

    found = problems(edited(tmp_path, misspell))
    assert any("by_agency 'police': unknown fact 'reporter'" in p for p in found), found
    assert "agency_facts: unknown agency 'helth_station'" in found
    assert "agency_facts: task kind 'police.verfy' is not routed anywhere" in found
