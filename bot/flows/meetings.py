"""/meeting (开会): call a guardian meeting, a parent-school session or a 座谈会; replies; recording attendance.

Calling: the kind → the date and time (typed: ``12月10日 15:00``) → the place
(typed) → a summary naming how many people are invited → Send invitations.
Invitees answer with one tap (``mt:<meeting>:y|n``). After the meeting the
organiser's "Record attendance" (``ma:<meeting>``) shows the invitees and
their replies and asks how many came (a number: a list of choices would make
"3" ambiguous).
See docs/flows/meetings.md.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum

from bot.domain.counts import parse_count
from bot.domain.meetings import KIND_LABELS, MeetingKind, parse_when
from bot.flows import meeting_changes
from bot.flows.common import CANCELLED, INVALID_BUTTON, Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, dt, msg, plural, text
from bot.services import meeting_changes as changes
from bot.services import meetings
from bot.services.meetings import REPLY_LABELS

log = logging.getLogger(__name__)
FLOW = "meeting"
ATTENDANCE_FLOW = "meeting_attendance"


class State(StrEnum):
    """The states of both flows."""

    KIND = "kind"
    WHEN = "when"
    PLACE = "place"
    CONFIRM = "confirm"
    ATTENDANCE = "attendance"


CANCEL = Option(N_("Cancel"), "cancel")
KINDS = tuple(Option(label, kind.value) for kind, label in KIND_LABELS.items())
MAX_LISTED = 40  # invitees shown with their replies when recording attendance


def start(ctx: Ctx, _arg: str) -> list[Prompt]:
    """``/meeting``: which kind (class teachers for their class, admins for the school)."""
    actor = ctx.bound()
    where = meetings.scope(ctx.uow, actor)
    ctx.finish()
    if where is None:  # an invitee: their upcoming invitations, to answer or change their answer
        shown = changes.invitations(ctx.uow, person_id=actor.person_id, now=ctx.now)
        return shown or [say(N_("Meetings are called by class teachers (for their class) and school admins."))]
    ctx.values["class_name"] = where[1] or ""
    mine = changes.upcoming_organised(ctx.uow, person_id=actor.person_id, now=ctx.now)
    manage = (Option(N_("Move or cancel a meeting I called"), "manage"),) if mine else ()
    return [ctx.ask(FLOW, State.KIND, N_("Which meeting do you want to call?"), options=(*KINDS, *manage, CANCEL))]


def _ask_when(ctx: Ctx) -> Prompt:
    return ctx.ask(FLOW, State.WHEN, N_("When? For example 10 December 15:00 or 2026-12-10 15:00."), options=(CANCEL,),
                   free_text=True)


def _ask_place(ctx: Ctx) -> Prompt:
    return ctx.ask(FLOW, State.PLACE, N_("Where? For example the Grade 3 (1) classroom or the school hall."),
                   options=(CANCEL,), prose=True)


def _confirm(ctx: Ctx) -> Prompt:
    actor = ctx.bound()
    where = meetings.scope(ctx.uow, actor)
    count = len(meetings.audience(ctx.uow, school_id=actor.school_id, class_id=where[0] if where else None,
                                  kind=str(ctx.values["kind"])))
    return ctx.ask(FLOW, State.CONFIRM,
                   *plural("{kind}, {when}, at {place}: {count} person will be invited.",
                           "{kind}, {when}, at {place}: {count} people will be invited.", count,
                           kind=msg(KIND_LABELS[MeetingKind(ctx.values["kind"])]),
                           when=dt(datetime.fromisoformat(str(ctx.values["when"]))), place=text(ctx.values["place"]),
                           count=count),
                   options=(Option(N_("Send invitations"), "send"), CANCEL))


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A kind, Send invitations, Cancel; at attendance: everyone who said yes came."""
    if value == "cancel":
        ctx.finish()
        return [say(CANCELLED)]
    if ctx.conv.state == State.KIND and value == "manage":
        return meeting_changes.start(ctx)
    if ctx.conv.state == State.KIND:
        ctx.values["kind"] = MeetingKind(value).value
        return [_ask_when(ctx)]
    created = meetings.create(ctx.uow, actor=ctx.bound(), kind=str(ctx.values["kind"]),
                              starts_at=datetime.fromisoformat(str(ctx.values["when"])),
                              place=str(ctx.values["place"]), now=ctx.now,
                              request_key=f"meeting:{ctx.conv.id}:{ctx.conv.version}")
    ctx.finish()
    if created is None:
        return [say(INVALID_BUTTON)]
    sent = plural("Invitation sent to {count} person. They are reminded the day before, and I will ask you "
                  "afterwards who came.",
                  "Invitations sent to {count} people. They are reminded the day before, and I will ask you "
                  "afterwards who came.", created[1], count=created[1])
    return [Prompt(*sent)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The date and time, the place, or the numbers of those who came."""
    if ctx.conv.flow == ATTENDANCE_FLOW:
        return _record(ctx, int(ctx.values["meeting_id"]), typed)
    if ctx.conv.state == State.WHEN:
        when = parse_when(typed, ctx.now, ctx.timezone)
        if when is None:
            return [say(N_("Please give a date and time within the next six months, such as 10 December 15:00.")),
                    _ask_when(ctx)]
        ctx.values["when"] = when.isoformat()
        return [_ask_place(ctx)]
    if ctx.conv.state == State.PLACE:
        problem = text_problem(typed)
        if problem is not None or len(typed.strip()) > 200:
            return [problem or say(N_("Please keep the place short.")), _ask_place(ctx)]
        ctx.values["place"] = typed.strip()
        return [_confirm(ctx)]
    return None


def on_reply(ctx: Ctx, meeting_id: int, yes: bool) -> list[Prompt]:
    """An invitee's one-tap answer."""
    if not meetings.reply(ctx.uow, meeting_id=meeting_id, person_id=ctx.bound().person_id, yes=yes, now=ctx.now):
        return [say(INVALID_BUTTON)]
    about = meetings.about(ctx.uow, meeting_id)
    if yes:
        return [say(N_("Thank you: see you at the {kind}, {when}, at {place}."), **about)]
    return [say(N_("Thank you for letting us know."))]


def on_attendance(ctx: Ctx, meeting_id: int) -> list[Prompt]:
    """The organiser's "Record attendance": the invitees with their replies, and how many came."""
    if meetings.organised(ctx.uow, meeting_id=meeting_id, person_id=ctx.bound().person_id) is None:
        return [say(INVALID_BUTTON)]
    people = meetings.invitees(ctx.uow, meeting_id)
    ctx.finish()
    ctx.conv.data["v"] = {"meeting_id": meeting_id}
    lines = tuple((N_("• {name} ({reply})"), {"name": text(p.name), "reply": msg(REPLY_LABELS[p.reply])})
                  for p in people[:MAX_LISTED])
    said_yes = sum(1 for p in people if p.reply == "yes")
    return [ctx.ask(ATTENDANCE_FLOW, State.ATTENDANCE,
                    *plural("How many came to the {kind} of {when}? {invited} was invited and {yes} said they would "
                            "come. Reply with a number.",
                            "How many came to the {kind} of {when}? {invited} were invited and {yes} said they would "
                            "come. Reply with a number.", len(people),
                            **meetings.about(ctx.uow, meeting_id), invited=len(people), yes=said_yes),
                    lines=lines, free_text=True)]


def on_typed_count(ctx: Ctx, meeting_id: int, typed: str) -> list[Prompt] | None:
    """A count typed at the "Please record who came" notice itself (``5``, ``5人``, ``五个``), or asked again.

    The caller lets the notice's own answer (``1``, its words) open the list of invitees instead.
    Returns None when this person is not the organiser.
    """
    if meetings.organised(ctx.uow, meeting_id=meeting_id, person_id=ctx.bound().person_id) is None:
        return None
    return _record(ctx, meeting_id, typed)


def _record(ctx: Ctx, meeting_id: int, typed: str) -> list[Prompt]:
    """Record the typed count, or ask again politely: not a count, or more than were invited."""
    count = parse_count(typed)
    invited = len(meetings.invitees(ctx.uow, meeting_id))
    if count is None or count > invited:
        again = ctx.current_prompt() if ctx.conv.flow == ATTENDANCE_FLOW else None
        problem = (say(N_("Please reply with the number of people who came, such as 12.")) if count is None else
                   Prompt(*plural("{invited} person was invited, so at most {invited} can have come. Please "
                                  "reply with how many of them came.",
                                  "{invited} people were invited, so at most {invited} can have come. Please "
                                  "reply with how many of them came.", invited, invited=invited)))
        return [problem, *([again] if again is not None else [meetings.attendance_prompt(ctx.uow, meeting_id)])]
    done = meetings.record_attendance(ctx.uow, meeting_id=meeting_id, person_id=ctx.bound().person_id, count=count,
                                      now=ctx.now)
    if ctx.conv.flow == ATTENDANCE_FLOW:
        ctx.finish()
    if not done:
        return [say(INVALID_BUTTON)]
    return [Prompt(*plural("Recorded: {count} came ({invited} was invited).",
                           "Recorded: {count} came ({invited} were invited).", invited, count=count, invited=invited))]
