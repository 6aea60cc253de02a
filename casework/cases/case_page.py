"""The case page's parts, from what ``flow.read`` returned: clocks with their words, tasks by
agency, one timeline of history and messages, the workflow drawn from its definition, and
the actions the person may take now (or why not). Pure: no session, nothing to audit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from casework.base import Lang, label
from casework.cases.emergency import Answer, MeasureKind
from casework.cases.events import DetailedAssessment
from casework.cases.lookups import Person
from casework.cases.models import ProtectionLevel, RiskLevel
from casework.cases.schemas import CaseRead, TaskRead
from casework.cases.wording import (
    CHANNELS,
    CLOCKS,
    DETAILS,
    FORM_ANSWERS,
    MESSAGE_KINDS,
    MESSAGE_STATES,
    Translate,
    deadline_label,
    event_title,
    history_title,
    state_label,
)
from casework.deadlines.schemas import DeadlineRead
from casework.messaging.schemas import MessageRead
from casework.web.i18n import N_
from workflows.definition import Definition

DATETIME = "%d/%m/%Y %H:%M"
DATE = "%d/%m/%Y"
_CHOICES: dict[str, type[StrEnum]] = {
    "risk_level": RiskLevel,
    "score": RiskLevel,
    "protection_level": ProtectionLevel,
    "child_safe_now": Answer,
    "perpetrator_has_access": Answer,
    "caregiver_can_protect": Answer,
}


@dataclass(frozen=True)
class ClockView:
    label: str
    counts: str  # "tính theo giờ, kể cả ngày nghỉ"
    deadline: DeadlineRead

    @property
    def running(self) -> bool:
        return self.deadline.status.open


@dataclass(frozen=True)
class TaskView:
    task: TaskRead
    clock: ClockView | None  # the task's running clock due soonest


@dataclass(frozen=True)
class MessageLine:
    title: str  # "SMS: Nhiệm vụ mới"
    to: str | None  # "Cán bộ đầu mối, Công an xã Châu Sơn"
    state: str
    dead: bool
    failed: bool  # this attempt failed, another will follow


@dataclass(frozen=True)
class MessageGroup:
    """The messages one history entry caused: one line ("6 tin đã gửi: e-mail và SMS tới
    …") that opens to each message; an undelivered one is shown without opening."""

    lines: list[MessageLine]
    states: list[tuple[int, str]]  # how many in each state: [(8, "đã gửi"), (8, "đang chờ gửi")]
    channels: str  # "e-mail và SMS"
    to: str  # the agencies (or roles) reached, in the order first reached

    @property
    def undelivered(self) -> list[MessageLine]:
        return [line for line in self.lines if line.dead or line.failed]


@dataclass(frozen=True)
class Entry:
    at: datetime
    title: str
    who: str | None = None
    change: str | None = None  # "Tiếp nhận → Đánh giá nguy cơ ban đầu"
    details: list[tuple[str, str]] = field(default_factory=list)
    messages: MessageGroup | None = None


@dataclass(frozen=True)
class Step:
    label: str
    current: bool
    visited: bool
    final: bool
    leads_to: list[tuple[str, str]]  # (event, destination)


@dataclass(frozen=True)
class Action:
    event: str
    title: str
    allowed: bool
    reasons: list[str]
    offered: bool  # allowed, or refused only for what its form asks for


@dataclass(frozen=True)
class CasePage:
    case: CaseRead
    clocks: list[ClockView]  # the case's own, running first
    agencies: list[tuple[str, list[TaskView]]]
    timeline: list[Entry]
    steps: list[Step]
    actions: list[Action]


def clock_views(
    deadlines: list[DeadlineRead], definition: Definition, lang: Lang, tr: Translate
) -> list[ClockView]:
    return [
        ClockView(deadline_label(definition, d.kind, lang), tr(CLOCKS.get(d.clock, d.clock)), d)
        for d in deadlines
    ]


def by_agency(tasks: list[TaskRead], clocks: list[ClockView]) -> list[tuple[str, list[TaskView]]]:
    """Tasks grouped by agency (in the order their first task is due), each with the clock
    that decides whether it is late."""
    running: dict[int, ClockView] = {}
    for clock in clocks:
        task_id = clock.deadline.task_id
        if task_id is not None and clock.running:
            known = running.get(task_id)
            if known is None or clock.deadline.due_at < known.deadline.due_at:
                running[task_id] = clock
    groups: dict[str, list[TaskView]] = {}
    for task in tasks:
        groups.setdefault(task.agency_name, []).append(TaskView(task, running.get(task.id)))
    return list(groups.items())


OWNER_KEYS = {"from_user_id": N_("Người phụ trách trước"), "to_user_id": N_("Giao cho")}


def people_named(case: CaseRead) -> set[int | None]:
    """Whose names the case page shows: who did each thing, and whom a case was given to."""
    named: set[int | None] = {event.actor_id for event in case.events}
    for event in case.events:
        named.update(v for k, v in event.payload.items() if k in OWNER_KEYS and isinstance(v, int))
    return named


def _owner_change(
    payload: Mapping[str, Any], people: Mapping[int, Person], tr: Translate
) -> list[tuple[str, str]]:
    """A change of owner: from whom (or nobody) to whom."""
    if "to_user_id" not in payload:
        return []
    found = []
    for key, words in OWNER_KEYS.items():
        person = people.get(payload.get(key) or 0)
        found.append((tr(words), person.full_name if person else tr(N_("chưa phân công"))))
    return found


def _value(key: str, value: Any, lang: Lang, tr: Translate, tz: ZoneInfo) -> str:
    if isinstance(value, bool):
        return tr(N_("Có")) if value else tr(N_("Không"))
    if key in _CHOICES and isinstance(value, str):
        return label(_CHOICES[key](value), lang)
    if key == "tasks" and isinstance(value, list):
        return str(len(value))
    if key == "measures" and isinstance(value, list):
        return "\n".join(_measure(item, lang, tz) for item in value if isinstance(item, dict))
    if key.endswith("_on") and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime(DATE)
        except ValueError:
            return value
    if key == "late_report_days":
        return tr(N_("ghi vào hệ thống %(days)s ngày sau lần tiếp nhận đầu tiên")) % {"days": value}
    if key.endswith("_at") and isinstance(value, str):
        try:
            return datetime.fromisoformat(value).astimezone(tz).strftime(DATETIME)
        except ValueError:
            return value
    return str(value)


def _measure(item: Mapping[str, Any], lang: Lang, tz: ZoneInfo) -> str:
    """One emergency measure as the history shows it: what, by whom, when."""
    try:
        what = label(MeasureKind(item.get("kind")), lang)
    except ValueError:
        what = str(item.get("kind"))
    if item.get("description"):
        what = f"{what} ({item['description']})"
    when = _value("taken_at", item.get("at"), lang, lambda text: text, tz)
    return f"{what}: {item.get('by')}, {when}"


def _details(payload: Mapping[str, Any], lang: Lang, tr: Translate, tz: ZoneInfo) -> list:
    shown = [
        (tr(DETAILS[key]), _value(key, value, lang, tr, tz))
        for key, value in payload.items()
        if key in DETAILS and value not in (None, "", [])
    ]
    assessment = payload.get("assessment")
    if isinstance(assessment, dict):
        for name, info in DetailedAssessment.model_fields.items():
            if assessment.get(name):
                vi, _, en = (info.description or name).partition(" / ")
                shown.append((en if lang == "en" else vi, str(assessment[name])))
    return shown


# A channel within a sentence ("6 tin đã gửi: e-mail và SMS tới …").
_CHANNEL_WORDS = {"email": N_("e-mail"), "sms": N_("SMS")}
_AND = N_("và")
_STATE_ORDER = ("sent", "sending", "pending", "failed", "dead")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def message_group(messages: list[MessageRead], tr: Translate) -> MessageGroup:
    """Messages (oldest first) as one summary line and the lines it opens to."""
    lines = []
    for message in messages:
        kind = tr(MESSAGE_KINDS.get(message.kind, message.kind))
        channel = tr(CHANNELS.get(message.channel, message.channel))
        to = ", ".join(x for x in (message.to_role_label, message.to_agency) if x)
        lines.append(
            MessageLine(
                f"{channel}: {kind}",
                to or None,
                tr(MESSAGE_STATES.get(message.state, message.state)),
                dead=message.state == "dead",
                failed=message.state == "failed",
            )
        )
    counts = Counter(str(message.state) for message in messages)
    states = [
        (counts[state], _lower_first(tr(MESSAGE_STATES[state])))
        for state in _STATE_ORDER
        if counts[state]
    ]
    used = {str(message.channel) for message in messages}
    channels = [tr(words) for channel, words in _CHANNEL_WORDS.items() if channel in used]
    reached = dict.fromkeys(
        message.to_agency or message.to_role_label or tr(N_("không rõ người nhận"))
        for message in messages
    )
    return MessageGroup(lines, states, f" {tr(_AND)} ".join(channels), ", ".join(reached))


def timeline(
    case: CaseRead,
    definition: Definition,
    people: Mapping[int, Person],
    lang: Lang,
    tr: Translate,
    tz: ZoneInfo,
) -> list[Entry]:
    """History, newest first, each entry with the messages it caused folded under it; the
    messages nothing in the history caused stand as entries of their own."""
    agencies = {task.agency_id: task.agency_name for task in case.tasks}
    caused: dict[int | None, list[MessageRead]] = {}
    for message in case.messages:
        caused.setdefault(message.event_id, []).append(message)
    entries = []
    for event in case.events:
        person = people.get(event.actor_id) if event.actor_id else None
        who = f"{person.full_name} ({label(person.role, lang)})" if person else None
        change = None
        if event.to_status and event.from_status != event.to_status:
            before = state_label(definition, event.from_status, lang)
            after = state_label(definition, event.to_status, lang)
            change = f"{before} → {after}" if before else after
        details = _details(event.payload, lang, tr, tz) + _owner_change(event.payload, people, tr)
        if event.payload.get("agency_id") in agencies:
            details.insert(0, (tr(N_("Cơ quan")), agencies[event.payload["agency_id"]]))
        title = history_title(definition, event.event, event.payload, lang, tr)
        sent = caused.pop(event.id, None)
        group = message_group(sent, tr) if sent else None
        entries.append(Entry(event.at, title, who, change, details, group))
    alone: dict[datetime, list[MessageRead]] = {}
    for message in caused.get(None, []):
        alone.setdefault(message.queued_at, []).append(message)
    for at, messages in alone.items():
        kinds = dict.fromkeys(tr(MESSAGE_KINDS.get(m.kind, m.kind)) for m in messages)
        entries.append(Entry(at, ", ".join(kinds), messages=message_group(messages, tr)))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def steps(case: CaseRead, definition: Definition, lang: Lang, tr: Translate) -> list[Step]:
    """The definition's states in order, the current one marked, each with where its events
    lead: the workflow diagram, drawn from the definition itself."""
    visited = {e.to_status for e in case.events if e.to_status} | {case.status.value}
    drawn = []
    for name, spec in definition.states.items():
        leads_to = list(
            dict.fromkeys(
                (event_title(definition, t.event, lang, tr), state_label(definition, t.dest, lang))
                for t in definition.transitions
                if name in t.sources and t.dest and t.dest != name
            )
        )
        drawn.append(
            Step(
                spec.en if lang == "en" else spec.vi,
                current=name == case.status,
                visited=name in visited,
                final=spec.final,
                leads_to=leads_to,
            )
        )
    return drawn


def actions(case: CaseRead, definition: Definition, lang: Lang, tr: Translate) -> list[Action]:
    """What the step offers this person: allowed first, then blocked ones with why."""
    found = [
        Action(
            option.event,
            event_title(definition, option.event, lang, tr),
            option.allowed,
            [reason.msg_en if lang == "en" else reason.msg_vi for reason in option.reasons],
            offered=option.allowed or {r.code for r in option.reasons} <= FORM_ANSWERS,
        )
        for option in case.allowed_events
    ]
    return sorted(found, key=lambda action: not action.offered)


def build(
    case: CaseRead,
    definition: Definition,
    people: Mapping[int, Person],
    *,
    lang: Lang,
    tr: Translate,
    tz: ZoneInfo,
) -> CasePage:
    clocks = clock_views(case.deadlines, definition, lang, tr)
    return CasePage(
        case=case,
        clocks=[c for c in clocks if c.deadline.task_id is None],
        agencies=by_agency(case.tasks, clocks),
        timeline=timeline(case, definition, people, lang, tr, tz),
        steps=steps(case, definition, lang, tr),
        actions=actions(case, definition, lang, tr),
    )
