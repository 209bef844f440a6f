"""The one encoder and decoder of button payloads (Telegram ``callback_data``, WeChat numbered replies).

Every button the bot shows carries one of these payloads; what comes back is
decoded here and nowhere else:

=================================  =======================================================
``f:<version>:<value>``            an answer to the running conversation's question
                                   (:class:`FlowChoice`); ``version`` is the
                                   conversation's question counter, so an old button
                                   no longer matches
``ci:<checkin>:<g|s|h>``           a one-tap check-in answer (:class:`CheckinPress`)
``cin:<checkin>:skip``             "nothing to add" after a check-in answer (:class:`CheckinSkip`)
``ack:<incident>``                 acknowledge an incident alert (:class:`IncidentAck`)
``close:<incident>``               close an incident: asks for the outcome and a
                                   confirmation (:class:`IncidentClose`)
``inc:<incident>``                 show an incident's timeline (:class:`IncidentView`)
``excl:<incident>``                leave a person out of an incident's chain
                                   (:class:`IncidentExclude`)
``pg:<task>:<d|p|n>``              a programme reminder answered: done, postpone, not this year
                                   (:class:`ProgrammeAnswer`)
``nw:<news>``                       review a monthly news draft (:class:`NewsReview`)
``fc:<call>:<y|n>``                confirm or decline a family call asked for (:class:`CallDecision`)
``fl:<call>:<h|n>``                record a family call: held, or did not happen (:class:`CallLog`)
``bc:<account>:<epoch>:<y|n>``     an admin confirms or refuses a chat account waiting
                                   for the school (:class:`BindingDecision`); ``epoch``
                                   is the binding's time, so a button outlives no rebinding
=================================  =======================================================

A child picked from a list is the flow value ``c<child id>``
(:func:`child_value` / :func:`decode_child_value`).

Decoding never raises: anything malformed — a tampered or truncated button,
an id that is not a positive PostgreSQL ``integer`` (1 … 2 147 483 647, the
type of every id column), a version out of that range — decodes to None, and
the caller answers "that button is no longer valid". Encoding refuses what
could not be decoded again (``ValueError``), and every payload stays within
Telegram's 64 bytes (:data:`~bot.messages.prompt.MAX_PAYLOAD_BYTES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.messages.prompt import MAX_PAYLOAD_BYTES

MAX_ID = 2_147_483_647
"""Largest database id: PostgreSQL ``integer`` (the type of the ``id`` columns)."""

MAX_VERSION = MAX_ID
"""Largest conversation version (``conversations.version`` is an ``integer`` too)."""

FLOW_PREFIX = "f:"

CHECKIN_CODES: dict[str, str] = {"g": "good", "s": "so_so", "h": "needs_help"}
"""One-letter codes of the check-in answers → ``CheckinAnswer`` values (short payloads)."""

_CODE_OF = {answer: code for code, answer in CHECKIN_CODES.items()}
_NUMBER = re.compile(r"[0-9]{1,10}")  # ASCII digits only: str.isdigit() also takes "²"
_EPOCH = re.compile(r"[0-9]{1,11}")


@dataclass(frozen=True)
class FlowChoice:
    """``f:<version>:<value>``: an answer offered by the conversation's current question."""

    version: int
    value: str


@dataclass(frozen=True)
class CheckinPress:
    """``ci:<checkin>:<code>``: a one-tap check-in answer; ``answer`` is the ``CheckinAnswer`` value."""

    checkin_id: int
    answer: str


@dataclass(frozen=True)
class CheckinSkip:
    """``cin:<checkin>:skip``: no follow-up note for this check-in."""

    checkin_id: int


@dataclass(frozen=True)
class IncidentAck:
    """``ack:<incident>``: the person acknowledges an incident alert."""

    incident_id: int


@dataclass(frozen=True)
class IncidentClose:
    """``close:<incident>``: close an incident (reporter or school admin)."""

    incident_id: int


@dataclass(frozen=True)
class BindingDecision:
    """``bc:<account>:<epoch>:<y|n>``: confirm (or refuse) the chat account bound at ``epoch`` (Unix seconds)."""

    account_id: int
    epoch: int
    confirm: bool


@dataclass(frozen=True)
class IncidentView:
    """``inc:<incident>``: show the incident's timeline (from ``/due``)."""

    incident_id: int


@dataclass(frozen=True)
class IncidentExclude:
    """``excl:<incident>``: leave a named person out of the incident's chain (reporter or admin)."""

    incident_id: int


