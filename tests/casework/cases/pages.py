"""A logged-in browser for the case pages' tests: GET a page, post a form as fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient


@dataclass
class Browser:
    client: TestClient
    world: Any
    browser_for: Any

    def headers(self, who: str, place: str = "own") -> dict[str, str]:
        user = getattr(self.world, place).people[who]
        return self.browser_for(user) | {"Accept": "text/html"}

    def get(self, who: str, path: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self.client.get(path, headers=self.headers(who), follow_redirects=False, **kwargs)

    def post(self, who: str, path: str, fields: dict[str, str] | list[tuple[str, str]]):  # type: ignore[no-untyped-def]
        return self.client.post(
            path, data=fields, headers=self.headers(who), follow_redirects=False
        )

    def fire(self, who: str, code: str, event: str, **fields: str):  # type: ignore[no-untyped-def]
        """Post an event's form as a person would: the fields they typed, the version seen."""
        return self.post(who, f"/ho-so/{code}/su-kien/{event}", fields)
