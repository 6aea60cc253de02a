"""Who may do what to which record: the one place Casework decides access.

Two questions, answered for the API, the web pages and the exports alike:

- *May this person attempt this kind of action at all?* ``gate(actor, action)`` reads
  ``RULES``: the roles allowed, the token scope it needs, and, for a role that may not
  act but may see such records, a 403 instead of a 404.
- *May they see or act on this record?* ``case_view`` says how much of a case a person
  sees (all of it, only what their agency's task needs, or nothing), ``task_decision``
  and ``escalation_visible`` do the same for tasks and escalations; ``casework.authz.scopes``
  turns the same rules into SQL for lists.

A record someone may not see answers 404, exactly as one that does not exist (NĐ56
confidentiality: not even its existence is confirmed); a record they see but may not act
on answers 403. Which workflow events only the supervisor may fire (approve a plan,
decide a separation, close) is not repeated here: the workflow definition's
``actor_is_supervisor`` guard says so, and ``supervisor_events`` reads it from there.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from casework.accounts.models import Role
from casework.actors import Actor
from workflows.definition import Definition


class Action(StrEnum):
    intake_create = "intake.create"
    case_list = "case.list"
    case_read = "case.read"
    case_event = "case.event"
    case_assign = "case.assign"
    case_take = "case.take"
    task_act = "task.act"
    child_list = "child.list"
    child_register = "child.register"
    child_edit = "child.edit"
    child_import = "child.import"
    child_merge = "child.merge"
    child_merge_undo = "child.merge_undo"
    membership_write = "registry.membership"
    support_write = "registry.support"
    proposal_decide = "registry.proposal"
    cleaning_manage = "cleaning.manage"
    cleaning_task = "cleaning.task"
    data_quality = "registry.data_quality"
    registry_export = "registry.export"
    escalation_list = "escalation.list"
    escalation_act = "escalation.act"
    stats_read = "stats.read"
    population_manage = "stats.population"
    report_read = "report.read"
    report_manage = "report.manage"
    audit_read = "audit.read"
    audit_export = "audit.export"
    account_self = "account.self"
    dashboard = "dashboard.read"
    calendar_manage = "calendar.manage"
    admin = "admin.manage"
    province_manage = "province.manage"
    review_do = "review.do"
    review_manage = "review.manage"
    review_quarter_read = "review.quarter_read"
    review_quarter_close = "review.quarter_close"


R = Role
# Caseworkers and supervisors see their commune's cases in full (reporter included).
FULL_CASE_ROLES = frozenset({R.caseworker, R.supervisor})
# Agency officers and heads see a case only while their agency has a task on it.
AGENCY_CASE_ROLES = frozenset({R.agency_officer, R.agency_head})
# Who answers an agency's tasks: its officers and head; caseworkers are the focal points
# of the culture and social office, whose tasks they answer.
TASK_ROLES = frozenset({R.agency_officer, R.agency_head, R.caseworker})
EVERYONE = frozenset(Role)
# Who does a village's monthly review: the people of the village's board (its head, and
# the collaborator an administrator puts there); ``review_decision`` narrows to their own.
REVIEWER_ROLES = frozenset({R.collaborator, R.agency_officer, R.agency_head})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    scope: str | None  # the API token scope it needs (None: no token may)
    seen_with: Action | None = None  # roles allowed this one get 403 instead of 404
    session_only: bool = False  # only from a logged-in browser, never with a token
    summary: str = ""


RULES: dict[Action, Rule] = {
    Action.intake_create: Rule(
        FULL_CASE_ROLES | AGENCY_CASE_ROLES | {R.collaborator},
        "intake:write",
        summary="Anyone who must report may submit a report (collaborators: nothing else)",
    ),
    Action.case_list: Rule(
        FULL_CASE_ROLES | AGENCY_CASE_ROLES, "cases:read", summary="Cases they may see"
    ),
    Action.case_read: Rule(
        FULL_CASE_ROLES | AGENCY_CASE_ROLES, "cases:read", summary="A case, as much as they may"
    ),
    Action.case_event: Rule(
        FULL_CASE_ROLES,
        "cases:write",
        seen_with=Action.case_read,
        summary="Move a case on (the definition's guards keep some events for supervisors)",
    ),
    Action.case_assign: Rule(
        frozenset({R.supervisor}),
        "cases:write",
        seen_with=Action.case_read,
        summary="Give a case to a caseworker of the commune, or to another one",
    ),
    Action.case_take: Rule(
        FULL_CASE_ROLES,
        "cases:write",
        seen_with=Action.case_read,
        summary="Take an unassigned case on as its caseworker",
    ),
    Action.task_act: Rule(
        TASK_ROLES,
        "tasks:write",
        seen_with=Action.case_read,
        summary="Accept, decline or complete a task of one's own agency",
    ),
    Action.child_list: Rule(FULL_CASE_ROLES, "cases:read", summary="Search the children"),
    Action.child_register: Rule(
        FULL_CASE_ROLES, "children:write", summary="Register a child of the commune, no report"
    ),
    Action.child_edit: Rule(
        FULL_CASE_ROLES, "children:write", summary="Correct a child's record (and caregivers)"
    ),
    Action.child_import: Rule(
        FULL_CASE_ROLES,
        None,
        session_only=True,
        summary="Import the commune's lists of children from a spreadsheet (pages only)",
    ),
    Action.child_merge: Rule(
        FULL_CASE_ROLES,
        "children:write",
        summary="Merge two records of the same child in the register",
    ),
    Action.child_merge_undo: Rule(
        frozenset({R.supervisor}),
        "children:write",
        seen_with=Action.child_list,
        summary="Undo a merge of two records (the supervisor)",
    ),
    Action.membership_write: Rule(
        FULL_CASE_ROLES,
        "registry:write",
        summary="Add or end a child's special-circumstance group or at-risk mark",
    ),
    Action.support_write: Rule(
        FULL_CASE_ROLES, "registry:write", summary="Record support a child received"
    ),
    Action.proposal_decide: Rule(
        FULL_CASE_ROLES,
        "registry:write",
        summary="Confirm or dismiss a case's proposal to the register",
    ),
    Action.cleaning_manage: Rule(
        FULL_CASE_ROLES,
        "cases:write",
        summary="Đề án 06: start cleaning loops for records with problems, apply what was verified",
    ),
    Action.cleaning_task: Rule(
        AGENCY_CASE_ROLES | {R.collaborator},
        "tasks:write",
        summary="Đề án 06: the village's household visit, the police's verification",
    ),
    Action.data_quality: Rule(
        FULL_CASE_ROLES, "cases:read", summary="The records to clean (Đề án 06), per village"
    ),
    Action.registry_export: Rule(
        FULL_CASE_ROLES,
        None,
        session_only=True,
        summary="The register or the data-quality list as Excel (audited, marked MẬT)",
    ),
    Action.escalation_list: Rule(
        FULL_CASE_ROLES, "escalations:read", summary="The commune's escalation queue"
    ),
    Action.escalation_act: Rule(
        frozenset({R.supervisor}),
        "escalations:write",
        seen_with=Action.escalation_list,
        summary="Only the supervisor works the queue",
    ),
    Action.stats_read: Rule(
        frozenset({R.province_viewer, R.supervisor, R.caseworker}),
        "stats:read",
        summary="Counts only, never a record",
    ),
    Action.population_manage: Rule(
        FULL_CASE_ROLES,
        None,
        session_only=True,
        summary="The commune's children per village, sex and age group each year (the "
        "statistics' denominators)",
    ),
    Action.report_read: Rule(
        FULL_CASE_ROLES | AGENCY_CASE_ROLES,
        None,
        session_only=True,
        summary="Periodic reports: an agency its own (write and send), the commune's "
        "caseworkers and supervisor all of them (accept, consolidate, approve, send)",
    ),
    Action.report_manage: Rule(
        FULL_CASE_ROLES,
        None,
        session_only=True,
        seen_with=Action.report_read,
        summary="Open an ad-hoc report (a child's death, a disaster)",
    ),
    Action.audit_read: Rule(frozenset({R.auditor}), "audit:read", summary="Read the audit log"),
    Action.audit_export: Rule(frozenset({R.auditor}), "audit:read", summary="Export the audit log"),
    Action.account_self: Rule(
        EVERYONE, None, session_only=True, summary="One's own password and sessions"
    ),
    Action.dashboard: Rule(
        EVERYONE, None, session_only=True, summary="One's own page: what is due, for one's role"
    ),
    Action.calendar_manage: Rule(
        frozenset({R.supervisor, R.admin, R.province_admin}),
        None,
        session_only=True,
        summary="The commune's own days off and make-up working days (its supervisor, or "
        "whoever sets the commune up)",
    ),
    Action.admin: Rule(
        frozenset({R.admin, R.province_admin}),
        None,
        session_only=True,
        summary="People, agencies and villages of the commune (not case content); a "
        "province administrator those of the commune they chose to work in",
    ),
    Action.province_manage: Rule(
        frozenset({R.province_admin}),
        None,
        session_only=True,
        summary="The province's communes from the official list; choose one to set up",
    ),
    Action.review_do: Rule(
        REVIEWER_ROLES,
        None,
        session_only=True,
        summary="Their own village's monthly review: name, birth year and group of each child",
    ),
    Action.review_manage: Rule(
        FULL_CASE_ROLES,
        None,
        session_only=True,
        summary="The commune's village reviews: apply or reject the answers, close a review",
    ),
    Action.review_quarter_read: Rule(
        FULL_CASE_ROLES,
        None,
        session_only=True,
        summary="The quarter's review summaries (counts per village, the caseworker's note)",
    ),
    Action.review_quarter_close: Rule(
        frozenset({R.caseworker}),
        None,
        session_only=True,
        seen_with=Action.review_quarter_read,
        summary="Close the quarter with its summary",
    ),
}


# What a province administrator may do before choosing a commune to work in.
UNPLACED = frozenset({Action.province_manage, Action.dashboard, Action.account_self})


class Outcome(StrEnum):
    allowed = "allowed"
    hidden = "hidden"  # 404: as if it did not exist
    denied = "denied"  # 403: visible, but not for this person to do


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.outcome == Outcome.allowed


ALLOW = Decision(Outcome.allowed)
HIDE = Decision(Outcome.hidden, "not_found")


def deny(reason: str) -> Decision:
    return Decision(Outcome.denied, reason)


def role_may(role: Role | None, action: Action) -> bool:
    return role is not None and role in RULES[action].roles


def gate(actor: Actor, action: Action) -> Decision:
    """Whether ``actor`` may attempt ``action`` at all (before any record is looked at)."""
    rule = RULES[action]
    if actor.role == R.province_admin and actor.commune_id is None and action not in UNPLACED:
        return HIDE  # a province administrator works in the commune they chose, once chosen
    if role_may(actor.role, action):
        if actor.scopes is not None and (rule.session_only or rule.scope not in actor.scopes):
            return deny("token_scope")
        return ALLOW
    if rule.seen_with is not None and role_may(actor.role, rule.seen_with):
        return deny("not_permitted")
    return HIDE


class CaseView(StrEnum):
    full = "full"  # everything, the reporter included (caseworker, supervisor)
    task = "task"  # what their agency's tasks need (``agency_facts``) and their own tasks


class Fact(StrEnum):
    """What of a case an agency's task may need; the workflow definition's ``agency_facts``
    gives each task kind (or, for a kind it does not list, each agency) its own. Besides
    these an agency always sees the child's name, age and village and whom to call (the
    caseworker). No fact is the reporter (NĐ56 Đ24) or another agency's work."""

    incident_summary = "incident_summary"  # what happened: each report's description
    received_at = "received_at"  # when the information was first received
    place = "place"  # where it happened (the report's location)
    harm_forms = "harm_forms"
    setting = "setting"  # family, school, community, online…
    suspected_relation = "suspected_relation"  # the suspected person's relation to the child
    immediate_danger = "immediate_danger"
    child_state = "child_state"  # the child's state as reported (injuries, health)
    child_sex = "child_sex"
    child_address = "child_address"  # where the child lives, beyond the village
    child_school = "child_school"  # school and class
    caregivers = "caregivers"  # names, relations and phones of the people caring for the child


