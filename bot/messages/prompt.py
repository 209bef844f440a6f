"""What flows and services say: message ids with parameters and choices, never rendered text.

A :class:`Prompt` is channel-agnostic and JSON-serialisable, so it can wait in
the outbox and be rendered later in the recipient's locale and zone. Handlers
render it: Telegram as text with an inline keyboard, WeChat and the console as
text with numbered choices. Its :class:`PromptKind` names what the message is
(a check-in, an incident alert, a reminder …), so a channel can treat kinds
differently (WeChat picks the template message by kind) without reading the
text.

Parameter values are JSON primitives, or typed values made with :func:`dt`,
:func:`day`, :func:`month`, :func:`duration`, :func:`msg`, :func:`nmsg`, :func:`phone` and :func:`text`,
resolved at render time by ``bot.i18n.render``.

A message about a count ("1 child", "2 children") has plural forms: :func:`plural`
gives its ``(message id, params)`` for a prompt or a line, :func:`nmsg` nests one
as a parameter. The renderer picks the form with gettext's ``ngettext`` by the
catalog's Plural-Forms (English two, Chinese one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

MAX_PAYLOAD_BYTES = 64
"""Telegram's ``callback_data`` limit (Bot API ``InlineKeyboardButton``: 1–64 bytes)."""


class PromptKind(StrEnum):
    """What a message is, for channels that treat kinds differently (stored with the prompt).

    WeChat sends a message outside its 48-hour window only as a template
    message, and the template is chosen by kind (``bot.handlers.wechat``).
    """

    CHECKIN = "checkin"  # the weekly check-in question to a guardian
    CHECKIN_REMINDER = "checkin_reminder"  # the one reminder of an unanswered check-in
    INCIDENT_ALERT = "incident_alert"  # an alert of the contact chain, with the acknowledge button
    INCIDENT_REMINDER = "incident_reminder"  # a reminder to acknowledge an alert
    INCIDENT_NOTICE = "incident_notice"  # to staff: someone was not reached / has nobody on record (close button)
    DIGEST = "digest"  # a teacher's daily list of talks due
    TASK = "task"  # work handed to a person: phone a guardian, a help request, a note added to it
    NOTICE = "notice"  # anything else said without being asked (acknowledged, closed, forwarded)
    ACCOUNT_NOTICE = "account_notice"  # to one chat account about its own binding: it was unlinked


def N_(message: str) -> str:
    """Mark a message id for extraction (``pybabel extract -k N_``); returns it unchanged."""
    return message


def dt(value: datetime) -> dict[str, str]:
    """A datetime parameter (aware), shown in the recipient's locale and school zone."""
    if value.tzinfo is None:
        raise ValueError("naive datetime in a prompt parameter")
    return {"$t": "datetime", "v": value.astimezone(UTC).isoformat()}


def day(value: date) -> dict[str, str]:
    """A calendar date parameter."""
    return {"$t": "date", "v": value.isoformat()}


def month(period: str) -> dict[str, str]:
    """A month parameter from a period ``2026-11``, shown as ``2026年11月`` / ``November 2026``."""
    return {"$t": "month", "v": period}


def duration(seconds: float) -> dict[str, Any]:
    """A duration parameter in seconds, formatted with Babel (``30 minutes`` / ``30分钟``)."""
    return {"$t": "duration", "v": float(seconds)}


def msg(message_id: str, **params: Any) -> dict[str, Any]:
    """A nested message id (an enum label, a role name), translated for the recipient."""
    return {"$t": "msg", "v": message_id, "p": params}


PLURAL = "$plural"
"""The parameter holding a plural message's English plural id and its count (``{"pl": …, "n": …}``)."""


def plural(singular: str, plural_id: str, n: int, **params: Any) -> tuple[str, dict[str, Any]]:
    """A count message as ``(message id, params)``: ``plural("{count} child", "{count} children", n, count=n)``.

    Extracted as ``ngettext`` (keyword ``plural:1,2``); the form is chosen for ``n`` at render time.
    """
    return singular, {**params, PLURAL: {"pl": plural_id, "n": int(n)}}


def nmsg(singular: str, plural_id: str, n: int, **params: Any) -> dict[str, Any]:
    """A nested count message (:func:`plural`) as a parameter of another message."""
    message_id, values = plural(singular, plural_id, n, **params)
    return msg(message_id, **values)


