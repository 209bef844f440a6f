"""One question at a time per chat: the pure rules of a chat's agenda (DESIGN.md "Conversations").

A chat's agenda is the ordered list of the questions waiting in it. Its first
entry is the *current* question, the one most recently shown: a typed number
or word answers that one and nothing else, and every message numbers its own
choices from 1. The other entries wait and are asked again, one at a time and
with their context named, once the current one is answered or set aside;
urgent ones (an incident alert) first.

Entries are JSON dicts, stored with the conversation (``conversations.data``):

``{"kind": "flow"}``
    the running flow's question (the flow keeps its own prompt and values).
``{"kind": "saved", "flow": …, "state": …, "data": {…}}``
    a flow set aside because the person answered something else first
    (an incident alert during a talk); it is resumed when its turn comes.
``{"kind": "offer", "prompt": {…}, "urgent": bool, "required": bool}``
    a question shown outside a flow: a check-in, an incident alert, a
    programme reminder (``required``: it waits for an answer and is asked
    again), or an optional offer such as a "Close incident" button (forgotten
    once another question is shown).

Every entry has a ``key`` (one per question: a reminder of a check-in is the
same question as the check-in) and ``at``, when it was last shown or queued.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.messages import payloads

Entry = dict[str, Any]

FLOW_KEY = "flow"
EXPIRES = timedelta(days=7)
"""A question nobody answered within a week is dropped from the agenda (the check-in of the next week replaces it)."""

HOLD = timedelta(hours=6)
"""How long an unanswered current question keeps a new non-urgent one waiting. After that the person has moved
on: the new question is shown, and the old one waits behind it."""

TALK_IDLE = timedelta(minutes=45)
"""How long a flow in progress (a talk half done) with no answer keeps a new non-urgent question waiting (fix6ac).

