"""The web dashboard (issue 9, item 8): server-rendered Jinja pages on the same ASGI app, under ``/web``.

Routes:
    GET/POST /web/login/{token}: the one-time link sent in chat shows a
        button; pressing it (POST) signs in. Link previews only GET, so they
        never use the link up.
    GET/POST /web/totp: the school's staff give a TOTP code (and enrol the
        first time) before anything else; the fifth wrong code ends the session.
    GET /web/: the figures with a chart (``?period=学期``).
    GET /web/children, GET/POST /web/children/{id}: the cards ``/card`` shows
        in full, corrected (each change recorded; reads and changes audited).
    GET /web/tasks, /web/incidents, /web/programme: the school's open tasks,
        incident timelines and the programme calendar.
    GET /web/exports, GET /web/exports/download?kind=…: the spreadsheets.
    POST /web/logout.

Every POST carries the session's CSRF token (and a foreign ``Origin`` is
refused); the session cookie is HttpOnly and SameSite=Strict (Secure over
HTTPS); pages are not cached and may not be framed. Officials see the
overview and the aggregate exports only. The data comes from a
:class:`Backend` (``bot.services.dashboard.DashboardService``, wired by
``bot.bootstrap``): this module only speaks HTTP.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.domain.roster_cells import FieldError, typed_text
from bot.i18n import gettext, normalise_locale

MAX_ID = 2**63 - 1
"""The largest id a database integer holds (PostgreSQL bigint, SQLite)."""
COOKIE = "guanai_session"
LOGIN_COOKIE = "guanai_login"  # the sign-in page's form token (double submit), for its POST only
TOO_MANY_CODES = ("Too many wrong codes: this sign-in has ended. Send /web in chat for a new sign-in link.")
LOCKED_UNTIL = ("Too many wrong codes have been given signing in as you, so signing in is locked until {until}. "
                "Then send /web in chat for a new sign-in link. If it was not you, tell the school's admin.")
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # the sign-in token is in the URL: never pass it on
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'",
}
FIELD_LABELS = {"address": "Address", "schooling": "Schooling", "health": "Health",
                "guardian_phone": "Guardian's phone"}


class Backend(Protocol):
    """What the dashboard needs (``bot.services.dashboard.DashboardService``); every call is synchronous."""

    def link_valid(self, token: str) -> bool: ...  # noqa: D102
    def redeem(self, token: str) -> str | None: ...  # noqa: D102
    def user(self, cookie: str) -> dict[str, Any] | None: ...  # noqa: D102
    def totp_setup(self, cookie: str) -> dict[str, str] | None: ...  # noqa: D102
    def verify_totp(self, cookie: str, code: str) -> bool | None: ...  # noqa: D102
    def totp_locked(self, cookie: str) -> dict[str, str] | None: ...  # noqa: D102
    def logout(self, cookie: str) -> None: ...  # noqa: D102
    def overview(self, cookie: str, period_text: str) -> dict[str, Any] | None: ...  # noqa: D102
    def children(self, cookie: str) -> list[dict[str, Any]] | None: ...  # noqa: D102
    def child(self, cookie: str, child_id: int) -> dict[str, Any] | None: ...  # noqa: D102
    def edit_child(self, cookie: str, child_id: int, values: dict[str, str]) -> list[str] | None: ...  # noqa: D102
    def tasks(self, cookie: str) -> list[dict[str, Any]] | None: ...  # noqa: D102
    def incidents(self, cookie: str) -> list[dict[str, Any]] | None: ...  # noqa: D102
    def programme(self, cookie: str) -> list[str] | None: ...  # noqa: D102
    def export_kinds(self, cookie: str) -> list[dict[str, str]] | None: ...  # noqa: D102
    def export(self, cookie: str, kind: str, period_text: str) -> tuple[str, bytes] | list[str] | str | None: ...  # noqa: D102


Handler = Callable[[Request], Awaitable[Response]]


def refused_text(locale: str, refused: FieldError) -> str:
    """The import's reason for a refused correction, for the field named (the template escapes it)."""
    reason = gettext(locale, refused.reason).format(**{k: str(v) for k, v in refused.params.items()})
    return gettext(locale, "{field}: {reason}. Nothing was changed.").format(
        field=gettext(locale, FIELD_LABELS[refused.field]), reason=reason)