def agency_facts(definition: Definition, tasks: Iterable[tuple[str, str]]) -> frozenset[Fact]:
    """The facts an agency sees for its tasks, each given as (task kind, agency kind): what
    the definition gives each kind (or its agency), together. A name the application does
    not know gives nothing (``casework workflow check`` names it)."""
    rules = definition.agency_facts
    names = {name for kind, agency in tasks for name in rules.for_task(kind=kind, agency=agency)}
    return frozenset(Fact(name) for name in names if name in Fact.__members__)


def case_view(
    actor: Actor, *, commune_id: int, task_agency_ids: Collection[int]
) -> CaseView | None:
    """How much of a case ``actor`` sees; ``task_agency_ids``: agencies with a live task
    on it (tasks of a plan still awaiting approval do not count)."""
    if actor.commune_id is None or actor.commune_id != commune_id:
        return None
    if actor.role in FULL_CASE_ROLES:
        return CaseView.full
    if actor.role in AGENCY_CASE_ROLES and actor.agency_id in task_agency_ids:
        return CaseView.task
    return None


def list_view(actor: Actor) -> CaseView | None:
    """How much of each listed case ``actor`` sees (lists apply ``scopes.visible_cases``)."""
    if actor.role in FULL_CASE_ROLES:
        return CaseView.full
    if actor.role in AGENCY_CASE_ROLES:
        return CaseView.task
    return None


