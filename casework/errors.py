"""Errors people can act on: one shape for every failure, in Vietnamese and English.

Every error response is ``{"detail": [{"loc", "field", "type", "msg", "msg_vi", "msg_en"}]}``.
``msg`` is in the language the client asked for (``Accept-Language``; Vietnamese by
default). Payload problems answer 422 with one entry per field; business rules raise a
``CaseworkError`` subclass that carries its own status. No stack trace, SQL or internal
name ever reaches the client.

A browser asking for a page (``Accept: text/html``, outside ``/api/``) gets a friendly
Vietnamese page instead of JSON, and is sent to the login page when not logged in.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casework.base import Lang
from casework.messages import field_label, render
from casework.web.i18n import N_

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field; ``loc`` is the path inside the request body."""

    loc: tuple[str | int, ...]
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    source: str = "body"


class CaseworkError(Exception):
    """A business rule said no; subclasses set the HTTP status and a message code."""

    status_code = 400
    code = "error"

    def __init__(self, **params: Any) -> None:
        super().__init__(self.code)
        self.params = params

    def errors(self) -> list[FieldError]:
        return [FieldError(loc=(), code=self.code, params=self.params)]


class InvalidInput(CaseworkError):
    """Input that is well-formed but breaks a rule (age, dates, ids): 422 per field."""

    status_code = 422
    code = "invalid_input"

    def __init__(self, field_errors: Sequence[FieldError]) -> None:
        super().__init__()
        self.field_errors = list(field_errors)

    def errors(self) -> list[FieldError]:
        return self.field_errors


class NotFound(CaseworkError):
    status_code = 404
    code = "not_found"


class Conflict(CaseworkError):
    status_code = 409
    code = "conflict"


def _lang(request: Request) -> Lang:
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept.startswith("en") else "vi"


def describe(error: FieldError, lang: Lang) -> str:
    """The message for one error, in ``lang``, naming the field by its label."""
    return _entry(error, lang)["msg"]


def _entry(error: FieldError, lang: Lang) -> dict[str, Any]:
    path = ".".join(str(part) for part in error.loc if not isinstance(part, int)) or None
    labels = {language: field_label(path, language) for language in ("vi", "en")}
    msg_vi = render(error.code, "vi", label=labels["vi"], params=error.params)
    msg_en = render(error.code, "en", label=labels["en"], params=error.params)
    return {
        "loc": [error.source, *error.loc] if error.loc else [],
        "field": ".".join(str(part) for part in error.loc) or None,
        "type": error.code,
        "msg": msg_vi if lang == "vi" else msg_en,
        "msg_vi": msg_vi,
        "msg_en": msg_en,
    }


def error_body(request: Request, errors: Iterable[FieldError]) -> dict[str, Any]:
    """The error shape, for an answer that adds its own keys beside ``detail``."""
    lang = _lang(request)
    return {"detail": [_entry(error, lang) for error in errors]}


def error_response(
    request: Request, status_code: int, errors: Iterable[FieldError]
) -> JSONResponse:
    return JSONResponse(
        status_code=status_code,
        content=error_body(request, errors),
        headers={"Content-Language": _lang(request)},
    )


def from_pydantic(raw: dict[str, Any]) -> FieldError:
    loc = tuple(raw.get("loc", ()))
    source = "body"
    if loc and loc[0] in {"body", "query", "path", "header"}:
        source, loc = str(loc[0]), loc[1:]
    params = dict(raw.get("ctx") or {})
    params.setdefault("detail", raw.get("msg", ""))
    code = raw.get("type", "value_error")
    if code in {"too_short", "too_long"} and isinstance(raw.get("input"), str):
        code = f"string_{code}"  # a constraint applied after a validator loses its "string_"
    if code == "extra_forbidden" and loc:
        params["field_name"] = loc[-1]
    return FieldError(loc=loc, code=code, params=params, source=source)


def from_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def wants_page(request: Request) -> bool:
    """A browser asking for a page, not a client of the JSON API: by its Accept header,
    or as htmx (boosted links and forms send ``HX-Request`` and accept anything)."""
    if request.url.path.startswith("/api/"):
        return False
    return from_htmx(request) or "text/html" in request.headers.get("accept", "")


PAGE_TITLES = {
    401: N_("Cần đăng nhập"),
    403: N_("Không có quyền"),
    404: N_("Không tìm thấy"),
    413: N_("Nội dung gửi lên quá lớn"),
    500: N_("Có lỗi trong hệ thống"),
}
OTHER_PAGE_TITLE = N_("Yêu cầu không thực hiện được")


def page_response(request: Request, status_code: int, errors: Iterable[FieldError]) -> Response:
    """The friendly page for an error: what happened in the person's language, never a
    stack trace."""
    from casework.web import i18n
    from casework.web.pages import render

    if status_code == 401:
        from casework.accounts import resume

        kept = resume.login_page(request)  # a form sent after its session expired
        if kept is not None:
            return kept
        login = f"/dang-nhap?next={quote(request.url.path)}"
        if from_htmx(request):
            # A whole page, not the login form squeezed into the fragment htmx asked for.
            return Response(status_code=204, headers={"HX-Redirect": login})
        return RedirectResponse(login, status_code=303)
    lang = i18n.lang_of(request)
    messages = [describe(error, lang) for error in errors]
    title = i18n.gettext_for(request, PAGE_TITLES.get(status_code, OTHER_PAGE_TITLE))
    return render(
        request,
        "pages/error.html",
        {"status_code": status_code, "title": title, "messages": messages},
        actor=None,
        status_code=status_code,
    )


def respond(request: Request, status_code: int, errors: Iterable[FieldError]) -> Response:
    if wants_page(request):
        return page_response(request, status_code, errors)
    response = error_response(request, status_code, errors)
    if status_code == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Turn every refusal into the one error shape above (or its page, for browsers); the
    unexpected failures are ``UnexpectedErrors``'s."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [from_pydantic(e) for e in exc.errors()]
        if errors and all(error.source == "path" for error in errors):
            # /nhiem-vu/99999999999: no record can have that id, so none is found, exactly
            # as a missing or hidden one (the field is named; its value is not confirmed).
            return respond(
                request, 404, [FieldError(e.loc, "not_found", {}, "path") for e in errors]
            )
        return respond(request, 422, errors)

    @app.exception_handler(CaseworkError)
    async def _business(request: Request, exc: CaseworkError) -> Response:
        return respond(request, exc.status_code, exc.errors())

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return respond(request, exc.status_code, [FieldError((), code)])


class UnexpectedErrors:
    """An unexpected failure: logged once, answered with the error shape or page (500).

    Starlette's own handler for ``Exception`` re-raises after answering, so that the server
    logs it as well: a second traceback per error, and one carrying the exception's
    message, which may quote the data. This middleware (inside the session, so the error
    page has its layout) answers and stops there. A failure after the answer has started
    (a streamed export) can only be logged; the server then closes the connection.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            request = Request(scope, receive)
            # Where it failed, but not the exception's message: it may quote the data.
            log.error(
                "unhandled %s on %s %s\n%s",
                type(exc).__name__,
                request.method,
                request.url.path,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            if not started:
                response = respond(request, 500, [FieldError((), "internal_error")])
                await response(scope, receive, send)
