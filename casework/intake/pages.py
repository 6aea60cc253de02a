"""The intake page (Mẫu 01): a report about a child, with live duplicate suggestions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