def dashboard_routes(backend: Backend, *, default_locale: str = "zh_Hans", secure_cookie: bool = False) -> list[
        BaseRoute]:
    """The ``/web`` routes over ``backend``."""
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html"]))

    async def call(fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(fn, *args)

    def page(name: str, user: dict[str, Any] | None, status: int = 200, **values: Any) -> HTMLResponse:
        locale = normalise_locale(user["locale"] if user else None, default_locale)
        html = env.get_template(name).render(user=user, locale=locale, t=lambda s: gettext(locale, s), **values)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def message(user: dict[str, Any] | None, text: str, status: int, css: str = "note") -> HTMLResponse:
        locale = normalise_locale(user["locale"] if user else None, default_locale)
        return page("message.html", user, status, message=gettext(locale, text), css=css)

    def signed_out() -> HTMLResponse:
        return message(None, "You are not signed in, or your session has ended. Send /web (后台) to the bot in "
                             "chat for a sign-in link.", 401)

    async def signed_in(request: Request) -> tuple[str, dict[str, Any]] | Response:
        cookie = request.cookies.get(COOKIE, "")
        user = await call(backend.user, cookie) if cookie else None
        if user is None:
            return signed_out()
        if user["needs_totp"] and request.url.path != "/web/totp":
            return RedirectResponse("/web/totp", status_code=303, headers=HEADERS)
        return cookie, user

    async def form_checked(request: Request, user: dict[str, Any]) -> dict[str, str] | Response:
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
            return message(user, "Your session is not valid for this form. Please reload the page and try again.",
                           403, "error")
        form = await request.form()
        # Typed text is cleaned here, as the import cleans its cells: a NUL in a card would break the exports.
        values = {k: typed_text(v) for k, v in form.items() if isinstance(v, str)}
        if not hmac.compare_digest(values.get("csrf", ""), user["csrf"]):
            return message(user, "Your session is not valid for this form. Please reload the page and try again.",
                           403, "error")
        return values

    def not_found(user: dict[str, Any]) -> HTMLResponse:
        return message(user, "Not found, or not yours to see.", 404, "error")

    async def login(request: Request) -> Response:
        token = request.path_params["token"]
        if request.method == "GET":
            if not await call(backend.link_valid, token):
                return message(None, "This sign-in link has expired or was used already. Send /web in chat for a "
                                     "new one.", 410, "error")
            # Login CSRF (break9): the button's form carries a token that must match this page's cookie, so
            # another site cannot post someone's link (or its own) from a visitor's browser.
            shown = page("login.html", None, csrf=(form_token := secrets.token_urlsafe(24)))
            shown.set_cookie(LOGIN_COOKIE, form_token, httponly=True, samesite="strict", secure=secure_cookie,
                             path="/web/login", max_age=15 * 60)
            return shown
        origin = request.headers.get("origin")
        typed = (await request.form()).get("csrf")
        if (origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", "")) or not (
                isinstance(typed, str) and typed
                and hmac.compare_digest(typed.encode(), request.cookies.get(LOGIN_COOKIE, "").encode())):
            return message(None, "Your session is not valid for this form. Please reload the page and try again.",
                           403, "error")
        cookie = await call(backend.redeem, token)
        if cookie is None:
            return message(None, "This sign-in link has expired or was used already. Send /web in chat for a new "
                                 "one.", 410, "error")
        response = RedirectResponse("/web/", status_code=303, headers=HEADERS)
        response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict", secure=secure_cookie, path="/web")
        response.delete_cookie(LOGIN_COOKIE, path="/web/login")
        return response

    async def locked(cookie: str) -> HTMLResponse | None:
        """The lock's end (fix9i) for the holder of a session of the locked person; None when not locked."""
        lock = await call(backend.totp_locked, cookie) if cookie else None
        if lock is None:
            return None
        text = gettext(lock["locale"], LOCKED_UNTIL).format(until=lock["until"])
        shown = page("message.html", {"locale": lock["locale"], "needs_totp": True}, 403, message=text, css="error")
        shown.delete_cookie(COOKIE, path="/web")
        return shown

    async def totp(request: Request) -> Response:
        found = await signed_in(request)
        if isinstance(found, Response):
            return found
        cookie, user = found
        if not user["needs_totp"]:
            return RedirectResponse("/web/", status_code=303, headers=HEADERS)
        if (lock := await locked(cookie)) is not None:  # signed in again while locked: say until when at once
            await call(backend.logout, cookie)
            return lock
        wrong = False
        if request.method == "POST":
            values = await form_checked(request, user)
            if isinstance(values, Response):
                return values
            ok = await call(backend.verify_totp, cookie, values.get("code", ""))
            if ok:
                return RedirectResponse("/web/", status_code=303, headers=HEADERS)
            if await call(backend.user, cookie) is None:  # too many wrong codes: the session has ended
                if (lock := await locked(cookie)) is not None:  # locked now: until when, as the chat says
                    return lock
                ended = message(user, TOO_MANY_CODES, 403, "error")
                ended.delete_cookie(COOKIE, path="/web")
                return ended
            wrong = ok is False  # None: the code sent to the chat was right; the key is shown now
        setup = await call(backend.totp_setup, cookie)
        return page("totp.html", user, 200, setup=setup, wrong=wrong)

    async def logout(request: Request) -> Response:
        found = await signed_in(request)
        if isinstance(found, Response):
            return found
        cookie, user = found
        values = await form_checked(request, user)
        if isinstance(values, Response):
            return values
        await call(backend.logout, cookie)
        response = RedirectResponse("/web/signed-out", status_code=303, headers=HEADERS)
        response.delete_cookie(COOKIE, path="/web")
        return response

    async def signed_out_page(request: Request) -> Response:
        return signed_out()

    def view(body: Callable[[Request, str, dict[str, Any]], Awaitable[Response]]) -> Handler:
        async def handler(request: Request) -> Response:
            found = await signed_in(request)
            if isinstance(found, Response):
                return found
            return await body(request, *found)
        return handler

    async def overview(request: Request, cookie: str, user: dict[str, Any]) -> Response:
        period = request.query_params.get("period", "")
        data = await call(backend.overview, cookie, period)
        return page("overview.html", user, data=data, period_text=period) if data else not_found(user)

    async def children(request: Request, cookie: str, user: dict[str, Any]) -> Response:
        data = await call(backend.children, cookie)
        return page("children.html", user, children=data) if data is not None else not_found(user)

    async def child(request: Request, cookie: str, user: dict[str, Any]) -> Response:
        try:
            child_id = int(request.path_params["child_id"])
        except ValueError:
            return not_found(user)
        if not 0 < child_id <= MAX_ID:  # beyond a database integer: no such card (not an OverflowError)
            return not_found(user)
        saved: str | None = None
        error: str | None = None
        if request.method == "POST":
            values = await form_checked(request, user)
            if isinstance(values, Response):
                return values
            try:
                changed = await call(backend.edit_child, cookie, child_id, values)
            except FieldError as refused:  # the import's reason, for the field named: nothing was changed
                changed, error = [], refused_text(user["locale"], refused)
            if changed is None:
                return not_found(user)
            if error is None:
                sep = "、" if user["locale"] == "zh_Hans" else ", "
                saved = sep.join(gettext(user["locale"], FIELD_LABELS[f]) for f in changed)
        data = await call(backend.child, cookie, child_id)
        if data is None:
            return not_found(user)
        names = {k: gettext(user["locale"], v) for k, v in FIELD_LABELS.items()}
        return page("child.html", user, child=data, saved=saved, error=error, field_names=names)

    async def tasks(request: Request, cookie: str, user: dict[str, Any]) -> Response:
        data = await call(backend.tasks, cookie)
        return page("tasks.html", user, tasks=data) if data is not None else not_found(user)

    async def incidents(request: Request, cookie: str, user: dict[str, Any]) -> Response:
        data = await call(backend.incidents, cookie)
        return page("incidents.html", user, incidents=data) if data is not None else not_found(user)

    async def programme(request: Request, cookie: str, user: dict[str, Any]) -> Response:
        data = await call(backend.programme, cookie)
        if data is None:
            return not_found(user)
        return page("lines.html", user, heading=gettext(user["locale"], "Programme"), lines=data)

    async def exports(request: Request, cookie: str, user: dict[str, Any]) -> Response:
        kinds = await call(backend.export_kinds, cookie)
        return page("exports.html", user, kinds=kinds or [], problems=None)

    async def download(request: Request, cookie: str, user: dict[str, Any]) -> Response:
        made = await call(backend.export, cookie, request.query_params.get("kind", ""),
                          request.query_params.get("period", ""))
        if made is None:
            return not_found(user)
        if isinstance(made, str):  # nothing to download yet (no talk recorded): said, not an empty file
            kinds = await call(backend.export_kinds, cookie)
            return page("exports.html", user, kinds=kinds or [], problems=None, note=made)
        if isinstance(made, list):
            kinds = await call(backend.export_kinds, cookie)
            return page("exports.html", user, 409, kinds=kinds or [], problems=made)
        filename, data = made
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={**HEADERS, "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})

    return [
        Route("/web/login/{token}", login, methods=["GET", "POST"]),
        Route("/web/totp", totp, methods=["GET", "POST"]),
        Route("/web/logout", logout, methods=["POST"]),
        Route("/web/signed-out", signed_out_page, methods=["GET"]),
        Route("/web/", view(overview), methods=["GET"]),
        Route("/web/children", view(children), methods=["GET"]),
        Route("/web/children/{child_id}", view(child), methods=["GET", "POST"]),
        Route("/web/tasks", view(tasks), methods=["GET"]),
        Route("/web/incidents", view(incidents), methods=["GET"]),
        Route("/web/programme", view(programme), methods=["GET"]),
        Route("/web/exports", view(exports), methods=["GET"]),
        Route("/web/exports/download", view(download), methods=["GET"]),
    ]
