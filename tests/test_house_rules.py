"""House rules that a grep can keep (STYLE.md R5, R10; ARCHITECTURE: no create_all)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_DIRS = ("casework", "workflows", "notifications")


def _sources():
    for folder in APP_DIRS:
        yield from (ROOT / folder).rglob("*.py")


def _offenders(pattern: str, *, allowed: set[str] = frozenset()) -> list[str]:
    regex = re.compile(pattern)
    found = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        if rel in allowed:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if regex.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    return found


ENTRY_POINTS = re.compile(r"(^|/)(cli|views|tasks|worker)\.py$")


def test_only_entry_points_commit_and_only_through_the_unit_of_work():
    commits = _offenders(r"\.commit\(", allowed={"casework/db.py"})
    misplaced = [
        hit
        for hit in commits
        if "uow.commit()" not in hit or not ENTRY_POINTS.search(hit.split(":", 1)[0])
    ]
    assert misplaced == []


def test_the_application_never_creates_tables_itself():
    assert _offenders(r"create_all\(") == []


def test_no_naive_or_hidden_clock_in_application_code():
    assert (
        _offenders(r"datetime\.(utcnow|now)\(|date\.today\(", allowed={"casework/clock.py"}) == []
    )
