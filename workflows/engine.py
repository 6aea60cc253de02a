"""The pure engine: a definition compiled into one shared ``transitions`` machine.

``fire`` takes the current state and the facts about the subject (plain values the
service computed: ``is_emergency``, ``plan_task_count``, the actor's role …) and returns a
``Step``: the destination and the effects to persist. It never touches a session, the
network or the clock; ``now`` and the calendar come in as arguments. Guards are named
functions supplied by the application; each returns ``None`` (pass) or a reason code the
UI can show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from dateutil.relativedelta import relativedelta
from transitions import Machine

from workflows.calendar import END_OF_DAY, WorkingCalendar
from workflows.definition import ArmRule, Conditional, DeadlineSpec, Definition, TaskSpec
from workflows.effects import (
    ActivatePlannedTasks,
    ArmDeadline,
    CancelDeadline,
    CreateTask,
    Effect,
    MeetDeadline,
    Step,
)

Facts = Mapping[str, Any]
Guard = Callable[[Facts], str | None]
OPEN_EVENT = "receive"


class TransitionNotAllowed(Exception):
    """The event cannot happen now: the state does not allow it or a guard said no."""

    def __init__(self, event: str, state: str, reasons: list[str], allowed: list[str]) -> None:
        super().__init__(f"{event} not allowed from {state}: {', '.join(reasons) or 'state'}")
        self.event = event
        self.state = state
        self.reasons = reasons
        self.allowed = allowed


class ChosenDueOutOfRange(ValueError):
    """A date chosen for a clock (``due: payload.<field>``) falls outside what the
    definition allows: before the event's day, or more than ``within_days`` after it."""

    def __init__(self, field: str, earliest: date, latest: date | None) -> None:
        super().__init__(f"{field} must be between {earliest} and {latest or 'any later day'}")
        self.field = field
        self.earliest = earliest
        self.latest = latest


@dataclass(frozen=True)
class DueChoice:
    """A clock whose due date the event's form asks for: the payload field, the date
    proposed (the rule's duration from now) and the latest date allowed."""

    field: str
    deadline: str
    proposed: date
    earliest: date
    latest: date | None


@dataclass(frozen=True)
class Context:
    """Everything the engine may read: facts, the event's time and payload, the calendar."""

    facts: Facts
    now: datetime
    calendar: WorkingCalendar
    first_received_at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    # Per deadline kind already armed on the subject: how many times, and the last due time
    # (recurring clocks count from there).
    history: Mapping[str, tuple[int, datetime]] = field(default_factory=dict)
    # Kinds of task the subject already has open: a route does not give them again.
    open_tasks: frozenset[str] = frozenset()


@dataclass(frozen=True)
class EventOption:
    event: str
    allowed: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LadderTime:
    step: str
    fires_at: datetime


class _Holder:
    """What the machine moves: a state and the effects its callbacks collect."""

    def __init__(self, state: str) -> None:
        self.state = state
        self.effects: list[Effect] = []


def holds(rule: Conditional, facts: Facts) -> bool:
    return all(facts.get(name) for name in rule.when) and not any(
        facts.get(name) for name in rule.unless
    )


