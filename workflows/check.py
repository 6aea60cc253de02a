"""``casework workflow check``: what a definition gets wrong, in words a commune can act on."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection

from workflows.definition import ArmRule, Definition
from workflows.engine import OPEN_EVENT, holds


def check(
    definition: Definition,
    *,
    guards: Collection[str],
    facts: Collection[str],
    must_route: Collection[Collection[str]] = (),
    shown_facts: Collection[str] | None = None,
    agencies: Collection[str] | None = None,
    other_task_kinds: Collection[str] = (),
) -> list[str]:
    """Every problem found; an empty list means the definition can run.

    ``must_route``: situations (the facts that hold in each, all others false) in which a
    new subject must get at least one task when it enters the initial state. The
    application names them (e.g. every form of harm in every setting), so a route a commune
    deletes or narrows cannot leave a report reaching no agency.

    ``shown_facts``: the names ``agency_facts`` may use (what of a case an agency can be
    shown); ``agencies``: the agency kinds there are; ``other_task_kinds``: kinds of tasks
    made other than by routing (a plan's activities). None skips that check of names.
    """
    problems: list[str] = []
    states = set(definition.states)

    def state_ref(where: str, name: str) -> None:
        if name not in states:
            problems.append(f"{where}: unknown state '{name}' (states: {', '.join(states)})")

    def fact_refs(where: str, names: Collection[str]) -> None:
        for name in names:
            if name not in facts:
                problems.append(
                    f"{where}: unknown fact '{name}' (known: {', '.join(sorted(facts))})"
                )

    state_ref("initial", definition.initial)
    for number, row in enumerate(definition.transitions, 1):
        where = f"transition {number} ({row.event})"
        for source in row.sources:
            state_ref(where, source)
        if row.dest is not None:
            state_ref(where, row.dest)
        fact_refs(where, row.when)
        for guard in row.guards:
            if guard not in guards:
                problems.append(
                    f"{where}: guard '{guard}' does not exist (known: {', '.join(sorted(guards))})"
                )

    reachable, queue = {definition.initial}, deque([definition.initial])
    while queue:
        state = queue.popleft()
        for row in definition.transitions:
            if state in row.sources and row.dest and row.dest not in reachable:
                reachable.add(row.dest)
                queue.append(row.dest)
    for state in definition.states:
        if state not in reachable:
            problems.append(f"state '{state}' is unreachable from '{definition.initial}'")

    events = set(definition.events) | {OPEN_EVENT} | set(definition.signals)
    for kind, deadline in definition.deadlines.items():
        if deadline.ladder is None:
            problems.append(f"deadline '{kind}' has no escalation ladder")
        elif deadline.ladder not in definition.ladders:
            problems.append(f"deadline '{kind}': ladder '{deadline.ladder}' does not exist")
        for event in deadline.met_by:
            if event not in events:
                problems.append(f"deadline '{kind}': met_by unknown event '{event}'")
    for event, effects in definition.arming.items():
        if event not in events:
            problems.append(f"arming: unknown event '{event}'")
        for rule in (*effects.arm, *effects.cancel):
            if rule.deadline not in definition.deadlines:
                problems.append(f"arming {event}: unknown deadline '{rule.deadline}'")
            fact_refs(f"arming {event}", (*rule.when, *rule.unless))
        if effects.route is not None:
            state_ref(f"arming {event}: route", effects.route.tasks_of)
        for rule in effects.arm:
            problems += _chosen_due_problems(event, rule, definition)
    task_rules = definition.tasks
    if task_rules is None:  # a process without agency tasks (a register review)
        return problems + _agency_facts(definition, shown_facts, agencies, other_task_kinds)
    for ladder in (
        task_rules.acknowledge_ladder,
        task_rules.due_ladder,
        task_rules.emergency_ladder,
    ):
        if ladder not in definition.ladders:
            problems.append(f"tasks: ladder '{ladder}' does not exist")
    for number, route in enumerate(task_rules.routes, 1):
        state_ref(f"task route {number}", route.on_enter)
        fact_refs(f"task route {number}", (*route.when, *route.unless))
        for spec in route.tasks:
            fact_refs(f"task route {number} ({spec.kind})", (*spec.when, *spec.unless))
    for situation in must_route:
        holding = dict.fromkeys(situation, True)
        if not any(
            route.on_enter == definition.initial
            and holds(route, holding)
            and any(holds(spec, holding) for spec in route.tasks)
            for route in task_rules.routes
        ):
            problems.append(
                f"no task route for {' + '.join(sorted(situation))}: such a report would "
                "open a case that reaches no agency"
            )
    problems += _agency_facts(definition, shown_facts, agencies, other_task_kinds)
    return problems


def _agency_facts(
    definition: Definition,
    shown_facts: Collection[str] | None,
    agencies: Collection[str] | None,
    other_task_kinds: Collection[str],
) -> list[str]:
    """Every routed task has the facts its agency sees (its kind's or its agency's row), and
    every name there is one the application knows."""
    problems: list[str] = []
    section = definition.agency_facts
    routed = [
        (f"task route {number} ({spec.kind})", spec.kind, spec.agency)
        for number, route in enumerate(definition.tasks.routes if definition.tasks else (), 1)
        for spec in route.tasks
    ] + [
        (f"deadline '{kind}' on_due_task", spec.on_due_task.kind, spec.on_due_task.agency)
        for kind, spec in definition.deadlines.items()
        if spec.on_due_task is not None
    ]
    for where, kind, agency in routed:
        if not section.covers(kind=kind, agency=agency):
            problems.append(
                f"{where}: agency_facts says nothing for task kind '{kind}' nor for agency "
                f"'{agency}' (add it under by_task_kind or by_agency)"
            )
    kinds = {kind for _, kind, _ in routed} | set(other_task_kinds)
    for kind in section.by_task_kind:
        if kind not in kinds:
            problems.append(f"agency_facts: task kind '{kind}' is not routed anywhere")
    if agencies is not None:
        for agency in section.by_agency:
            if agency not in agencies:
                problems.append(f"agency_facts: unknown agency '{agency}'")
    if shown_facts is not None:
        rows = [("by_task_kind", k, v) for k, v in section.by_task_kind.items()] + [
            ("by_agency", k, v) for k, v in section.by_agency.items()
        ]
        for part, key, names in rows:
            for name in names:
                if name not in shown_facts:
                    problems.append(
                        f"agency_facts {part} '{key}': unknown fact '{name}' "
                        f"(known: {', '.join(sorted(shown_facts))})"
                    )
    return problems


def _chosen_due_problems(event: str, rule: ArmRule, definition: Definition) -> list[str]:
    """A date chosen on the form needs bounds that admit the date proposed."""
    where = f"arming {event} ({rule.deadline})"
    if rule.due is None:
        return [f"{where}: within_days needs due"] if rule.within_days else []
    spec = definition.deadlines.get(rule.deadline)
    if spec is None or rule.within_days is None or spec.clock != "days":
        return []
    proposed = rule.duration or spec.duration
    if proposed > rule.within_days:
        return [f"{where}: the proposed {proposed} days exceed within_days {rule.within_days}"]
    return []


def mermaid(definition: Definition, *, current: str | None = None) -> str:
    """The state diagram in Mermaid, with the current state highlighted if given."""
    lines = ["stateDiagram-v2", "  direction LR"]
    for name, spec in definition.states.items():
        lines.append(f'  state "{spec.vi}" as {name}')
    lines.append(f"  [*] --> {definition.initial}")
    seen = set()
    for row in definition.transitions:
        for source in row.sources:
            edge = (source, row.dest or source, row.event)
            if edge not in seen:
                seen.add(edge)
                lines.append(f"  {source} --> {row.dest or source}: {row.event}")
    for name, spec in definition.states.items():
        if spec.final:
            lines.append(f"  {name} --> [*]")
    if current:
        lines += [
            "  classDef current fill:#ffdd00,stroke:#0b0c0c,stroke-width:3px",
            f"  class {current} current",
        ]
    return "\n".join(lines)
