"""A local double of the Telegram Bot API for end-to-end tests.

It listens on 127.0.0.1 (a free port) in a background thread and answers
the methods python-telegram-bot calls: getMe, getUpdates, sendMessage,
editMessageText, editMessageReplyMarkup, answerCallbackQuery,
setMyCommands, deleteWebhook, setWebhook, getWebhookInfo. Point PTB at it
with ``base_url=double.api_url`` (``http://127.0.0.1:<port>/bot``).

PTB posts its parameters form-encoded (each non-string value JSON-encoded);
JSON bodies are accepted too.

Tests inject updates (:meth:`BotApiDouble.inject_text`,
:meth:`BotApiDouble.inject_callback`) which ``getUpdates`` serves, and wait
for what the bot sent (:meth:`BotApiDouble.wait_sent`) on a condition
variable, never by sleeping. Chats can be scripted to fail
(:meth:`BotApiDouble.fail_chat`): 429 with ``retry_after``, 403 "bot was
blocked by the user", 400 "chat not found".

Strict mode (``BotApiDouble(strict=True)``) answers like Telegram at its
limits, measured at arrival: a message beyond 30 in any second overall, a
second message to one private chat within a second, or beyond 20 a minute to
one group gets 429 with ``retry_after`` (counted in ``flood_refusals``).
With ``kernel_stamps`` a message is stamped when the kernel received the
last of its bytes (``SO_TIMESTAMPNS``), as a platform on other machines would
stamp it, not when this process got round to it on a loaded machine.
``latency`` delays every answer (real-world calls take 100–300 ms);
:meth:`BotApiDouble.trickle_chat` makes the answers for one chat arrive one
byte every few seconds, a reply that never ends.
"""

from __future__ import annotations

import asyncio
import bisect
import collections
import functools
import io
import itertools
import json
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

BOT_ID = 7000000001
BOT_USERNAME = "guanai_test_bot"
TOKEN = "7000000001:TEST-double-token"
MAX_POLL_WAIT = 2.0
"""Longest a getUpdates call is held open (seconds), whatever its timeout asks."""

_FAILURES = {
    "flood": (429, "Too Many Requests: retry after {retry_after}"),
    "blocked": (403, "Forbidden: bot was blocked by the user"),
    "not_found": (400, "Bad Request: chat not found"),
    "deactivated": (400, "Bad Request: user is deactivated"),
    "rejected": (400, "Bad Request: BUTTON_DATA_INVALID"),
}


@dataclass
class SentMessage:
    """One message the bot sent (sendMessage) or edited.

    Attributes:
        method: ``sendMessage``, ``editMessageText`` …
        chat_id: as sent (int when numeric).
        text: message text (None for a keyboard-only edit).
        parse_mode: e.g. ``HTML``.
        reply_markup: the decoded ``reply_markup`` JSON, or None.
        message_id: id the double gave the message.
        at: when it arrived (``time.monotonic()``), for the benchmarks' latencies.
    """

    method: str
    chat_id: int | str | None
    text: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    message_id: int
    at: float = field(default_factory=time.monotonic)

    def buttons(self) -> list[list[tuple[str, str]]]:
        """The inline keyboard as rows of (label, callback_data)."""
        if not self.reply_markup:
            return []
        return [
            [(b["text"], b.get("callback_data", "")) for b in row]
            for row in self.reply_markup.get("inline_keyboard", [])
        ]


@dataclass
class _Failure:
    kind: str
    retry_after: int
    times: int | None  # None: forever


