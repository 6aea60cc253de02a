"""Nhiệm vụ của tôi: the tasks of the person's agency, to accept, decline or complete."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
