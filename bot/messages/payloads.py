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
``close:<incident>:<f|h>``         close from a family's all clear: the outcome (found, safe at
                                   home) chosen already, only the confirmation asked
``inc:<incident>``                 show an incident's timeline (:class:`IncidentView`)
``excl:<incident>``                leave a person out of an incident's chain
                                   (:class:`IncidentExclude`)
``readm:<incident>``               let a person left out back in (:class:`IncidentReadmit`)
``pg:<task>:<d|p|n>``              a programme reminder answered: done, postpone, not this year
                                   (:class:`ProgrammeAnswer`)
``nw:`` ``fc:`` ``fl:`` ``mt:`` ``ma:`` ``lr:``  the family link's (:mod:`bot.messages.family_payloads`)
``bc:<account>:<epoch>:<y|n>``     an admin confirms or refuses a chat account waiting
                                   for the school (:class:`BindingDecision`); ``epoch``
                                   is the binding's time, so a button outlives no rebinding
``fam:<message>``                  answer a family's message passed on to the teacher
                                   (:class:`FamilyReply`)
``me:unlink``                      ``/me``'s optional "remove a linked account" (:class:`UnlinkMenu`)
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

from bot.messages import family_payloads
from bot.messages.family_payloads import (  # noqa: F401 - the family link's payloads, re-exported
    FAMILY_PAYLOADS,
    CallDecision,
    CallLog,
    LetterReplyStart,
    MeetingAttendance,
    MeetingReply,
    NewsReview,
    call_decision,
    call_log,
    letter_reply,
    meeting_attendance,
    meeting_reply,
    news_review,
)
from bot.messages.payload_ids import MAX_ID
from bot.messages.payload_ids import check_id as _id
from bot.messages.payload_ids import decode_id as _decode_id
from bot.messages.prompt import MAX_PAYLOAD_BYTES

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
    """``close:<incident>[:<f|h>]``: close an incident (reporter or school admin).

    ``outcome``: the ``IncidentOutcome`` value an all clear chose already (found, safe at home), else None.
    """

    incident_id: int
    outcome: str | None = None


CLOSE_OUTCOMES = {"f": "found", "h": "safe_at_home"}
"""The outcomes a close button of an all clear may carry, by their code."""
_CLOSE_CODE_OF = {value: code for code, value in CLOSE_OUTCOMES.items()}


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


@dataclass(frozen=True)
class IncidentReadmit:
    """``readm:<incident>``: let someone left out of the incident back in (:mod:`bot.flows.incident_readmit`)."""

    incident_id: int


PROGRAMME_CODES: dict[str, str] = {"d": "done", "p": "postpone", "n": "skip"}
"""One-letter codes of the answers to a programme reminder."""


@dataclass(frozen=True)
class ProgrammeAnswer:
    """``pg:<task>:<d|p|n>``: a programme reminder answered; ``answer`` is ``done``, ``postpone`` or ``skip``."""

    task_id: int
    answer: str


@dataclass(frozen=True)
class FamilyReply:
    """``fam:<message>``: the teacher answers a guardian's or parent's message (``family_messages``)."""

    message_id: int


@dataclass(frozen=True)
class UnlinkMenu:
    """``me:unlink``: "Remove a linked account" under ``/me`` (an optional action, not a question that waits)."""


BINDING_PAYLOADS = (BindingDecision, UnlinkMenu)
"""Answered by :func:`bot.flows.bindings.on_button`."""

UNLINK_MENU = "me:unlink"


Payload = (FlowChoice | CheckinPress | CheckinSkip | IncidentAck | IncidentClose | IncidentView | IncidentExclude
           | IncidentReadmit | ProgrammeAnswer | BindingDecision | FamilyReply | UnlinkMenu
           | family_payloads.FamilyPayload)
"""What :func:`decode` returns for a well-formed payload."""


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


def incident_close(incident_id: int, outcome: str | None = None) -> str:
    """``close:<incident>``, or ``close:<incident>:<f|h>`` with the outcome chosen already (an all clear).

    Raises:
        ValueError: bad id, or an outcome no close button carries.
    """
    if outcome is None:
        return f"close:{_id(incident_id, 'incident_id')}"
    code = _CLOSE_CODE_OF.get(str(outcome))
    if code is None:
        raise ValueError(f"no close button carries the outcome {outcome!r}")
    return f"close:{_id(incident_id, 'incident_id')}:{code}"


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


def incident_readmit(incident_id: int) -> str:
    """``readm:<incident>``.

    Raises:
        ValueError: bad id.
    """
    return f"readm:{_id(incident_id, 'incident_id')}"


_INCIDENT_PAYLOADS: dict[str, type[IncidentAck | IncidentClose | IncidentView | IncidentExclude | IncidentReadmit]] = {
    "ack": IncidentAck, "close": IncidentClose, "inc": IncidentView, "excl": IncidentExclude, "readm": IncidentReadmit,
}


def family_reply(message_id: int) -> str:
    """``fam:<message>``.

    Raises:
        ValueError: bad id.
    """
    return f"fam:{_id(message_id, 'message_id')}"


def programme_answer(task_id: int, code: str) -> str:
    """``pg:<task>:<d|p|n>``.

    Raises:
        ValueError: bad id or unknown code.
    """
    if code not in PROGRAMME_CODES:
        raise ValueError(f"unknown programme answer {code!r}")
    return f"pg:{_id(task_id, 'task_id')}:{code}"


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
    if kind == "close" and len(parts) == 2 and parts[1] in CLOSE_OUTCOMES:
        incident_id = _decode_id(parts[0])
        return IncidentClose(incident_id, CLOSE_OUTCOMES[parts[1]]) if incident_id is not None else None
    if kind in _INCIDENT_PAYLOADS and len(parts) == 1:
        incident_id = _decode_id(parts[0])
        if incident_id is None:
            return None
        return _INCIDENT_PAYLOADS[kind](incident_id)
    family = family_payloads.decode(kind, parts)
    if family is not None:
        return family
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
    if kind == "fam" and len(parts) == 1:
        message_id = _decode_id(parts[0])
        return FamilyReply(message_id) if message_id is not None else None
    if payload == UNLINK_MENU:
        return UnlinkMenu()
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
