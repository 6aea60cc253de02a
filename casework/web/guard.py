"""What no request may carry, refused at the door before any route reads it.

- A body larger than ``CASEWORK_MAX_BODY_BYTES`` answers 413, whether it declares its length
  or comes chunked without ``Content-Length``: it is read up to the limit and no further.
  The app enforces this itself; a reverse proxy in front may be stricter.
- A JSON body that is not UTF-8 (RFC 8259) or is nested deeper than
  ``CASEWORK_MAX_JSON_DEPTH`` answers 422 saying so, instead of the parser's generic failure.
- Text no database column can hold (a NUL character, half of a UTF-16 surrogate pair) in a
  JSON value or key, a form field or the query answers 422 naming the field; in the path
  it answers 404, as no record has such a name. Every route is covered, whatever its
  parameters' types.

Everything else (syntax errors, field rules) is left to the routes' own validation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casework.errors import FieldError, respond

Loc = tuple[str | int, ...]


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_json_depth: int,
        uploads: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_json_depth = max_json_depth
        # Paths that take a file (a spreadsheet to import), with their own larger limit.
        self.uploads = uploads or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.uploads.get(scope.get("path", ""), self.max_body_bytes)
        refusal = _url_problem(scope)
        if refusal is None and _declared_length(scope) > limit:
            refusal = self._too_large(limit)
        if refusal is not None:
            await _refuse(scope, receive, send, *refusal)
            return
        body = await self._read(receive, limit)
        if body is None:  # the client went away
            return
        if len(body) > limit:
            await _refuse(scope, receive, send, *self._too_large(limit))
            return
        refusal = self._body_problem(scope, body)
        if refusal is not None:
            await _refuse(scope, receive, send, *refusal)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive, limit: int) -> bytes | None:
        """The whole body, or as soon as it passes the limit, what came so far (one byte
        over is enough to refuse it)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > limit or not message.get("more_body", False):
                return b"".join(chunks)

    def _too_large(self, limit: int) -> tuple[int, FieldError]:
        return 413, FieldError((), "body_too_large", {"limit": _size(limit)})

    def _body_problem(self, scope: Scope, body: bytes) -> tuple[int, FieldError] | None:
        if not body:
            return None
        kind = _content_type(scope)
        if kind == "application/x-www-form-urlencoded":
            text = body.decode("latin-1")  # percent-escaped: the fields are decoded below
            return _text_problem(_form_fields(text), source="body")
        if kind and kind != "application/json" and not kind.endswith("+json"):
            return None  # FastAPI reads a body without a Content-Type as JSON, so do we
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return 422, FieldError((), "body_not_utf8", {"position": exc.start})
        try:
            value = json.loads(text)
        except RecursionError:
            return 422, FieldError((), "json_too_deep", {"limit": self.max_json_depth})
        except ValueError:
            return None  # broken JSON: the route's validation names it (json_invalid)
        deepest = _depth(value, self.max_json_depth)
        if deepest > self.max_json_depth:
            return 422, FieldError((), "json_too_deep", {"limit": self.max_json_depth})
        return _text_problem(_json_strings(value), source="body")


def _content_type(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.decode("latin-1").split(";")[0].strip().lower()
    return ""


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0  # the server refuses a malformed length before we see it
    return 0


def _url_problem(scope: Scope) -> tuple[int, FieldError] | None:
    if _unstorable(scope.get("path", "")):  # the server has decoded it
        return 404, FieldError((), "not_found")
    query = scope.get("query_string", b"").decode("latin-1")
    return _text_problem(_form_fields(query), source="query")


def _form_fields(text: str) -> Iterator[tuple[Loc, str]]:
    for name, value in parse_qsl(text, keep_blank_values=True):
        yield (name,), name
        yield (name,), value


def _json_strings(value: Any) -> Iterator[tuple[Loc, str]]:
    """Every key and string in a parsed JSON value, with where it is."""
    stack: list[tuple[Loc, Any]] = [((), value)]
    while stack:
        loc, item = stack.pop()
        if isinstance(item, str):
            yield loc, item
        elif isinstance(item, dict):
            for key, inner in item.items():
                yield (*loc, key), key
                stack.append(((*loc, key), inner))
        elif isinstance(item, list):
            stack.extend(((*loc, index), inner) for index, inner in enumerate(item))


def _depth(value: Any, limit: int) -> int:
    """How deeply ``value`` nests (a scalar is 0), counting no further than ``limit + 1``."""
    deepest = 0
    stack: list[tuple[int, Any]] = [(0, value)]
    while stack:
        depth, item = stack.pop()
        if isinstance(item, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            inner = item.values() if isinstance(item, dict) else item
            stack.extend((depth, each) for each in inner)
    return deepest


def _unstorable(text: str) -> bool:
    """NUL, which PostgreSQL's text refuses, or a lone surrogate, which is not UTF-8."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _text_problem(
    texts: Iterator[tuple[Loc, str]], *, source: str
) -> tuple[int, FieldError] | None:
    for loc, text in texts:
        if _unstorable(text):
            return 422, FieldError(loc, "text_unstorable", source=source)
    return None


def _size(count: int) -> str:
    if count >= 1_048_576:
        return f"{count / 1_048_576:g} MiB"
    return f"{count / 1024:g} KiB"


async def _refuse(
    scope: Scope, receive: Receive, send: Send, status: int, error: FieldError
) -> None:
    response = respond(Request(scope, receive), status, [error])
    await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then whatever the server says next (a disconnect)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