def phone(e164: str) -> dict[str, str]:
    """A phone number stored as E.164, shown the way the recipient dials it (``138 0013 6956``)."""
    return {"$t": "phone", "v": e164}


def text(value: str) -> dict[str, str]:
    """User-written text (names, notes): shown as is, escaped by the channel."""
    return {"$t": "text", "v": value}


@dataclass(frozen=True)
class Choice:
    """One answer the person can pick.

    Attributes:
        label: message id of the button label.
        payload: what comes back when picked; at most 64 bytes UTF-8 (Telegram
            ``callback_data`` limit, Bot API ``InlineKeyboardButton``).
        params: parameters of the label.
        typed: picked only by its button or its words, never by a number: an
            irreversible answer (closing an incident, DESIGN.md "Conversations").
            Channels without buttons show it as the words to type and number
            only the other choices.
    """

    label: str
    payload: str
    params: dict[str, Any] = field(default_factory=dict)
    typed: bool = False

    def __post_init__(self) -> None:
        """Refuse a payload Telegram would refuse.

        Raises:
            ValueError: the payload is over :data:`MAX_PAYLOAD_BYTES` bytes of UTF-8.
        """
        if len(self.payload.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError("choice payload over Telegram's 64-byte callback_data limit")

    def to_dict(self) -> dict[str, Any]:
        """The choice as JSON-serialisable data (see :meth:`from_dict`)."""
        data: dict[str, Any] = {"label": self.label, "payload": self.payload, "params": self.params}
        if self.typed:
            data["typed"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Choice:
        """A choice from :meth:`to_dict` data."""
        return cls(label=data["label"], payload=data["payload"], params=data.get("params") or {},
                   typed=bool(data.get("typed")))


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply: an export (xlsx) or a chart (png).

    Attachments go with direct replies only and are never stored in the
    outbox (:meth:`Prompt.to_dict` leaves them out). Channels that can send
    files (Telegram, the console) send them after the prompt's text; the
    flows tell WeChat users where to get the file instead.

    Attributes:
        filename: the file's name as the person sees it (``花名册.xlsx``).
        data: the file's bytes.
        mime: its media type (``image/png`` is sent as a photo).
    """

    filename: str
    data: bytes = field(repr=False)
    mime: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    @property
    def is_image(self) -> bool:
        """Whether channels show it as a picture."""
        return self.mime.startswith("image/")


@dataclass(frozen=True)
class Prompt:
    """One message: a message id, its parameters and optional choices.

    Attributes:
        message_id: gettext msgid (English source text with ``{name}`` fields).
        params: values for the fields (see module doc).
        choices: answers offered as buttons or numbered replies.
        lines: further message ids appended as lines (each ``(msgid, params)``),
            for lists such as "children still due".
        first_number: the number of the first choice on channels that show
            numbered choices (console, WeChat). Questions waiting side by side
            (an incident alert and a check-in) get distinct numbers, so "1"
            can only mean one of them; set when the message is sent, never stored.
        kind: what the message is (:class:`PromptKind` value), or None for a
            reply in a conversation. Stored with the prompt.
        media: photos or voice messages sent before the text, as
            ``(kind, ref)`` pairs (``photo`` / ``voice``; refs of the media
            store): a child's letter, a parent's reply.
        attachment: a file sent after the text (replies only, never stored).
    """

    message_id: str
    params: dict[str, Any] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    lines: tuple[tuple[str, dict[str, Any]], ...] = ()
    first_number: int = 1
    kind: str | None = None
    media: tuple[tuple[str, str], ...] = ()
    attachment: Attachment | None = None

    def to_dict(self) -> dict[str, Any]:
        """The prompt as JSON-serialisable data, as the outbox stores it (``first_number`` is not kept)."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "params": self.params,
            "choices": [c.to_dict() for c in self.choices],
            "lines": [[m, p] for m, p in self.lines],
            "kind": self.kind,
        }
        if self.media:
            data["media"] = [[k, r] for k, r in self.media]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Prompt:
        """A prompt from :meth:`to_dict` data (rows written before ``kind`` existed have none)."""
        return cls(
            message_id=data["message_id"],
            params=data.get("params") or {},
            choices=tuple(Choice.from_dict(c) for c in data.get("choices") or ()),
            lines=tuple((m, p) for m, p in data.get("lines") or ()),
            kind=data.get("kind"),
            media=tuple((str(k), str(r)) for k, r in data.get("media") or ()),
        )
