"""The family link's button payloads (issue 8, items 4–7), decoded through :func:`bot.messages.payloads.decode`.

=================================  =======================================================
``nw:<news>``                      review a monthly news draft (:class:`NewsReview`)
``fc:<call>:<y|n>``                confirm or decline a family call asked for (:class:`CallDecision`)
``fl:<call>:<h|n>``                record a family call: held, or did not happen (:class:`CallLog`)
``mt:<meeting>:<y|n>``             an invitee will come to a meeting, or not (:class:`MeetingReply`)
``ma:<meeting>``                   the organiser records who came (:class:`MeetingAttendance`)
``lr:<letter>``                    a parent replies to a child's letter (:class:`LetterReplyStart`)
=================================  =======================================================

Like every payload: decoding never raises (anything malformed is None), and
encoding refuses an id that could not be decoded again.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.messages.payload_ids import check_id, decode_id


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


@dataclass(frozen=True)
class MeetingReply:
    """``mt:<meeting>:<y|n>``: an invitee's one-tap answer."""

    meeting_id: int
    yes: bool


@dataclass(frozen=True)
class MeetingAttendance:
    """``ma:<meeting>``: the organiser records who came."""

    meeting_id: int


@dataclass(frozen=True)
class LetterReplyStart:
    """``lr:<letter>``: a parent starts a reply to a child's letter."""

    letter_id: int


FamilyPayload = NewsReview | CallDecision | CallLog | MeetingReply | MeetingAttendance | LetterReplyStart
FAMILY_PAYLOADS = (NewsReview, CallDecision, CallLog, MeetingReply, MeetingAttendance, LetterReplyStart)
"""The family link's buttons, handled by ``bot.flows.family``."""


def news_review(news_id: int) -> str:
    """``nw:<news>``.

    Raises:
        ValueError: bad id.
    """
    return f"nw:{check_id(news_id, 'news_id')}"


def call_decision(call_id: int, *, confirm: bool) -> str:
    """``fc:<call>:<y|n>``.

    Raises:
        ValueError: bad id.
    """
    return f"fc:{check_id(call_id, 'call_id')}:{'y' if confirm else 'n'}"


def call_log(call_id: int, *, held: bool) -> str:
    """``fl:<call>:<h|n>``.

    Raises:
        ValueError: bad id.
    """
    return f"fl:{check_id(call_id, 'call_id')}:{'h' if held else 'n'}"


def meeting_reply(meeting_id: int, *, yes: bool) -> str:
    """``mt:<meeting>:<y|n>``.

    Raises:
        ValueError: bad id.
    """
    return f"mt:{check_id(meeting_id, 'meeting_id')}:{'y' if yes else 'n'}"


def meeting_attendance(meeting_id: int) -> str:
    """``ma:<meeting>``.

    Raises:
        ValueError: bad id.
    """
    return f"ma:{check_id(meeting_id, 'meeting_id')}"


def letter_reply(letter_id: int) -> str:
    """``lr:<letter>``.

    Raises:
        ValueError: bad id.
    """
    return f"lr:{check_id(letter_id, 'letter_id')}"


_SINGLE: dict[str, type[NewsReview | MeetingAttendance | LetterReplyStart]] = {
    "nw": NewsReview, "ma": MeetingAttendance, "lr": LetterReplyStart,
}
_FLAGS = {"fc": ("y", "n"), "fl": ("h", "n"), "mt": ("y", "n")}


def decode(kind: str, parts: list[str]) -> FamilyPayload | None:
    """The family payload ``kind:parts…``, or None when it is not a well-formed one."""
    if kind in _SINGLE and len(parts) == 1:
        one = decode_id(parts[0])
        return _SINGLE[kind](one) if one is not None else None
    if kind in _FLAGS and len(parts) == 2 and parts[1] in _FLAGS[kind]:
        found = decode_id(parts[0])
        if found is None:
            return None
        flag = parts[1] == _FLAGS[kind][0]
        if kind == "fc":
            return CallDecision(found, flag)
        return CallLog(found, flag) if kind == "fl" else MeetingReply(found, flag)
    return None