A talk card is a few taps; a flow left unanswered this long was walked away from. 45 minutes is one primary-school
lesson (40 minutes, with the few minutes back to the phone): a teacher called to her class mid-talk still finds
the talk in front when the lesson ends, while a grandfather's message never waits behind a forgotten talk for
days, as it did when a flow held every non-urgent question however long (fix6w). After it, the new question is
shown, numbered, and the flow is kept behind it where it stood: it comes back once the question is answered
(or at once with ``取消``), and the chat is told so (:mod:`bot.services.conversations`). Questions already
waiting behind the flow then come through too (:mod:`bot.flows.idle_flow`).
"""

# Optional actions offered with a message; every other question waits for an answer (an alert, a check-in,
# a programme reminder, a meeting invitation …) and is asked again in its turn.
_OPTIONAL = (payloads.IncidentClose, payloads.IncidentView, payloads.IncidentExclude, payloads.CheckinSkip,
             payloads.LetterReplyStart, payloads.UnlinkMenu)
_URGENT = (payloads.IncidentAck,)


def offer_key(choice_payloads: list[str]) -> str:
    """The identity of a question shown outside a flow: its answers (a reminder repeats them, so it is the same)."""
    return "offer:" + "|".join(sorted(choice_payloads))


def is_required(choice_payloads: list[str]) -> bool:
    """Whether the question waits for an answer (an alert, a check-in …) rather than offering an optional action."""
    return any(not isinstance(payloads.decode(p), _OPTIONAL) for p in choice_payloads)


def is_urgent(choice_payloads: list[str]) -> bool:
    """Whether the question comes before every other (an incident alert's acknowledgement)."""
    return any(isinstance(payloads.decode(p), _URGENT) for p in choice_payloads)


def offer(prompt: dict[str, Any], choice_payloads: list[str], now: datetime, *, urgent: bool | None = None) -> Entry:
    """A new ``offer`` entry for a prompt (``Prompt.to_dict()``) with these answers."""
    return {"kind": "offer", "key": offer_key(choice_payloads), "prompt": prompt, "payloads": list(choice_payloads),
            "urgent": is_urgent(choice_payloads) if urgent is None else urgent,
            "required": is_required(choice_payloads), "at": now.isoformat()}


def flow_entry(now: datetime) -> Entry:
    """The running flow's question."""
    return {"kind": "flow", "key": FLOW_KEY, "urgent": False, "required": True, "at": now.isoformat()}


def saved_entry(flow: str, state: str | None, data: dict[str, Any], now: datetime, serial: int) -> Entry:
    """A flow set aside with its state and values."""
    return {"kind": "saved", "key": f"saved:{serial}", "flow": flow, "state": state, "data": data,
            "urgent": False, "required": True, "at": now.isoformat()}


def current(agenda: list[Entry]) -> Entry | None:
    """The question a typed number or word answers: the one most recently shown (None when nothing waits)."""
    return agenda[0] if agenda else None


def tidy(agenda: list[Entry], now: datetime) -> list[Entry]:
    """The agenda without expired questions (older than :data:`EXPIRES`)."""
    return [e for e in agenda if e.get("kind") == "flow" or datetime.fromisoformat(e["at"]) > now - EXPIRES]


def remove(agenda: list[Entry], key: str) -> list[Entry]:
    """The agenda without the question ``key`` (answered or set aside)."""
    return [e for e in agenda if e["key"] != key]


def show(agenda: list[Entry], entry: Entry) -> list[Entry]:
    """``entry`` was just shown: it becomes the current question.

    The question it replaces on top waits behind it when it still needs an
    answer; an optional offer is forgotten (its buttons still work on channels
    that have buttons, numbers no longer reach it).
    """
    rest = remove(agenda, entry["key"])
    if rest and not rest[0].get("required") and not rest[0].get("queued"):
        # (A queued one — the chain's urgent "not reached in time" behind a talk — was never asked: it waits for
        # the flow to end and is asked then, not lost at the flow's next question: fix6q.)
        rest = rest[1:]
    return [entry, *rest]


def arrives(agenda: list[Entry], entry: Entry, now: datetime) -> tuple[list[Entry], bool]:
    """A question sent without being asked for (the outbox): shown now, or queued behind the current one.

    It is shown now (and becomes current) when it is urgent and the current
    question is not urgent as well, when nothing else waits for an answer,
    when it is the current question again (a reminder), or when the current
    question, not a flow in progress, has waited longer than :data:`HOLD`. Otherwise a question waiting
    for an answer joins the end of the queue (:func:`next_up` takes urgent ones
    first); an optional offer is not kept (its message is sent without
    choices). A second urgent question (two alerts, two 【紧急】 messages)
    never takes the place of the urgent one shown: only one is the question
    a typed word answers, and the second is asked, named, right after it.
    A later word about the same incident (the chain's "nobody acknowledged"
    summary with its Close) is shown on top of that incident's alert, and a
    family's all clear with its Close on top of that family's earlier reply to
    the alert (``incidents``: the incident a relayed reply is about), which
    is asked again after it. An
    emergency (``emergency``: a family's 【紧急】 message) is shown on top of an
    urgent question that is none (a family's reply to an alert, relayed to its
    reporter): ``救命`` typed after ``好的`` never waits behind ``好的``. A
    family's words with their Reply that are no emergency wait behind a flow
    in progress however urgent their row (only an alert comes before a talk),
    unless they answer an emergency still open (``open_emergency``, fix6at).

    Returns:
        The new agenda and whether the question is shown now.
    """
    top = current(agenda)
    behind_urgent = (top is not None and bool(top.get("urgent")) and top.get("kind") == "offer"
                     and not _about(top) & _incidents(entry)
                     and not (entry.get("emergency") and not _is_emergency(top)))
    # An urgent notice that only offers an action (the chain's "not reached in time" with its Close) never takes
    # the numbers of a question waiting for an answer: her 1 is for 杨婷's report in progress (fix6o), or for the
    # Reply to a grandfather's message on screen, or a check-in, not "close 杨秀云's incident" (fix6p). It comes
    # without numbers and is asked, numbered, in its turn (urgent first).
    notice_in_flow = (top is not None and bool(top.get("required")) and not entry.get("required")
                      and not entry.get("emergency"))
    # A family's words sent URGENT (a grandfather's reply to an alert, relayed to its reporter) are no alert: they
    # never take the numbers of a talk in progress (her 1 for 学习=好 opened the Reply, her 好 went to him: fix6y).
    # They come without numbers, and are asked, numbered, first once the flow is done. A reply to an emergency
    # still open (``open_emergency``) does come first: the flow is set aside and asked again after it (fix6at).
    words_in_flow = (top is not None and top.get("kind") == "flow" and _is_family_words(entry)
                     and not _is_emergency(entry) and not entry.get("open_emergency"))
    if ((entry.get("urgent") and not behind_urgent and not notice_in_flow and not words_in_flow) or top is None
            or not top.get("required")
            or top["key"] == entry["key"] or is_stale(top, now)):
        return show(agenda, entry), True
    rest = remove(agenda, entry["key"])
    if notice_in_flow and entry.get("urgent"):  # kept, urgent: asked, numbered, once the flow is done
        return [*rest, {**entry, "queued": True}], False
    # ``queued``: sent without its choices, not yet asked (a reply to the question shown does not answer it).
    return ([*rest, {**entry, "queued": True}] if entry.get("required") else rest), False


def is_stale(entry: Entry, now: datetime) -> bool:
    """Whether a question has waited longer than :data:`HOLD` since it was last shown (a flow: :data:`TALK_IDLE`).

    A flow the person started (a talk half done) holds a non-urgent question while she is at it; left unanswered
    :data:`TALK_IDLE`, it is set aside behind the new question, kept where it stood (fix6ac; fix6w held it
    however long, and a grandfather's message waited days behind a forgotten talk).
    """
    held = TALK_IDLE if entry.get("kind") == "flow" else HOLD
    return datetime.fromisoformat(entry["at"]) <= now - held


def _is_emergency(entry: Entry) -> bool:
    """An incident alert, or a question marked ``emergency`` (a family's 【紧急】 message)."""
    return bool(entry.get("emergency")) or is_urgent(entry.get("payloads") or [])


def _is_family_words(entry: Entry) -> bool:
    """A family's message with its Reply (a reply to an alert relayed to the teacher, an all clear)."""
    return any(isinstance(payloads.decode(p), payloads.FamilyReply) for p in entry.get("payloads") or ())


def _incidents(entry: Entry) -> set[int]:
    """The incidents a question's answers are about (an alert's acknowledgement, a summary's Close)."""
    found = (getattr(payloads.decode(raw), "incident_id", None) for raw in entry.get("payloads") or ())
    return {i for i in found if isinstance(i, int)}


def _about(entry: Entry) -> set[int]:
    """The incidents a question is about: its answers' (:func:`_incidents`), or a relayed reply's ``incidents``."""
    return _incidents(entry) | {i for i in entry.get("incidents") or () if isinstance(i, int)}


def next_up(agenda: list[Entry]) -> list[Entry]:
    """The agenda with the question to ask next on top: the first urgent one waiting, else the longest waiting.

    Called when the current question was answered or set aside.
    """
    for i, entry in enumerate(agenda):
        if entry.get("urgent"):
            return [entry, *agenda[:i], *agenda[i + 1:]]
    return list(agenda)


def touch(entry: Entry, now: datetime) -> Entry:
    """``entry`` shown again at ``now`` (asked with its choices: no longer only queued)."""
    return {**{k: v for k, v in entry.items() if k != "queued"}, "at": now.isoformat()}


def queued_payloads(agenda: list[Entry]) -> set[str]:
    """The answers of the questions sent without their choices and not asked yet (a second alert)."""
    return {p for e in agenda if e.get("queued") for p in e.get("payloads") or ()}
