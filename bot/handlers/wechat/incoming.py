"""What a WeChat / WeCom push means: parsed messages and events turned into what the flows hear.

Text is cleaned of control characters (:func:`clean_text`); menu clicks become
commands; a QR scan with an invite code becomes ``/start <code>``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.messages.prompt import N_, Prompt

MENU_COMMANDS = {"talk": "/talk", "incident": "/incident", "help": "/help", "me": "/me", "due": "/due"}
"""Custom-menu click keys (``EventKey``) → the command they send to the flows."""

CHECKIN_HELP = N_(
    "The weekly check-in comes to this chat as a question with numbered answers. "
    "Reply with the number of your answer, for example 1."
)

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(value: str | None) -> str:
    """User text without control characters: C0/C1 controls and DEL dropped, tabs → spaces, CRLF → newline.

    Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) are
    dropped too: they can make a note read differently to the teacher who gets
    it. Emoji (with their joiners and variation selectors) are kept.
    """
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(
        ch for ch in value
        if ch == "\n" or (unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS)
    )


@dataclass(frozen=True)
class Incoming:
    """One parsed message or event, as the callback handles it.

    Attributes:
        account_id: OpenID (Official Account) or UserID (WeCom) of the sender.
        dedupe_key: ``m:<account>:<sender>:<MsgId>`` (two people's messages may carry
            the same MsgId), or ``e:<sender>:<CreateTime>:<Event>:<EventKey>`` for events.
        text: what to pass to the engine, or None when the engine is not called.
        prompt: a fixed answer given without the engine (menu "checkin"), or None.
        unfollow: the person unfollowed the account.
        media_id, media_kind, media_format: an image (``photo``) or voice
            message to fetch before the engine is called (a letter, a reply).
    """

    account_id: str
    dedupe_key: str
    text: str | None = None
    prompt: Prompt | None = None
    unfollow: bool = False
    media_id: str | None = None
    media_kind: str | None = None
    media_format: str | None = None


def _key(*parts: Any) -> str:
    key = ":".join("" if p is None else str(p) for p in parts)
    return key if len(key) <= 200 else "h:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def to_incoming(message: Any) -> Incoming | None:
    """Turn a wechatpy message or event into an :class:`Incoming`; None for events we ignore.

    * text → its text, cleaned (:func:`clean_text`);
    * voice with WeChat's transcript (``Recognition``) → the transcript as text;
    * image and voice → their ``MediaId`` to fetch (letters and replies; a
      family's voice note otherwise goes to the class teacher as it is);
    * other messages (location, video …) → empty text: the engine says
      it did not understand;
    * subscribe with ``qrscene_<code>`` and SCAN with ``<code>`` (a parametric
      QR code whose scene is an invite code) → ``/start <code>``; plain
      subscribe (also following a WeCom app) → ``/start`` (greeting);
    * unsubscribe → ``unfollow``;
    * menu click → :data:`MENU_COMMANDS`, ``checkin`` → :data:`CHECKIN_HELP`;
    * other events (VIEW, LOCATION, enter_agent …) → None.
    """
    data: dict[str, Any] = getattr(message, "_data", {}) or {}
    source = str(data.get("FromUserName") or "")
    if not source:
        return None
    if data.get("MsgType", "").lower() != "event":
        # The dedupe key is (account, sender, MsgId): a MsgId is only unique per sender (issue 6, item 6).
        account = f"{data.get('ToUserName') or ''}/{data.get('AgentID') or ''}"
        msg_id = data.get("MsgId") or data.get("MsgID") or f"t{data.get('CreateTime')}"
        key = _key("m", account, source, msg_id)
        heard = clean_text(data.get("Recognition")).strip() if message.type == "voice" else ""
        if heard:  # WeChat's own speech recognition is the reply when it has one (issue 6.4); else the voice note
            return Incoming(source, key, text=heard)
        text = clean_text(data.get("Content")) if message.type == "text" else ""
        if message.type in ("image", "voice") and data.get("MediaId"):
            return Incoming(source, key, text=text, media_id=str(data["MediaId"]),
                            media_kind="photo" if message.type == "image" else "voice",
                            media_format=str(data.get("Format") or "") or None)
        return Incoming(source, key, text=text)
    event = str(data.get("Event") or "").lower()
    event_key = str(data.get("EventKey") or "")
    key = _key("e", source, data.get("CreateTime"), event, event_key)
    if event in ("subscribe_scan", "scan"):
        code = clean_text(event_key).strip()
        return Incoming(source, key, text=f"/start {code}" if code else "/start")
    if event == "subscribe":
        return Incoming(source, key, text="/start")
    if event == "unsubscribe":
        return Incoming(source, key, unfollow=True)
    if event == "click":
        if event_key == "checkin":
            return Incoming(source, key, prompt=Prompt(CHECKIN_HELP))
        command = MENU_COMMANDS.get(event_key)
        return Incoming(source, key, text=command) if command else None
    return None
