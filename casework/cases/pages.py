"""The case pages: the list, one case (deadlines, tasks, history, what may be done now),
the forms of each workflow event, and the printable plan and decision (Mẫu 04, Mẫu 05)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