PROGRAMME_CODES: dict[str, str] = {"d": "done", "p": "postpone", "n": "skip"}
"""One-letter codes of the answers to a programme reminder."""


@dataclass(frozen=True)
class ProgrammeAnswer:
    """``pg:<task>:<d|p|n>``: a programme reminder answered; ``answer`` is ``done``, ``postpone`` or ``skip``."""

    task_id: int
    answer: str


@dataclass(frozen=True)
class NewsReview:
    """``nw:<news>``: the class teacher reviews a monthly news draft (and the others waiting after it)."""

    news_id: int


@dataclass(frozen=True)
class CallDecision:
    """``fc:<call>:<y|n>``: the room's keeper or class teacher confirms (or declines) a family call."""

    call_id: int
    confirm: bool


@dataclass(frozen=True)
class CallLog:
    """``fl:<call>:<h|n>``: the family call is recorded as held (or as not having happened)."""

    call_id: int
    held: bool


FAMILY_PAYLOADS = (NewsReview, CallDecision, CallLog)
"""The family link's buttons (issue 8, items 4–7), handled by ``bot.flows.family``."""

Payload = (FlowChoice | CheckinPress | CheckinSkip | IncidentAck | IncidentClose | IncidentView | IncidentExclude
           | ProgrammeAnswer | BindingDecision | NewsReview | CallDecision | CallLog)
"""What :func:`decode` returns for a well-formed payload."""


def _id(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValueError(f"{what} must be an id from 1 to {MAX_ID}")
    return value


def _fits(payload: str) -> str:
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"payload over {MAX_PAYLOAD_BYTES} bytes")
    return payload


def flow_choice(version: int, value: str) -> str:
    """``f:<version>:<value>`` for an option of the conversation's question.

    Raises:
        ValueError: version out of range, empty value, or over 64 bytes.
    """
    if isinstance(version, bool) or not 0 <= version <= MAX_VERSION:
        raise ValueError(f"version must be 0 to {MAX_VERSION}")
    if not value:
        raise ValueError("a flow choice needs a value")
    return _fits(f"{FLOW_PREFIX}{version}:{value}")


def checkin_answer(checkin_id: int, answer: str) -> str:
    """``ci:<checkin>:<g|s|h>`` for a ``CheckinAnswer`` value (``good``, ``so_so``, ``needs_help``).

    Raises:
        ValueError: bad id or unknown answer.
    """
    code = _CODE_OF.get(str(answer))
    if code is None:
        raise ValueError(f"unknown check-in answer {answer!r}")
    return f"ci:{_id(checkin_id, 'checkin_id')}:{code}"


def checkin_skip(checkin_id: int) -> str:
    """``cin:<checkin>:skip``.

    Raises:
        ValueError: bad id.
    """
    return f"cin:{_id(checkin_id, 'checkin_id')}:skip"


def incident_ack(incident_id: int) -> str:
    """``ack:<incident>``.

    Raises:
        ValueError: bad id.
    """
    return f"ack:{_id(incident_id, 'incident_id')}"


def incident_close(incident_id: int) -> str:
    """``close:<incident>``.

    Raises:
        ValueError: bad id.
    """
    return f"close:{_id(incident_id, 'incident_id')}"


def binding_decision(account_id: int, epoch: int, *, confirm: bool) -> str:
    """``bc:<account>:<epoch>:<y|n>``.

    Raises:
        ValueError: bad id or a negative / absurd epoch.
    """
    if isinstance(epoch, bool) or not isinstance(epoch, int) or not 0 <= epoch <= MAX_EPOCH:
        raise ValueError("epoch must be Unix seconds")
    return f"bc:{_id(account_id, 'account_id')}:{epoch}:{'y' if confirm else 'n'}"


MAX_EPOCH = 99_999_999_999
"""Largest binding time in a payload (Unix seconds; year 5138)."""


def incident_view(incident_id: int) -> str:
    """``inc:<incident>``.

    Raises:
        ValueError: bad id.
    """
    return f"inc:{_id(incident_id, 'incident_id')}"


def incident_exclude(incident_id: int) -> str:
    """``excl:<incident>``.

    Raises:
        ValueError: bad id.
    """
    return f"excl:{_id(incident_id, 'incident_id')}"