class Engine:
    """One compiled definition; build once per definition and share across threads."""

    def __init__(self, definition: Definition, guards: Mapping[str, Guard]) -> None:
        self.definition = definition
        self.guards = guards

    @cached_property
    def machine(self) -> Machine:
        machine = Machine(
            model=None,
            states=list(self.definition.states),
            initial=self.definition.initial,
            auto_transitions=False,
            send_event=True,
            model_attribute="state",
        )
        for spec in self.definition.transitions:
            when = spec.when
            machine.add_transition(
                spec.event,
                list(spec.sources),
                spec.dest,
                conditions=[lambda e, when=when: all(e.kwargs["ctx"].facts.get(f) for f in when)],
            )
        return machine

    # -- what an event needs to know ---------------------------------------------------

    @cached_property
    def _calendar_events(self) -> frozenset[str]:
        """Events (and signals) whose effects may count working days."""
        d = self.definition
        found = {
            event
            for event, rules in d.arming.items()
            if any(d.deadlines[rule.deadline].clock == "working_days" for rule in rules.arm)
        }
        states = {
            route.on_enter
            for route in (d.tasks.routes if d.tasks else ())
            if any(task.due_working_days is not None for task in route.tasks)
        }
        found |= {t.event for t in d.transitions if t.dest in states}
        found |= {
            event
            for event, rules in d.arming.items()
            if rules.route is not None and rules.route.tasks_of in states
        }
        if d.initial in states:
            found.add(OPEN_EVENT)
        return frozenset(found)

    @cached_property
    def _history_events(self) -> frozenset[str]:
        """Events (and signals) that arm a recurring clock, which counts from the last one."""
        d = self.definition
        return frozenset(
            event
            for event, rules in d.arming.items()
            if any(d.deadlines[rule.deadline].schedule for rule in rules.arm)
        )

    def needs_calendar(self, event: str) -> bool:
        """Whether firing ``event`` may count working days (else the commune's days off
        need not be read)."""
        return event in self._calendar_events

    def needs_history(self, event: str) -> bool:
        """Whether firing ``event`` needs to know which clocks the subject had before."""
        return event in self._history_events

    # -- what may happen ---------------------------------------------------------------

    def _guard_reasons(self, event: str, state: str, facts: Facts) -> list[str] | None:
        """None if the state has no such event; else the reasons its guards refuse."""
        rows = [t for t in self.definition.transitions if t.event == event and state in t.sources]
        if not rows:
            return None
        guards = dict.fromkeys(g for row in rows for g in row.guards)
        return [reason for name in guards if (reason := self.guards[name](facts)) is not None]

    def options(self, state: str, facts: Facts) -> list[EventOption]:
        """Every event the state offers, and whether the guards allow it now (with reasons)."""
        found = []
        for event in self.definition.events:
            reasons = self._guard_reasons(event, state, facts)
            if reasons is not None:
                found.append(EventOption(event, not reasons, tuple(reasons)))
        return found

    # -- firing ------------------------------------------------------------------------

    def open(self, ctx: Context) -> Step:
        """The subject is created in the initial state (the ``receive`` event)."""
        initial = self.definition.initial
        effects = self._event_effects(OPEN_EVENT, ctx) + self._enter_effects(initial, ctx)
        return Step(OPEN_EVENT, None, initial, tuple(effects))

    def react(self, signal: str, state: str, ctx: Context) -> Step:
        """A declared signal (not a transition) happened: only its arming rules apply."""
        if signal not in self.definition.signals:
            raise ValueError(f"{signal!r} is not a signal of {self.definition.name}")
        return Step(signal, state, state, tuple(self._event_effects(signal, ctx)))

    def fire(self, state: str, event: str, ctx: Context) -> Step:
        """Apply ``event`` to a subject in ``state``; raise if the state or a guard forbids it."""
        reasons = self._guard_reasons(event, state, ctx.facts)
        if reasons is None or reasons:
            allowed = [o.event for o in self.options(state, ctx.facts) if o.allowed]
            raise TransitionNotAllowed(event, state, reasons or [], allowed)
        holder = _Holder(state)
        self.machine.events[event].trigger(holder, ctx=ctx)
        dest = holder.state
        effects = [MeetDeadline(kind) for kind, spec in self._deadlines() if event in spec.met_by]
        effects += self._event_effects(event, ctx)
        if dest != state:
            effects += self._enter_effects(dest, ctx)
            if self.definition.states[dest].final:
                effects += [CancelDeadline(kind) for kind, _ in self._deadlines()]
        return Step(event, state, dest, tuple(effects))

    # -- effects -----------------------------------------------------------------------

    def _deadlines(self) -> list[tuple[str, DeadlineSpec]]:
        return self._deadline_items

    @cached_property
    def _deadline_items(self) -> list[tuple[str, DeadlineSpec]]:
        return list(self.definition.deadlines.items())

    def _event_effects(self, event: str, ctx: Context) -> list[Effect]:
        rules = self.definition.arming.get(event)
        if rules is None:
            return []
        effects: list[Effect] = [
            CancelDeadline(rule.deadline) for rule in rules.cancel if holds(rule, ctx.facts)
        ]
        if rules.activate_planned_tasks:
            effects.append(ActivatePlannedTasks())
        if rules.route is not None:
            effects += self._enter_effects(rules.route.tasks_of, ctx, start=rules.route.start)
        for rule in rules.arm:
            if holds(rule, ctx.facts):
                spec = self.definition.deadlines[rule.deadline]
                count, last_due = ctx.history.get(rule.deadline, (0, None))
                duration = spec.duration
                if spec.schedule and count and last_due is not None:
                    # The next occurrence of a recurring clock counts from the last one.
                    starts_at = last_due
                    duration = spec.schedule[min(count, len(spec.schedule) - 1)]
                else:
                    starts_at = self._start(rule.start or spec.start, ctx)
                    duration = spec.schedule[0] if spec.schedule else rule.duration or spec.duration
                due_at = self._chosen_due(rule, ctx) or self.due(
                    spec.clock, duration, starts_at, ctx.calendar
                )
                effects.append(ArmDeadline(rule.deadline, starts_at, due_at, spec.ladder))
        return effects

    @staticmethod
    def _bounds(
        rule: ArmRule, now: datetime, calendar: WorkingCalendar
    ) -> tuple[date, date | None]:
        today = now.astimezone(calendar.tz).date()
        latest = today + timedelta(days=rule.within_days) if rule.within_days else None
        return today, latest

    def _chosen_due(self, rule: ArmRule, ctx: Context) -> datetime | None:
        """The end of the day the person chose for the clock, if the rule lets them choose
        and they did; a day out of bounds is refused, naming the field."""
        field_name = rule.chosen_field
        chosen = ctx.payload.get(field_name) if field_name else None
        if field_name is None or not isinstance(chosen, date):
            return None
        if isinstance(chosen, datetime):
            chosen = chosen.astimezone(ctx.calendar.tz).date()
        earliest, latest = self._bounds(rule, ctx.now, ctx.calendar)
        if chosen < earliest or (latest is not None and chosen > latest):
            raise ChosenDueOutOfRange(field_name, earliest, latest)
        return datetime.combine(chosen, END_OF_DAY, tzinfo=ctx.calendar.tz)

    def due_choices(self, event: str, now: datetime, calendar: WorkingCalendar) -> list[DueChoice]:
        """The clocks ``event`` arms on a date its form asks for, with the date to propose
        and the bounds (the form shows them; firing enforces them)."""
        rules = self.definition.arming.get(event)
        found = []
        for rule in rules.arm if rules else ():
            if rule.chosen_field is None:
                continue
            spec = self.definition.deadlines[rule.deadline]
            duration = rule.duration or (spec.schedule[0] if spec.schedule else spec.duration)
            proposed = self.due(spec.clock, duration, now, calendar).astimezone(calendar.tz)
            earliest, latest = self._bounds(rule, now, calendar)
            found.append(
                DueChoice(rule.chosen_field, rule.deadline, proposed.date(), earliest, latest)
            )
        return found

    def _enter_effects(self, state: str, ctx: Context, start: str | None = None) -> list[Effect]:
        """The tasks the routes give on entering ``state``: one per kind (the first route
        naming it wins), none of a kind the subject already has open."""
        effects: list[Effect] = []
        given = set(ctx.open_tasks)
        rules = self.definition.tasks
        for route in rules.routes if rules else ():
            if route.on_enter != state or not holds(route, ctx.facts):
                continue
            for spec in route.tasks:
                if spec.kind not in given and holds(spec, ctx.facts):
                    given.add(spec.kind)
                    effects.append(self._task(spec, ctx, start))
        return effects

    def _task(self, spec: TaskSpec, ctx: Context, start: str | None) -> CreateTask:
        """A routed task; its clocks start where the definition says (by default when the
        case enters the state; the shipped workflow: at the first receipt)."""
        assert self.definition.tasks is not None
        starts_at = self._start(start or self.definition.tasks.start, ctx)
        if spec.due_hours is not None:
            clock, due_at = "hours", starts_at + timedelta(hours=spec.due_hours)
        else:
            assert spec.due_working_days is not None
            clock = "working_days"
            due_at = ctx.calendar.add_working_days(starts_at, spec.due_working_days)
        return CreateTask(
            agency=spec.agency,
            kind=spec.kind,
            title=spec.title,
            starts_at=starts_at,
            acknowledge_by=min(starts_at + timedelta(hours=spec.ack_hours), due_at),
            due_at=due_at,
            clock=clock,
        )

    @staticmethod
    def _start(start: str, ctx: Context) -> datetime:
        if start == "first_received_at":
            return ctx.first_received_at
        if start == "event":
            return ctx.now
        value = ctx.payload.get(start.removeprefix("payload."))
        if not isinstance(value, datetime):
            raise ValueError(f"payload has no time {start!r}")
        return value

    def ladder_from(
        self, name: str | None, starts_at: datetime, due_at: datetime, now: datetime
    ) -> list[LadderTime]:
        """The steps a clock armed at ``now`` still has to take. A clock armed late (a report
        entered days after its first receipt) does not replay the steps it missed: of those
        already due only the last one is kept, so it goes straight to the step due now
        (one history entry, one set of messages); the later steps keep their times."""
        steps = self.ladder(name, starts_at, due_at)
        due = [step for step in steps if step.fires_at <= now]
        return due[-1:] + [step for step in steps if step.fires_at > now]

    def ladder(self, name: str | None, starts_at: datetime, due_at: datetime) -> list[LadderTime]:
        """When each step of a deadline's ladder falls: a share of the time, plus any grace."""
        if name is None:
            return []
        allowed = due_at - starts_at
        return [
            LadderTime(step.step, starts_at + allowed * step.at + timedelta(hours=step.grace_hours))
            for step in self.definition.ladders[name]
        ]

    @staticmethod
    def due(clock: str, duration: int, starts_at: datetime, calendar: WorkingCalendar) -> datetime:
        if clock == "hours":
            return starts_at + timedelta(hours=duration)
        if clock == "days":
            return starts_at + timedelta(days=duration)
        if clock == "months":
            return starts_at + relativedelta(months=duration)
        return calendar.add_working_days(starts_at, duration)
