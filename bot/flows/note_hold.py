"""The check-in's note question (and "what kind of help?") waits while an emergency about the child is open (fix6r).

A grandfather answered the Friday check-in ``1`` (很好); its follow-up ("还有什么想告诉老师的吗？") was set aside
by the alert that 杨秀云 had not come home. He acknowledged the alert (``收到``), the follow-up came back, and his
``孩子还没找到，我到处找了`` was filed as a weekly note: the reporter and the parents never heard it. Now, like
the check-in question itself (:mod:`bot.flows.checkin_hold`), the note question is not asked while an emergency
about that child is open: its set-aside entry is marked ``held`` / ``held_child``, the person is told, and what
they write goes where it goes with no question waiting — words about the child as a reply to the alert (the
reporter and the class teacher), ``找到了`` as an all clear (:mod:`bot.flows.all_clear`, before any question).
Once the incident is closed the note question comes back on the person's next message (:func:`typed`);
closed in the quiet hours, with a morning notice at 07:00 instead (fix6ab), as the held check-in does.

"What kind of help does 杨秀云 need?" (after "needs help") is held the same way (fix6u, a breaker): it came back
right after the alert was acknowledged, and ``孩子头还在流血吗`` went to the class teacher as 【紧急】 instead of to
the reporter, as the other held check-in words do.
"""

from __future__ import annotations

from typing import Any

from bot.domain.periods import defer_for_quiet_hours
from bot.flows.checkin_hold import reader
from bot.flows.common import Ctx
from bot.messages.prompt import N_, Prompt, text
from bot.services import incident_open

FLOW = "checkin"  # bot.flows.checkin.FLOW (not imported: that module imports flows above this one)
NOTE_STATE = "note"  # bot.flows.checkin.State.NOTE
HELP_KIND_STATE = "help_kind"  # bot.flows.checkin.State.HELP_KIND: "what kind of help?" waits the same way (fix6u)
HELD_STATES = (NOTE_STATE, HELP_KIND_STATE)

NOTE_HELD = N_("Once the incident about {name} is closed (or you tell me {name} is safe), I will ask what you "
               "want to tell {name}'s teacher. Anything you write about {name} now goes straight to those handling "
               "the incident.")
HELP_KIND_HELD = N_("Once the incident about {name} is closed (or you tell me {name} is safe), I will ask what kind "
                    "of help {name} needs. Anything you write about {name} now goes straight to those handling the "
                    "incident.")


def _note_child(entry: dict[str, Any], ctx: Ctx) -> tuple[int, str] | None:
    """The child of a set-aside check-in note question, None when ``entry`` is no such question."""
    if entry.get("kind") != "saved" or entry.get("flow") != FLOW or entry.get("state") not in HELD_STATES:
        return None
    checkin_id = ((entry.get("data") or {}).get("v") or {}).get("checkin_id")
    return incident_open.checkin_child(ctx.uow, int(checkin_id)) if checkin_id is not None else None


def is_note(ctx: Ctx, entry: dict[str, Any]) -> bool:
    """Whether ``entry`` is a set-aside check-in note question ("还有什么想告诉老师的吗？")."""
    return _note_child(entry, ctx) is not None


def hold(ctx: Ctx, top: dict[str, Any]) -> list[Prompt] | None:
    """The note question about to be asked again while its child's emergency is open: held, and said so; else None.

    Args:
        ctx: the update.
        top: the agenda entry next in turn (``ctx.conv.agenda[0]``), a set-aside flow.
    """
    if top.get("cleared"):
        return None  # the family's own all clear (没事了): the question may come back
    child = _note_child(top, ctx)
    if child is None or not incident_open.open_emergency(ctx.uow, child[0], reader_id=reader(ctx)):
        return None
    ctx.conv.agenda = [{**top, "held": True, "held_child": child[0]}, *ctx.conv.agenda[1:]]
    said = HELP_KIND_HELD if top.get("state") == HELP_KIND_STATE else NOTE_HELD
    return [Prompt(said, {"name": text(child[1])})]


def running(ctx: Ctx) -> bool:
    """Whether the running flow is the note question of a check-in whose child has an emergency open."""
    if ctx.conv.flow != FLOW or ctx.conv.state not in HELD_STATES or ctx.values.get("checkin_id") is None:
        return False
    child = incident_open.checkin_child(ctx.uow, int(ctx.values["checkin_id"]))
    return child is not None and incident_open.open_emergency(ctx.uow, child[0], reader_id=reader(ctx))


def is_held(ctx: Ctx, top: dict[str, Any] | None) -> bool:
    """Whether ``top`` is a note question held for an emergency still open (a lapsed hold is lifted here).

    Returns:
        True: the caller handles the message as with no question waiting. False: no such hold (any more); a
        hold whose incident is closed is removed, so the note question runs again as a set-aside flow.
    """
    if top is None or top.get("kind") != "saved" or top.get("held_child") is None:
        return False
    if incident_open.open_emergency(ctx.uow, int(top["held_child"]), reader_id=reader(ctx)):
        return True
    if defer_for_quiet_hours(ctx.now, ctx.timezone, ctx.settings.quiet_start, ctx.settings.quiet_end) > ctx.now:
        return True  # closed at night: the question waits for its morning notice (agenda_return, fix6ab)
    ctx.conv.agenda = [{k: v for k, v in top.items() if k not in ("held", "held_child")}, *ctx.conv.agenda[1:]]
    return False
