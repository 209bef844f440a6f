"""What flows and services say: message ids with parameters and choices, never rendered text.

A :class:`Prompt` is channel-agnostic and JSON-serialisable, so it can wait in
the outbox and be rendered later in the recipient's locale and zone. Handlers
render it: Telegram as text with an inline keyboard, WeChat and the console as
text with numbered choices.

Parameter values are JSON primitives, or typed values made with :func:`dt`,
:func:`day`, :func:`duration` and :func:`msg`, resolved at render time by
:func:`bot.i18n.render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any


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


def duration(seconds: float) -> dict[str, Any]:
    """A duration parameter in seconds, formatted with Babel (``30 minutes`` / ``30分钟``)."""
    return {"$t": "duration", "v": float(seconds)}


def msg(message_id: str, **params: Any) -> dict[str, Any]:
    """A nested message id (an enum label, a role name), translated for the recipient."""
    return {"$t": "msg", "v": message_id, "p": params}


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
    """

    label: str
    payload: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.payload.encode()) > 64:
            raise ValueError("choice payload over Telegram's 64-byte callback_data limit")

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "payload": self.payload, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Choice:
        return cls(label=data["label"], payload=data["payload"], params=data.get("params") or {})


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
    """

    message_id: str
    params: dict[str, Any] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    lines: tuple[tuple[str, dict[str, Any]], ...] = ()
    first_number: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "params": self.params,
            "choices": [c.to_dict() for c in self.choices],
            "lines": [[m, p] for m, p in self.lines],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Prompt:
        return cls(
            message_id=data["message_id"],
            params=data.get("params") or {},
            choices=tuple(Choice.from_dict(c) for c in data.get("choices") or ()),
            lines=tuple((m, p) for m, p in data.get("lines") or ()),
        )
