"""Every kind of entry the app writes reads as a sentence, in both languages, without the
codes it is stored with (casework.audit.words)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from casework.accounts.models import Role
from casework.audit.models import AuditEntry
from casework.audit.words import ATTEMPTS, Person, describe
from casework.authz.policy import Action

HOA = Person("Hoàng Thị Hoa", Role.caseworker, "canbo.hoa")
PEOPLE = {7: HOA, 9: Person("Lý Văn Sơn", Role.admin, "quantri.son")}
# (action, subject_type, subject_id, outcome, detail), as the views and services write them
KINDS = [
    ("view", "case", "CS-2026-00012", "ok", {"view": "full"}),
    ("view", "case", "CS-2026-00012", "ok", {"view": "task"}),
    ("view", "case", "CS-2026-00012", "ok", {"view": "task", "task": 4}),
    ("view", "case", "CS-2026-00012", "ok", {"view": "full", "print": "ke-hoach"}),
    ("view", "case", "CS-2026-00012", "ok", {"view": "full", "form": "submit_plan"}),
    ("view", "case_list", None, "ok", {"cases": ["CS-2026-00012"], "searched": False}),
    (
        "view",
        "case_list",
        None,
        "ok",
        {"cases": [f"CS-2026-{n:05}" for n in range(9)], "searched": True},
    ),
    ("view", "task_list", None, "ok", {"tasks": [1, 2], "cases": ["CS-2026-00012"]}),
    ("view", "child_list", None, "ok", {"children": [1, 2, 3], "searched": True}),
    ("view", "child", "5", "ok", {"cases": ["CS-2026-00012"]}),
    ("view", "dashboard", None, "ok", {}),
    ("view", "dashboard", None, "ok", {"show": "overdue", "cases": ["CS-2026-00012"]}),
    ("view", "stats", None, "ok", {}),
    ("view", "escalation_queue", None, "ok", {"cases": ["CS-2026-00012"]}),
    ("view", "escalation", "3", "ok", {"case": "CS-2026-00012"}),
    ("view", "audit_log", None, "ok", {"username": "canbo.hoa"}),
    ("view", "village_review", "12", "ok", {"children": [4, 5, 6]}),
    ("view", "village_reviews", None, "ok", {}),
    ("view", "review_quarters", None, "ok", {}),
    ("update", "village_review", "12", "ok", {"action": "submit", "new": 1}),
    ("update", "village_review", "12", "ok", {"action": "applied", "item": 40, "child": 5}),
    ("update", "village_review", "12", "ok", {"action": "rejected", "item": 41, "child": 6}),
    ("update", "village_review", "12", "ok", {"action": "close"}),
    ("create", "review_quarter", "1/2026", "ok", {}),
    ("view", "user_list", None, "ok", {}),
    ("view", "user", "7", "ok", {}),
    ("create", "case", "CS-2026-00012", "ok", {"report": 3, "replayed": False}),
    ("create", "case", "CS-2026-00012", "ok", {"report": 3, "replayed": True}),
    ("event", "case", "CS-2026-00012", "ok", {"event": "approve_plan"}),
    *(
        ("update", "task", "4", "ok", {"case": "CS-2026-00012", "action": verb})
        for verb in ("accept", "decline", "complete")
    ),
    *(
        ("update", "escalation", "3", "ok", {"case": "CS-2026-00012", "action": verb})
        for verb in ("acknowledge", "reassign", "extend", "resend", "settle")
    ),
    ("update", "agency", "2", "ok", {"change": "contact"}),
    ("update", "case", "CS-2026-00012", "ok", {"action": "assign", "to_user_id": 7}),
    ("update", "case", "CS-2026-00012", "ok", {"action": "take", "to_user_id": 7}),
    ("view", "commune_calendar", "CHAUSON-DEMO", "ok", {}),
    *(
        ("update", "commune_calendar", "CHAUSON-DEMO", "ok", {"action": verb, "day": "2026-03-09"})
        for verb in ("add", "remove")
    ),
    ("export", "audit_log", None, "ok", {}),
    ("login", "user", "7", "ok", {}),
    ("logout", "user", "7", "ok", {}),
    ("failed_login", "user", None, "bad_credentials", {}),
    ("failed_login", "user", None, "locked", {}),
    ("token_use", "token", "2", "ok", {}),
    ("token_use", "token", "cwk_abcdefgh", "failed", {}),
    *(
        (
            "permission_denied",
            subject,
            sid,
            outcome,
            {"action": action, "path": "/x", "reason": why},
        )
        for subject, sid, outcome, action, why in (
            ("case", "CS-2026-00012", "hidden", "case.read", "not_found"),
            ("child", "5", "hidden", "child.list", "not_found"),
            (None, None, "denied", "escalation.act", "not_permitted"),
            ("task", "4", "denied", "task.act", "task_of_another_agency"),
            ("case", "CS-2026-00012", "denied", "case.assign", "not_permitted"),
            (None, None, "denied", "calendar.manage", "not_permitted"),
            (None, None, "denied", "audit.read", "token_scope"),
        )
    ),
    ("view", "import_job", "3", "ok", {"status": "checked"}),
    ("create", "import_job", "3", "ok", {"target": "children", "bytes": 9000, "kind": "xlsx"}),
    ("export", "import_job", "3", "ok", {"report": True, "lines": 12}),
    *(
        ("update", "import_job", "3", "ok", {"action": action})
        for action in ("import_all_or_nothing", "import_valid_only", "discard", "remap")
    ),
    (
        "update",
        "import_job",
        "3",
        "ok",
        {
            "target": "children",
            "mode": "valid_only",
            "rows": 9,
            "created": 5,
            "linked": 1,
            "groups": 4,
            "skipped": 3,
        },
    ),
    (
        "permission_denied",
        "import_job",
        "3",
        "hidden",
        {"action": "child.import", "path": "/tre-em/nhap/3", "reason": "not_found"},
    ),
    *(
        ("account", "user", "9", "ok", {"change": change, "role": "caseworker"})
        for change in (
            "password",
            "notifications",
            "logout_everywhere",
            "user_created",
            "user_disabled",
            "password_reset",
        )
    ),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("action", "subject", "subject_id", "outcome", "detail"), KINDS)
def test_every_kind_of_entry_reads_as_a_sentence(
    lang, action, subject, subject_id, outcome, detail
):
    entry = AuditEntry(
        seq=1,
        at=datetime(2026, 3, 2, tzinfo=UTC),
        actor_id=7,
        username="canbo.hoa",
        role="caseworker",
        action=action,
        subject_type=subject,
        subject_id=subject_id,
        outcome=outcome,
        detail=detail,
        prev_hash="",
        hash="",
    )
    said = describe(entry, PEOPLE, lang)
    assert said.who == "Hoàng Thị Hoa"
    assert said.did[:1].isupper()
    assert said.refused == (outcome != "ok")
    assert bool(said.outcome) == said.refused
    words = f"{said.did} {said.outcome}"
    # codes are snake_case or dotted ("permission_denied", "case.read"), or Python's words
    for code in ("_", "case.", ".act", ".read", "hidden", "{", "%(", "True", "False", "None"):
        assert code not in words, code
    if lang == "en":  # Vietnamese only in a person's name
        words = words.replace("Lý Văn Sơn", "")
        assert not any(letter in words for letter in "ăâđêôơưạảấầẩẫậắằẳẵặ"), words


def test_a_failed_login_names_the_name_typed_and_no_role():
    entry = AuditEntry(
        seq=1,
        at=datetime(2026, 3, 2, tzinfo=UTC),
        username="ai.do",
        action="failed_login",
        subject_type="user",
        outcome="bad_credentials",
        detail={},
        prev_hash="",
        hash="",
    )
    said = describe(entry, PEOPLE, "vi")
    assert (said.who, said.role) == ("Ai đó đăng nhập bằng tên “ai.do”", "")


def test_every_action_the_policy_names_has_its_words():
    assert {action.value for action in Action} <= ATTEMPTS.keys()


def test_the_escalation_queue_is_named_as_on_the_pages():
    entry = AuditEntry(
        seq=1,
        at=datetime(2026, 3, 2, tzinfo=UTC),
        actor_id=7,
        action="view",
        subject_type="escalation_queue",
        outcome="ok",
        detail={"cases": ["CS-2026-00012"]},
        prev_hash="",
        hash="",
    )
    said = describe(entry, PEOPLE, "vi")
    assert said.did == "Xem việc cần lãnh đạo xử lý, các hồ sơ CS-2026-00012"