def sees_names(actor: Actor) -> bool:
    """Whether a list may name the child in full to this person: those who see the case in
    full (NĐ56 Đ33); anyone else gets initials, age and village at most."""
    return actor.role in FULL_CASE_ROLES


def task_decision(actor: Actor, *, view: CaseView | None, task_agency_id: int) -> Decision:
    """Answering a task: the person's agency must own it. A task they cannot see is 404."""
    own = actor.agency_id is not None and actor.agency_id == task_agency_id
    if view is None or (view == CaseView.task and not own):
        return HIDE
    if not own or not role_may(actor.role, Action.task_act):
        return deny("task_of_another_agency")
    return ALLOW


def child_visible(actor: Actor, *, commune_id: int) -> bool:
    """A child's record (NĐ56 Đ33): the children register of the commune is for its
    caseworkers and supervisor only; ``scopes.visible_children`` is the same rule as SQL."""
    return actor.role in FULL_CASE_ROLES and actor.commune_id == commune_id


def review_decision(
    actor: Actor, action: Action, *, commune_id: int, village_id: int, own_village: int | None
) -> Decision:
    """A village's review: its reviewers (``own_village``: the village of their board) see
    their village's only; the commune's caseworkers and supervisor see every village's.
    Anyone else, or another village's, answers as if it did not exist."""
    if actor.commune_id != commune_id or not gate(actor, action).allowed:
        return HIDE
    if action == Action.review_do:
        return ALLOW if own_village is not None and own_village == village_id else HIDE
    return ALLOW