@dataclass
class BotApiDouble:
    """The double's state; :meth:`start` serves it, :meth:`close` stops it."""

    token: str = TOKEN
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    # Uploaded files: (method, chat_id, filename, bytes) of each sendDocument / sendPhoto.
    files: list[tuple[str, Any, str, bytes]] = field(default_factory=list)
    strict: bool = False
    latency: float = 0.0
    flood_refusals: int = 0
    # Strict mode: (arrival stamp, chat) of each refused message, to set beside the accepted ones' stamps.
    refused: list[tuple[float, Any]] = field(default_factory=list)
    # Strict mode: every message as the limits saw it, (stamp, chat, refused, request line read, body read),
    # all ``time.monotonic()``: where the double itself was late between the socket and its stamp.
    stamps: list[tuple[float, Any, bool, float, float]] = field(default_factory=list)
    kernel_stamps: bool = False

    def __post_init__(self) -> None:
        self._cond = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self.downloads: dict[str, bytes] = {}  # file_path → bytes of photos people send (getFile, the file URL)
        self._failures: dict[int | str, _Failure] = {}
        self._arrivals: collections.deque[float] = collections.deque()  # accepted messages, all chats
        self._chat_arrivals: dict[Any, collections.deque[float]] = {}
        self._trickle: dict[Any, float] = {}
        self._sent_cursor = 0  # every message before it was returned by a wait or take_sent
        self._returned: set[int] = set()  # indices from the cursor on that a wait for one chat returned
        self._closed = False
        self.down = False
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._reading = threading.local()  # this connection's thread: when its request line and body were read

    # ----------------------------------------------------------------- serving
    def start(self) -> BotApiDouble:
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 — http.server's naming
                self._serve()

            def do_GET(self) -> None:  # noqa: N802
                self._serve()

            def setup(self) -> None:
                super().setup()
                if double.kernel_stamps:  # read through recvmsg, keeping the kernel's receive time
                    self.connection.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
                    self.rfile = io.BufferedReader(_StampedSocket(self.connection, double._reading))

            def parse_request(self) -> bool:
                double._reading.line = time.monotonic()
                return super().parse_request()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                double._reading.body = time.monotonic()
                if double.down:
                    self.close_connection = True  # hang up without an answer: a network failure
                    return
                url = urlsplit(self.path)
                file_prefix = f"/file/bot{double.token}/"
                if unquote(url.path).startswith(file_prefix):  # a file download (getFile's file_path)
                    self._bytes(double.downloads.get(unquote(url.path)[len(file_prefix):]))
                    return
                prefix = f"/bot{double.token}/"
                if not url.path.startswith(prefix):
                    self._answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                params = _decode(self.headers.get("Content-Type", ""), body, url.query)
                method = url.path[len(prefix) :]
                status, payload = double._dispatch(method, params)
                if double.latency and method != "getUpdates":
                    time.sleep(double.latency)
                self._answer(status, payload, double._trickle.get(params.get("chat_id")))

            def _bytes(self, data: bytes | None) -> None:
                self.send_response(200 if data is not None else 404)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data or b"")))
                self.end_headers()
                self.wfile.write(data or b"")

            def _answer(self, status: int, payload: dict[str, Any], trickle: float | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    if trickle is None:
                        self.wfile.write(data)
                        return
                    for i in range(len(data)):  # one byte, then a pause: every read succeeds, the answer never ends
                        if double._closed:
                            return
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                        time.sleep(trickle)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up (a long poll cut short at shutdown): nothing to answer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if self.kernel_stamps:  # accepted connections inherit it: a request sent at once is stamped too
            self._server.socket.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="botapi-double", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the double first"
        return self._server.server_address[1]

    @property
    def api_url(self) -> str:
        """PTB ``base_url`` (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ------------------------------------------------------------- scripting
    def fail_chat(self, chat_id: int, kind: str, *, retry_after: int = 5, times: int | None = None) -> None:
        """Make sendMessage to ``chat_id`` fail.

        Args:
            kind: ``flood`` (429 with ``retry_after``), ``blocked`` (403 bot was
                blocked by the user), ``not_found`` (400 chat not found), ``deactivated``
                (400 user is deactivated) or ``rejected`` (400 about the message itself).
            times: how many calls fail; None = every call.
        """
        if kind not in _FAILURES:
            raise ValueError(kind)
        with self._cond:
            self._failures[chat_id] = _Failure(kind, retry_after, times)

    def trickle_chat(self, chat_id: int, seconds_per_byte: float = 2.0) -> None:
        """Answer calls for ``chat_id`` one byte every ``seconds_per_byte`` (the message itself is accepted)."""
        with self._cond:
            self._trickle[chat_id] = seconds_per_byte

    def go_down(self) -> None:
        """From now on hang up on every call without answering (PTB raises ``NetworkError``)."""
        self.down = True

    def queue_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (with an ``update_id``) for getUpdates; returns it."""
        with self._cond:
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def queue_updates(self, *updates: dict[str, Any]) -> None:
        """Queue several updates at once, so one ``getUpdates`` answer carries them all.

        Queuing the same update twice is how a redelivery looks to the bot: Telegram
        serves an update again until the bot confirms it with a higher offset.
        """
        with self._cond:
            self._updates.extend(updates)
            self._cond.notify_all()

    def text_update(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "zh-hans",
        first_name: str = "测试",
        reply_to: SentMessage | None = None,
    ) -> dict[str, Any]:
        """A ``message`` update with ``text`` from ``user_id`` (not queued).

        ``reply_to``: a message the bot sent, which this one answers with Telegram's
        "Reply" (``reply_to_message``: its text and inline keyboard, as the Bot API sends it).
        """
        chat = _chat(user_id if chat_id is None else chat_id, chat_type, first_name)
        quoted: dict[str, Any] = {}
        if reply_to is not None:
            quoted = {"reply_to_message": {
                "message_id": reply_to.message_id, "date": int(time.time()), "chat": chat,
                "from": _user(BOT_ID, "Guanai", None, is_bot=True), "text": reply_to.text or "",
                **({"reply_markup": reply_to.reply_markup} if reply_to.reply_markup else {}),
            }}
        return {
            "update_id": next(self._update_ids),
            "message": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": chat,
                "from": _user(user_id, first_name, language_code),
                "text": text,
                **_command_entities(text),
                **quoted,
            },
        }

    def callback_update(
        self,
        user_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        message_id: int = 1,
        language_code: str | None = "zh-hans",
        first_name: str = "测试",
    ) -> dict[str, Any]:
        """A ``callback_query`` update: ``user_id`` pressed a button carrying ``data`` (not queued)."""
        chat = _chat(user_id if chat_id is None else chat_id, chat_type, first_name)
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._callback_ids)),
                "from": _user(user_id, first_name, language_code),
                "chat_instance": f"ci{chat['id']}",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": chat,
                    "from": _user(BOT_ID, "Guanai", None, is_bot=True),
                    "text": "…",
                },
            },
        }

    def inject_text(self, user_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """Queue a text message from ``user_id`` for getUpdates (see :meth:`text_update`)."""
        return self.queue_update(self.text_update(user_id, text, **kwargs))

    def inject_callback(self, user_id: int, data: str, **kwargs: Any) -> dict[str, Any]:
        """Queue a button press from ``user_id`` for getUpdates (see :meth:`callback_update`)."""
        return self.queue_update(self.callback_update(user_id, data, **kwargs))

    # ---------------------------------------------------------------- waiting
    def wait_sent(self, n: int = 1, timeout: float = 10.0, *, chat_id: Any = None) -> list[SentMessage]:
        """Wait for the next ``n`` sent messages (after those already returned) and return them.

        With ``chat_id``, the next ``n`` to that chat only; messages to other chats stay for a later wait
        or :meth:`take_sent`. Where two senders run at once (a handler's reply and the outbox sender woken
        by the same commit), only the order within one chat is defined, not the order of arrival here.

        Raises:
            AssertionError: fewer than ``n`` arrived within ``timeout`` seconds.
        """
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self._unreturned(chat_id)) >= n, timeout=timeout)
            got = self._unreturned(chat_id)[:n]
            if not ok:
                raise AssertionError(f"expected {n} sent messages, got {len(got)}: {[m for _, m in got]!r}")
            self._returned.update(i for i, _ in got)
            while self._sent_cursor in self._returned:  # keep the cursor at the first message not yet returned
                self._returned.discard(self._sent_cursor)
                self._sent_cursor += 1
            return [m for _, m in got]

    def take_sent(self) -> list[SentMessage]:
        """Every sent message not yet returned by a wait, without waiting (e.g. to assert "nothing more")."""
        with self._cond:
            got = [m for _, m in self._unreturned(None)]
            self._sent_cursor = len(self.sent)
            self._returned.clear()
            return got

    async def next_sent(self, n: int = 1, within: float = 10.0, *, chat_id: Any = None) -> list[SentMessage]:
        """:meth:`wait_sent` for async tests: waits in a worker thread so the bot's loop keeps running."""
        return await asyncio.to_thread(functools.partial(self.wait_sent, n, within, chat_id=chat_id))

    def _unreturned(self, chat_id: Any) -> list[tuple[int, SentMessage]]:
        """(index, message) of the sent messages no wait has returned yet, to ``chat_id`` if given."""
        return [(i, m) for i, m in enumerate(self.sent[self._sent_cursor :], self._sent_cursor)
                if i not in self._returned and (chat_id is None or m.chat_id == chat_id)]

    def wait_call(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until ``method`` was called ``count`` times; return the parameters of those calls."""
        with self._cond:
            ok = self._cond.wait_for(
                lambda: sum(1 for m, _ in self.calls if m == method) >= count, timeout=timeout
            )
            found = [p for m, p in self.calls if m == method]
            if not ok:
                raise AssertionError(f"expected {count} {method} calls, got {len(found)}")
            return found

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        with self._cond:
            return [p for m, p in self.calls if m == method]

    # ---------------------------------------------------------------- methods
    def _dispatch(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._cond:
            self.calls.append((method, params))
            self._cond.notify_all()
        if method == "getUpdates":
            return 200, _ok(self._get_updates(params))
        with self._cond:
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                return 404, {"ok": False, "error_code": 404, "description": f"Not Found: method {method}"}
            result = handler(params)
            self._cond.notify_all()
            return result

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), MAX_POLL_WAIT)
        with self._cond:
            if offset:
                # Bot API: an update is confirmed once getUpdates is called with a higher offset.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._cond.wait_for(lambda: self._closed or bool(self._updates), timeout=timeout)
            return list(self._updates[:limit])

    def _m_getMe(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        return 200, _ok(
            _user(BOT_ID, "Guanai", None, is_bot=True)
            | {"username": BOT_USERNAME, "can_join_groups": True, "can_read_all_group_messages": False,
               "supports_inline_queries": False}
        )

    def _failure_for(self, chat_id: Any) -> tuple[int, dict[str, Any]] | None:
        failure = self._failures.get(chat_id)
        if failure is None:
            return None
        if failure.times is not None:
            failure.times -= 1
            if failure.times <= 0:
                del self._failures[chat_id]
        status, description = _FAILURES[failure.kind]
        payload: dict[str, Any] = {
            "ok": False,
            "error_code": status,
            "description": description.format(retry_after=failure.retry_after),
        }
        if failure.kind == "flood":
            payload["parameters"] = {"retry_after": failure.retry_after}
        return status, payload

    def _record(self, method: str, params: dict[str, Any], message_id: int) -> SentMessage:
        sent = SentMessage(
            method=method,
            chat_id=params.get("chat_id"),
            text=params.get("text"),
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            message_id=message_id,
        )
        self.sent.append(sent)
        return sent

    def _message_json(self, sent: SentMessage) -> dict[str, Any]:
        chat_id = sent.chat_id if isinstance(sent.chat_id, int) else 0
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": _chat(chat_id, "private" if chat_id > 0 else "group", "测试"),
            "from": _user(BOT_ID, "Guanai", None, is_bot=True),
            "text": sent.text or "",
        }
        if sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        return message

    def _over_limits(self, chat_id: Any) -> tuple[int, dict[str, Any]] | None:
        """Strict mode: 429 for a message beyond Telegram's limits (measured at arrival), else record it."""
        if not self.strict:
            return None
        reading = self._reading
        now = reading.kernel if self.kernel_stamps and hasattr(reading, "kernel") else time.monotonic()
        reading.stamp = now
        group = isinstance(chat_id, int) and chat_id < 0
        window = 60.0 if group else 1.0
        most = 20 if group else 1
        overall = self._arrivals
        while overall and overall[0] <= now - 2.0:  # kernel stamps may come a little out of order
            overall.popleft()
        mine = self._chat_arrivals.setdefault(chat_id, collections.deque())
        while mine and mine[0] <= now - window - 1.0:
            mine.popleft()
        in_second = sum(1 for t in overall if now - 1.0 < t <= now)
        in_window = sum(1 for t in mine if now - window < t <= now)
        refused = in_second >= 30 or in_window >= most
        self.stamps.append((now, chat_id, refused, getattr(reading, "line", now), getattr(reading, "body", now)))
        if refused:
            self.flood_refusals += 1
            self.refused.append((now, chat_id))
            retry_after = max(1, int((mine[0] + window - now) if in_window >= most else 1) + 1)
            return 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry_after}",
                         "parameters": {"retry_after": retry_after}}
        bisect.insort(overall, now)
        bisect.insort(mine, now)
        return None

    def _m_sendMessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        failure = self._failure_for(params.get("chat_id"))
        if failure is not None:
            return failure
        flood = self._over_limits(params.get("chat_id"))
        if flood is not None:
            return flood
        text = params.get("text") or ""
        if not 1 <= len(text) <= 4096:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"
                         if text else "Bad Request: message text is empty"}
        if params.get("parse_mode") == "HTML" and (problem := _html_problem(text)):
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: can't parse entities: {problem}"}
        sent = self._record("sendMessage", params, next(self._message_ids))
        if self.strict and self.kernel_stamps:
            sent.at = self._reading.stamp
        return 200, _ok(self._message_json(sent))

    def _upload(self, method: str, field: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        failure = self._failure_for(params.get("chat_id"))
        if failure is not None:
            return failure
        upload = params.get(field)
        if not isinstance(upload, tuple):
            return 400, {"ok": False, "error_code": 400,
                         "description": f"Bad Request: there is no {field} in the request"}
        self.files.append((method, params.get("chat_id"), upload[0], upload[1]))
        sent = self._record(method, params, next(self._message_ids))
        return 200, _ok(self._message_json(sent))

    def _m_sendDocument(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        return self._upload("sendDocument", "document", params)

    def _m_sendPhoto(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        return self._upload("sendPhoto", "photo", params)

    def _m_sendVoice(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        return self._upload("sendVoice", "voice", params)

    def _m_getFile(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        file_id = str(params.get("file_id"))
        path = f"photos/{file_id}.jpg"
        if path not in self.downloads:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
        return 200, _ok({"file_id": file_id, "file_unique_id": f"u{file_id}",
                         "file_size": len(self.downloads[path]), "file_path": path})

    def photo_update(self, user_id: int, data: bytes, *, caption: str | None = None,
                     language_code: str | None = "zh-hans") -> dict[str, Any]:
        """A private ``message`` update with a photo of ``data`` (served by getFile and the file URL); not queued."""
        file_id = f"f{next(self._message_ids)}"
        self.downloads[f"photos/{file_id}.jpg"] = data
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": _chat(user_id, "private", "测试"), "from": _user(user_id, "测试", language_code),
            "photo": [{"file_id": f"{file_id}s", "file_unique_id": "small", "width": 90, "height": 120},
                      {"file_id": file_id, "file_unique_id": file_id, "width": 1200, "height": 1600,
                       "file_size": len(data)}],
        }
        if caption:
            message["caption"] = caption
        return {"update_id": next(self._update_ids), "message": message}

    def _m_editMessageText(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        sent = self._record("editMessageText", params, int(params.get("message_id") or 0))
        return 200, _ok(self._message_json(sent))

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        sent = self._record("editMessageReplyMarkup", params, int(params.get("message_id") or 0))
        return 200, _ok(self._message_json(sent))

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        return 200, _ok(True)

    def _m_setMyCommands(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        return 200, _ok(True)

    def _m_deleteWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        self.webhook_url = ""
        self.webhook_secret = None
        return 200, _ok(True)

    def _m_setWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        self.webhook_url = str(params.get("url") or "")
        self.webhook_secret = params.get("secret_token")
        return 200, _ok(True)

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:  # noqa: N802
        return 200, _ok({"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0})


SO_TIMESTAMPNS = 35
"""Linux: receive times with each ``recvmsg`` (``SCM_TIMESTAMPNS``, a ``timespec`` of ``CLOCK_REALTIME``)."""


class _StampedSocket(io.RawIOBase):
    """A connection's reads through ``recvmsg``: notes when the kernel received the last bytes read (monotonic)."""

    def __init__(self, sock: socket.socket, reading: threading.local) -> None:
        self._sock = sock
        self._reading = reading

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data, ancillary, _, _ = self._sock.recvmsg(len(buffer), socket.CMSG_SPACE(16))
        buffer[: len(data)] = data
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= 16:
                seconds, nanoseconds = struct.unpack("qq", value[:16])
                # From the wall clock to the monotonic one, read together (they do not drift within a call).
                self._reading.kernel = time.monotonic() - (time.time() - (seconds + nanoseconds / 1e9))
        return len(data)


def _ok(result: Any) -> dict[str, Any]:
    return {"ok": True, "result": result}


def _user(user_id: int, first_name: str, language_code: str | None, *, is_bot: bool = False) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    return user


def _chat(chat_id: int, chat_type: str, first_name: str) -> dict[str, Any]:
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": first_name}
    return {"id": chat_id, "type": chat_type, "title": "测试群"}


def _command_entities(text: str) -> dict[str, Any]:
    # Telegram marks a leading /command with a bot_command entity (length in UTF-16 units).
    if not text.startswith("/"):
        return {}
    command = text.split()[0]
    return {"entities": [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}]}


_TAG = re.compile(
    r"</?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|span|tg-spoiler|tg-emoji|blockquote)(\s[^<>]*)?>"
)
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def _html_problem(text: str) -> str | None:
    """Why Telegram's HTML parse mode would refuse ``text`` (a bare ``<`` or ``&``), or None."""
    for i, ch in enumerate(text):
        if ch == "<" and not _TAG.match(text, i):
            return f"unsupported start tag at byte offset {i}"
        if ch == "&" and not _ENTITY.match(text, i):
            return f"unsupported entity at byte offset {i}"
    return None


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Fields of a multipart upload (sendDocument, sendPhoto): a file becomes ``(filename, bytes)``."""
    import email.parser
    import email.policy

    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            params[str(name)] = (filename, data)
            continue
        value = data.decode()
        try:
            params[str(name)] = json.loads(value)
        except ValueError:
            params[str(name)] = value
    return params


def _decode(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """Parameters of a call: JSON body, multipart upload, or form/query fields whose values may be JSON-encoded."""
    if "json" in content_type and body:
        return json.loads(body)
    if content_type.startswith("multipart/form-data") and body:
        return _multipart(content_type, body)
    raw = dict(parse_qsl(query))
    if body:
        raw.update(parse_qsl(body.decode()))
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("text", "url", "secret_token", "parse_mode", "callback_query_id", "description"):
            params[key] = value  # PTB sends strings as they are
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params