_INCIDENT_PAYLOADS: dict[str, type[IncidentAck | IncidentClose | IncidentView | IncidentExclude]] = {
    "ack": IncidentAck, "close": IncidentClose, "inc": IncidentView, "excl": IncidentExclude,
}
def news_review(news_id: int) -> str:
    """``nw:<news>``.

    Raises:
        ValueError: bad id.
    """
    return f"nw:{_id(news_id, 'news_id')}"


def call_decision(call_id: int, *, confirm: bool) -> str:
    """``fc:<call>:<y|n>``.

    Raises:
        ValueError: bad id.
    """
    return f"fc:{_id(call_id, 'call_id')}:{'y' if confirm else 'n'}"


def call_log(call_id: int, *, held: bool) -> str:
    """``fl:<call>:<h|n>``.

    Raises:
        ValueError: bad id.
    """
    return f"fl:{_id(call_id, 'call_id')}:{'h' if held else 'n'}"


def programme_answer(task_id: int, code: str) -> str:
    """``pg:<task>:<d|p|n>``.

    Raises:
        ValueError: bad id or unknown code.
    """
    if code not in PROGRAMME_CODES:
        raise ValueError(f"unknown programme answer {code!r}")
    return f"pg:{_id(task_id, 'task_id')}:{code}"


def _decode_id(text: str) -> int | None:
    if not _NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def decode(payload: str | None) -> Payload | None:
    """The typed value of a button payload, or None when it is not one the bot makes.

    Never raises: a payload over 64 bytes, an unknown prefix, a missing or
    extra part, an id outside 1 … :data:`MAX_ID`, a version outside
    0 … :data:`MAX_VERSION` or an unknown check-in code all give None.
    """
    if not isinstance(payload, str) or not payload or len(payload.encode()) > MAX_PAYLOAD_BYTES:
        return None
    kind, _, rest = payload.partition(":")
    if kind == "f":
        version, sep, value = rest.partition(":")
        if not sep or not value or not _NUMBER.fullmatch(version) or int(version) > MAX_VERSION:
            return None
        return FlowChoice(int(version), value)
    parts = rest.split(":")
    if kind in _INCIDENT_PAYLOADS and len(parts) == 1:
        incident_id = _decode_id(parts[0])
        if incident_id is None:
            return None
        return _INCIDENT_PAYLOADS[kind](incident_id)
    if kind == "nw" and len(parts) == 1:
        news_id = _decode_id(parts[0])
        return NewsReview(news_id) if news_id is not None else None
    if kind in ("fc", "fl") and len(parts) == 2 and parts[1] in ("y", "n", "h"):
        call_id = _decode_id(parts[0])
        if call_id is None or parts[1] == ("h" if kind == "fc" else "y"):
            return None
        return CallDecision(call_id, parts[1] == "y") if kind == "fc" else CallLog(call_id, parts[1] == "h")
    if kind == "ci" and len(parts) == 2 and parts[1] in CHECKIN_CODES:
        checkin_id = _decode_id(parts[0])
        return CheckinPress(checkin_id, CHECKIN_CODES[parts[1]]) if checkin_id is not None else None
    if kind == "pg" and len(parts) == 2 and parts[1] in PROGRAMME_CODES:
        task_id = _decode_id(parts[0])
        return ProgrammeAnswer(task_id, PROGRAMME_CODES[parts[1]]) if task_id is not None else None
    if kind == "bc" and len(parts) == 3 and parts[2] in ("y", "n"):
        account_id = _decode_id(parts[0])
        if account_id is None or not _EPOCH.fullmatch(parts[1]):
            return None
        return BindingDecision(account_id, int(parts[1]), parts[2] == "y")
    if kind == "cin" and len(parts) == 2 and parts[1] == "skip":
        checkin_id = _decode_id(parts[0])
        return CheckinSkip(checkin_id) if checkin_id is not None else None
    return None


def is_flow_choice(payload: str) -> bool:
    """Whether ``payload`` answers the running conversation's question (``f:…``), well-formed or not."""
    return payload.startswith(FLOW_PREFIX)


def child_value(child_id: int) -> str:
    """The flow value ``c<child id>`` of a child offered in a picker.

    Raises:
        ValueError: bad id.
    """
    return f"c{_id(child_id, 'child_id')}"


def decode_child_value(value: str) -> int | None:
    """The child id of a picker value ``c<child id>``, or None when malformed or out of range."""
    if not value.startswith("c"):
        return None
    return _decode_id(value[1:])