def report_visible(actor: Actor, *, commune_id: int, agency_id: int | None) -> bool:
    """A report owed: the commune's caseworkers and supervisor see all of the commune's;
    an agency's officer and head see their agency's own (``obligations.visible`` is the
    same rule as SQL)."""
    if actor.commune_id != commune_id:
        return False
    if actor.role in FULL_CASE_ROLES:
        return True
    return (
        actor.role in AGENCY_CASE_ROLES and agency_id is not None and actor.agency_id == agency_id
    )


def escalation_visible(view: CaseView | None) -> bool:
    """The queue belongs to the commune's caseworkers and supervisor (full view)."""
    return view == CaseView.full


def administered(actor: Actor, *, commune_id: int) -> Decision:
    """An administrator manages the people and agencies of their own commune only; another
    commune's are not there for them (404)."""
    if not role_may(actor.role, Action.admin):
        return HIDE
    return ALLOW if actor.commune_id is not None and actor.commune_id == commune_id else HIDE


def province_commune(actor: Actor, *, province: str) -> Decision:
    """A province administrator sets up the communes of their own province only; another
    province's are not there for them (404)."""
    if not role_may(actor.role, Action.province_manage):
        return HIDE
    return ALLOW if actor.province is not None and actor.province == province else HIDE


def supervisor_events(definition: Definition) -> frozenset[str]:
    """The events only a supervisor may fire, as the workflow definition guards them."""
    return frozenset(t.event for t in definition.transitions if "actor_is_supervisor" in t.guards)
