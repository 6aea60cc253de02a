"""The intake page's form (Mẫu 01): from the posted fields to the API's own ``IntakeCreate``.

The schema and the service judge the report exactly as for the JSON API; the page adds
only what a form on paper would: a date typed in three fields (and a year alone when the
child's birthday is not known), radios left unanswered (“Chọn …”, not “Nhập …”), and the
answers of an option the person did not choose left out (GOV.UK: a conditionally revealed
answer belongs to its option). Errors come back in the order of the page, each linked to
the input to correct.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from casework.base import Lang
from casework.errors import FieldError, describe, from_pydantic
from casework.intake import validation as rules
from casework.intake.schemas import RECEIPT_FLOOR, IntakeCreate
from casework.web.date_fields import DateField, check
from casework.web.forms import FormErrors, field_id, in_page_order, nest, worded

SEARCH = "search"  # the "Tìm" button: show the children whose name matches, save nothing
RECEIVED = DateField("first_received_at", with_time=True)
BIRTH = DateField("child.date_of_birth")
# Only these names reach the schema (the page's own fields stay out of it).
SCHEMA_FIELDS = frozenset(IntakeCreate.model_fields)
CHOICES = {
    ("channel",): "choice_missing",
    ("setting",): "choice_missing",
    ("child", "sex"): "choice_missing",
    ("immediate_danger",): "danger_missing",
}
REPORTER_IDENTITY = ("reporter.name", "reporter.phone", "reporter.relation")
# The order of the questions on the page: the error summary follows it.
ORDER = (
    "channel",
    "first_received_at",
    "late_report_confirmed",
    "reporter",
    "child_id",
    "child",
    "harm_forms",
    "setting",
    "perpetrator_relation",
    "immediate_danger",
    "location",
    "description",
    "child_state",
)
# An estimated birth year is typed in the year box of the date of birth.
GROUPS = {"child-birth_year_estimate": BIRTH.id}


@dataclass(frozen=True)
class Typed:
    """What the person typed, as posted: shown again on every answer of the page."""

    values: dict[str, str] = field(default_factory=dict)
    harm_forms: tuple[str, ...] = ()

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Typed:
        values: dict[str, str] = {}
        harms: list[str] = []
        for name, value in pairs:
            if not isinstance(value, str) or name == "csrf_token":
                continue
            if name == "harm_forms":
                harms.append(value)
            else:
                values[name] = value
        return cls(values, tuple(harms))

    @classmethod
    def blank(cls, *, now: datetime, tz: ZoneInfo) -> Typed:
        """A new form: received now (editable), and a fresh submission id."""
        local = now.astimezone(tz)
        return cls(
            {
                "submission_id": new_submission_id(),
                "first_received_at.day": str(local.day),
                "first_received_at.month": str(local.month),
                "first_received_at.year": str(local.year),
                "first_received_at.time": local.strftime("%H:%M"),
            }
        )

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def action(self) -> str:
        return self.get("action")

    @property
    def submission_id(self) -> str:
        return self.get("submission_id") or new_submission_id()

    @property
    def anonymous(self) -> bool:
        return self.get("reporter.anonymous") == "true"

    @property
    def existing_child(self) -> bool:
        return bool(self.get("child_id").strip())

    def renewed(self) -> Typed:
        """The same answers under a new submission id (to send them as a new report)."""
        return replace(self, values={**self.values, "submission_id": new_submission_id()})


def new_submission_id() -> str:
    return uuid.uuid4().hex


@dataclass
class PageErrors(FormErrors):
    """``FormErrors`` and, for a date, the one input at fault (else the whole date is)."""

    parts: dict[str, str] = field(default_factory=dict)  # group id -> day, month, year, time


class FormInvalid(Exception):
    def __init__(self, errors: PageErrors) -> None:
        super().__init__("intake form refused")
        self.errors = errors


def _pairs(typed: Typed) -> list[tuple[str, str]]:
    """The answers that go to the schema, with the year-only birth date as an estimate."""
    values = dict(typed.values)
    if typed.anonymous:
        for name in REPORTER_IDENTITY:
            values.pop(name, None)
    if typed.existing_child:
        values = {k: v for k, v in values.items() if not k.startswith("child.")}
    else:
        values.pop("child_id", None)
        if _year_only(typed):
            values["child.birth_year_estimate"] = values.pop(f"{BIRTH.name}.year")
    pairs = [(k, v) for k, v in values.items() if k.split(".", 1)[0] in SCHEMA_FIELDS]
    return pairs + [("harm_forms", value) for value in typed.harm_forms]


def _before_floor(typed: Typed) -> bool:
    year = RECEIVED.typed(typed.values)["year"]
    return year.isdigit() and int(year) < RECEIPT_FLOOR.year


def _year_only(typed: Typed) -> bool:
    """Only the year of birth was typed: it goes to the schema as the estimated birth year."""
    parts = BIRTH.typed(typed.values)
    return bool(parts["year"]) and not parts["day"] and not parts["month"]


def parse(typed: Typed, *, today: rules.Today, lang: Lang) -> IntakeCreate:
    """The report as ``IntakeCreate``, or ``FormInvalid`` with every problem found: each
    answer's own, and the rules between answers (a receipt before the child's birth) on
    those that could be read, in one go. The commune is the one the form was made for;
    the service refuses any but the reporter's."""
    problems: list[FieldError] = []
    parts: dict[str, str] = {}
    for date_field in (RECEIVED, BIRTH):
        if date_field is BIRTH and (typed.existing_child or _year_only(typed)):
            continue
        problem = check(date_field, typed.values)
        if problem is not None:
            problems.append(problem.error)
            parts[date_field.id] = problem.part
        elif date_field is RECEIVED and _before_floor(typed):
            # Said on the year typed: the zone's old local mean time (+07:06:40 before
            # 1906) has no ISO offset the schema could read and name.
            floor = RECEIPT_FLOOR.strftime("%d/%m/%Y")
            problems.append(FieldError(RECEIVED.loc, "time_too_early", {"floor": floor}))
            parts[RECEIVED.id] = "year"
    if typed.get("reporter.anonymous") not in ("true", "false"):
        problems.append(FieldError(("reporter", "anonymous"), "reporter_choice_missing"))
    payload = nest(_pairs(typed), tz=today.tz)
    payload["harm_forms"] = list(typed.harm_forms)
    payload.setdefault("reporter", {})
    if not typed.existing_child:
        payload.setdefault("child", {})
    data: IntakeCreate | None = None
    try:
        data = IntakeCreate.model_validate(payload)
    except ValidationError as exc:
        flagged = [error.loc for error in problems]
        found = [worded(from_pydantic(e), CHOICES) for e in exc.errors()]
        problems.extend(e for e in found if not any(e.loc[: len(f)] == f for f in flagged))
    problems = rules.together(problems, payload, today)
    if data is not None and not problems:
        return data
    raise FormInvalid(page_errors(problems, lang, parts))


def page_errors(
    errors: Iterable[FieldError], lang: Lang, parts: Mapping[str, str] | None = None
) -> PageErrors:
    """The summary (page order, each a link to the input to correct) and the message next
    to each question (a date's message sits on its group of inputs; ``parts``: a date's
    one input at fault)."""
    found = PageErrors(parts=dict(parts or {}))
    for error in in_page_order(errors, ORDER):
        message = describe(error, lang)
        group = field_id(error.loc) if error.loc else ""
        group = GROUPS.get(group, group)
        if group in found.parts:
            target = f"{group}-{found.parts[group]}"
        elif group in (RECEIVED.id, BIRTH.id):
            target = f"{group}-year" if error.loc[-1] == "birth_year_estimate" else f"{group}-day"
        else:
            target = group
        found.summary.append((target, message))
        found.by_field.setdefault(group, message)
    return found
