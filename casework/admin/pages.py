"""Administration: the commune's people and agencies."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
