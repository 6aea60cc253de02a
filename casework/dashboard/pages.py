"""Trang của tôi: what is due for this person, by role."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
