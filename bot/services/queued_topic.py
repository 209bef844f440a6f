"""What the question waiting in a chat is about, named when another question has to queue behind it.

"请先回答上面关于2026年12月9日 15:00的监护人会议的问题" tells a grandfather
which question his ``1`` answers; "my question before it" alone did not
(issue 6 trial, item 5).
"""

from __future__ import annotations

from typing import Any

from bot.messages import payloads
from bot.messages.prompt import N_, dt, msg, text
from bot.services import family_about, family_messages, incident_replies, meetings
from bot.services.ports import UnitOfWork
from bot.store.models import Checkin, Child, FamilyMessage

FLOW_TOPICS = {
    "talk": N_("your talk with {name}"),
    "incident": N_("your incident report about {name}"),
    "checkin": N_("the check-in about {name}"),
    "incident_manage": N_("closing the incident about {name}"),
}
AFTER_SAVED_TALK = N_("the question after your saved talk with {name}: report an incident now?")
"""A talk saved with a safety concern asks "Report an incident now?" after it: the talk is saved, only that question
waits, and it is named so, never as the talk itself (a trial read "set aside your talk" of a saved talk, fix6ah)."""
AFTER_SAVED = {("talk", "safety_offer"): AFTER_SAVED_TALK}
MEETING = N_("the {kind} of {when}")
CHECKIN = N_("how {name} is this week")
ALERT = N_("the alert about {name}")
FAMILY = N_("the message from {writer} about {name}: {at} “{start}”")
START = 12  # characters of a family message quoted to tell two of the same writer apart (fix6h)


def topic(uow: UnitOfWork, entry: dict[str, Any] | None, flow: str | None,
          data: dict[str, Any], state: str | None = None) -> dict[str, Any] | None:
    """The waiting question ``entry`` (an agenda entry) as a message parameter; None when it cannot be named.

    Args:
        uow: the unit of work.
        entry: the chat's current agenda entry.
        flow: the running flow (for a ``flow`` entry).
        data: the running flow's data.
        state: the running flow's state (the question after a saved talk is named as such).
    """
    if entry is None:
        return None
    if entry.get("kind") == "offer":
        for payload in entry.get("payloads") or ():
            pressed = payloads.decode(payload)
            if isinstance(pressed, payloads.MeetingReply):
                about = meetings.about(uow, pressed.meeting_id)
                return msg(MEETING, kind=about["kind"], when=about["when"])
            if isinstance(pressed, payloads.CheckinPress):
                checkin = uow.session.get(Checkin, pressed.checkin_id)
                child = uow.session.get(Child, checkin.child_id) if checkin is not None else None
                return msg(CHECKIN, name=text(child.name)) if child is not None else None
            if isinstance(pressed, payloads.IncidentAck):  # two alerts: the one shown is named (issue 6 trial)
                name = incident_replies.child_name(uow, pressed.incident_id)
                return msg(ALERT, name=text(name)) if name else None
            if isinstance(pressed, payloads.FamilyReply):  # 回复 answers this one first: named, never guessed
                target = family_messages.reply_target_of(uow, pressed.message_id)
                names = family_about.names(uow, pressed.message_id) or ([target[1]] if target else [])
                # Every child it is about: "关于刘婷婷、刘帅的留言", never the first child alone (issue 6 trial).
                row = uow.session.get(FamilyMessage, pressed.message_id)
                if target is None or row is None:
                    return None
                # Its time and first words: two messages of 张强 about 杨秀云 waiting are told apart (fix6h).
                return msg(FAMILY, writer=text(target[0]), name=[text(n) for n in names], at=dt(row.created_at),
                           start=text(opening(row.body or "")))
        return None
    if entry.get("kind") == "saved":
        flow, data, state = entry.get("flow"), entry.get("data") or {}, entry.get("state")
    values = data.get("v") or {}
    name = values.get("child_name") or values.get("child")
    message = AFTER_SAVED.get((flow or "", state or "")) or FLOW_TOPICS.get(flow or "")
    return msg(message, name=text(str(name))) if message and name else None


def opening(body: str) -> str:
    """The first words of a family message (:data:`START` characters, "…" when cut), one line."""
    flat = " ".join(body.split())
    return flat if len(flat) <= START else flat[:START] + "…"
