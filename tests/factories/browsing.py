"""A logged-in browser for page tests: ``browser(client, browser_for, user).get(path)``.

Each request carries the person's session cookie and CSRF token and leaves no cookie
behind, so one test can act as several people in turn; redirects are not followed, so a
test sees the 303 of Post/Redirect/Get.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from casework.accounts.models import User


class Browser:
    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers | {"Accept": "text/html"}

    def get(self, path: str, **params: Any):  # type: ignore[no-untyped-def]
        try:
            return self.client.get(
                path, params=params or None, headers=self.headers, follow_redirects=False
            )
        finally:
            self.client.cookies.clear()

    def post(self, path: str, data: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
        try:
            return self.client.post(
                path, data=data or {}, headers=self.headers, follow_redirects=False
            )
        finally:
            self.client.cookies.clear()


def browser(
    client: TestClient, browser_for: Callable[[User], dict[str, str]], user: User
) -> Browser:
    return Browser(client, browser_for(user))
