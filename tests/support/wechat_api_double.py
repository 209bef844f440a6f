"""A local double of the WeChat Official Account and WeCom server APIs, for the outgoing side's tests.

It listens on 127.0.0.1 (a free port) in a background thread and answers:

* ``GET /cgi-bin/token?grant_type=client_credential&appid=&secret=`` (WeChat)
  and ``GET /cgi-bin/gettoken?corpid=&corpsecret=`` (WeCom): a new token
  ``tok-<n>`` valid ``expires_in`` 7200 s; a wrong app id / secret gets 40013 / 40001;
* ``POST /cgi-bin/message/custom/send``, ``/cgi-bin/message/template/send``,
  ``/cgi-bin/message/send`` (WeCom), ``/cgi-bin/menu/create``,
  ``/cgi-bin/qrcode/create`` (answers a ``ticket`` ``gQH<n>+/tk==``, with ``+ / =``
  so callers must URL-encode it, and the ``expire_seconds`` asked for): 40001 unless
  ``access_token`` is the newest token issued (:meth:`WeChatApiDouble.expire_tokens`
  makes it refuse the current one, as WeChat does when a token was revoked);
  otherwise ``errcode`` 0, or the errcode scripted with :meth:`fail`.

Point the settings at it: ``wechat_api_url=double.url``, ``wecom_api_url=double.url``.
Every request is recorded (:attr:`requests`), so tests see token fetches too.
"""

from __future__ import annotations

import email.policy
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

APP_ID = "wx-test-app"
APP_SECRET = "wx-test-secret"
CORP_ID = "ww-test-corp"
CORP_SECRET = "ww-test-secret"
AGENT_ID = "1000002"
ERRMSG = {
    40001: "invalid credential, access_token is invalid or not latest",
    40003: "invalid openid",
    40013: "invalid appid",
    42001: "access_token expired",
    43004: "require subscribe",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    60111: "invalid string value `userid`. userid not found",
    81013: "user & party & tag all invalid",
}


@dataclass
class Request:
    """One request the double received.

    Attributes:
        method: ``GET`` / ``POST``; path: e.g. ``/cgi-bin/message/custom/send``.
        query: decoded query parameters; body: the decoded JSON body (POST) or None.
        ok: the double answered errcode 0.
        at: when it arrived (``time.monotonic()``), for the pacing tests.
    """

    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any] | None
    ok: bool = False  # answered with errcode 0
    at: float = field(default_factory=time.monotonic)


@dataclass
class WeChatApiDouble:
    """The API double; ``start()`` it, ``close()`` it."""

    requests: list[Request] = field(default_factory=list)
    token_delay: float = 0.0  # seconds a token request is held (to widen races in tests; never asserted)
    _failures: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _issued: int = 0
    _valid: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    media: dict[str, bytes] = field(default_factory=dict)  # media_id → bytes: uploads, and images people send

    def start(self) -> WeChatApiDouble:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 — http.server's naming
                parts = urlsplit(self.path)
                if parts.path == "/cgi-bin/media/get":  # a received image: bytes, or a JSON error
                    query = dict(parse_qsl(parts.query))
                    data = double.media.get(query.get("media_id", ""))
                    if data is not None and query.get("access_token") in double._valid:
                        double.requests.append(Request("GET", parts.path, query, None, ok=True))
                        self.send_response(200)
                        self.send_header("Content-Type", "image/jpeg")
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                        return
                self._serve(None)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if "multipart/form-data" in self.headers.get("Content-Type", ""):  # a media upload
                    self._serve({"_upload": _file_of(self.headers["Content-Type"], raw)})
                    return
                self._serve(json.loads(raw) if raw else {})

            def _serve(self, body: dict[str, Any] | None) -> None:
                parts = urlsplit(self.path)
                request = Request(self.command, parts.path, dict(parse_qsl(parts.query)), body)
                payload = double._dispatch(request)
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        """The API base URL (``http://127.0.0.1:<port>``)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- scripting and inspection ---

    def fail(self, path: str, touser: str, *errcodes: int) -> None:
        """Answer the next calls of ``path`` for ``touser`` with these errcodes, one each.

        ``touser`` is ``""`` for calls whose body names nobody (menu, QR code).
        """
        with self._lock:
            self._failures.setdefault((path, touser), []).extend(errcodes)

    def expire_tokens(self) -> None:
        """Refuse every token issued so far (42001 expired) until a new one is fetched."""
        with self._lock:
            self._valid.clear()

    def token_requests(self, path: str | None = None) -> list[Request]:
        """Requests for a token (both platforms, or only ``path``)."""
        paths = {path} if path else {"/cgi-bin/token", "/cgi-bin/gettoken"}
        return [r for r in self.requests if r.path in paths]

    def calls(self, path: str) -> list[Request]:
        """Accepted and refused POSTs to ``path``."""
        return [r for r in self.requests if r.path == path and r.method == "POST"]

    def delivered(self, path: str) -> list[dict[str, Any]]:
        """Bodies of the POSTs to ``path`` that were answered with errcode 0."""
        return [r.body for r in self.requests if r.path == path and r.ok and r.body is not None]

    # --- the API ---

    def _issue(self) -> dict[str, Any]:
        if self.token_delay:
            time.sleep(self.token_delay)
        with self._lock:
            self._issued += 1
            token = f"tok-{self._issued}"
            self._valid = {token}  # a new token replaces the old ones
        return {"access_token": token, "expires_in": 7200}

    def _dispatch(self, request: Request) -> dict[str, Any]:
        with self._lock:
            self.requests.append(request)
        q = request.query
        if request.path == "/cgi-bin/token":
            if q.get("grant_type") != "client_credential" or q.get("appid") != APP_ID:
                return _err(40013)
            return self._issue() if q.get("secret") == APP_SECRET else _err(40001)
        if request.path == "/cgi-bin/gettoken":
            if q.get("corpid") != CORP_ID or q.get("corpsecret") != CORP_SECRET:
                return _err(40001)
            return self._issue()
        if request.method != "POST":
            return _err(40001)
        with self._lock:
            if q.get("access_token") not in self._valid:
                return _err(42001 if q.get("access_token", "").startswith("tok-") else 40001)
            touser = str((request.body or {}).get("touser", ""))
            queue = self._failures.get((request.path, touser))
            if queue:
                return _err(queue.pop(0))
        request.ok = True
        if request.path == "/cgi-bin/media/upload":
            media_id = f"M{len(self.requests)}"
            self.media[media_id] = (request.body or {}).get("_upload") or b""
            return {"type": q.get("type"), "media_id": media_id, "created_at": 1700000000}
        if request.path == "/cgi-bin/message/template/send":
            return {"errcode": 0, "errmsg": "ok", "msgid": len(self.requests)}
        if request.path == "/cgi-bin/qrcode/create":
            n = len(self.requests)
            return {"ticket": f"gQH{n}+/tk==", "expire_seconds": (request.body or {}).get("expire_seconds"),
                    "url": f"http://weixin.qq.com/q/{n}"}
        return {"errcode": 0, "errmsg": "ok"}


def _file_of(content_type: str, body: bytes) -> bytes:
    """The ``media`` file of a multipart upload."""
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "media":
            return part.get_payload(decode=True) or b""
    return b""


def _err(code: int) -> dict[str, Any]:
    return {"errcode": code, "errmsg": ERRMSG.get(code, "error")}
