"""/news (家长月报): the class teacher reviews the monthly news to the parents working away, one child at a time.

Each draft is shown as the parents will read it, with Send / Add a line /
Choose what to share / Skip this month / Later. Choose what to share lists
the draft's parts (mood, study, daily life, talks, weekly contact,
activities, letters), each switched between shared and not shared; a part
not shared is never sent. Send and Skip move on to the next draft; Add a line
asks for the teacher's words and shows the draft again. The button of the
"drafts are ready" notice (``nw:<news>``) starts here too. See
docs/flows/news.md.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from bot.domain.enums import Role
from bot.domain.family_news import PARTS
from bot.domain.family_news import parts_present as present_parts
from bot.flows.common import Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, month, msg, plural, text
from bot.services import family_news
from bot.services.family_news import SendResult

log = logging.getLogger(__name__)
FLOW = "news"


class State(StrEnum):
    """The flow's states."""

    REVIEW = "review"
    NOTE = "note"
    PARTS = "parts"


REVIEW = (Option(N_("Send"), "send"), Option(N_("Add a line"), "note"), Option(N_("Choose what to share"), "parts"),
          Option(N_("Skip this month"), "skip"), Option(N_("Later"), "later"))
NOTE_OPTIONS = (Option(N_("Remove my line"), "clear"), Option(N_("Back"), "back"))
NOTHING = N_("No monthly news is waiting for you.")
GONE = N_("This news was already sent or skipped.")


def start(ctx: Ctx, _arg: str) -> list[Prompt]:
    """``/news``: the first draft waiting for this class teacher."""
    actor = ctx.bound()
    if Role.CLASS_TEACHER not in actor.roles:
        ctx.finish()
        return [say(N_("The monthly news to parents is reviewed by class teachers."))]
    return _next(ctx)


def on_button(ctx: Ctx, news_id: int) -> list[Prompt]:
    """The notice's Review button: that draft, or the next one waiting when it was decided meanwhile."""
    actor = ctx.bound()
    if family_news.draft(ctx.uow, news_id=news_id, person_id=actor.person_id) is None:
        return _next(ctx)
    ctx.finish()
    return [_review(ctx, news_id)]


def _next(ctx: Ctx, before: tuple[Prompt, ...] = ()) -> list[Prompt]:
    drafts = family_news.drafts_for(ctx.uow, person_id=ctx.bound().person_id)
    if not drafts:
        ctx.finish()
        return [*before, say(NOTHING)]
    ctx.finish()
    return [*before, _review(ctx, drafts[0].id)]


def _review(ctx: Ctx, news_id: int) -> Prompt:
    """The draft as the parents will read it, and the teacher's choices."""
    actor = ctx.bound()
    row = family_news.draft(ctx.uow, news_id=news_id, person_id=actor.person_id)
    if row is None:  # pragma: no cover - callers checked it in this transaction
        raise LookupError(news_id)
    waiting = len(family_news.drafts_for(ctx.uow, person_id=actor.person_id))
    news = family_news.news_prompt(ctx.uow, row)
    ctx.values.clear()
    ctx.values["news_id"] = news_id
    lines = ((news.message_id, news.params), *news.lines)
    hidden = [part for part in PARTS if part in (row.withheld or ())]
    if hidden:  # what the parents will not read, so the teacher sees their choice
        lines = (*lines, (N_("Not shared with the parents: {parts}"), {"parts": [msg(PARTS[p]) for p in hidden]}))
    return ctx.ask(FLOW, State.REVIEW,
                   N_("Monthly news for the parents ({waiting} waiting, {month}). They will read:"),
                   {"waiting": waiting, "month": month(row.period)}, options=REVIEW, lines=lines)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """Send, add a line, skip, later; at the note: remove the line or go back."""
    actor = ctx.bound()
    news_id = int(ctx.values.get("news_id", 0))
    if value == "later":
        ctx.finish()
        return [say(N_("The drafts wait for you: send /news (家长月报) when you are ready; /due lists them."))]
    if value == "send":
        result, count = family_news.send(ctx.uow, news_id=news_id, person_id=actor.person_id, now=ctx.now)
        if result is SendResult.NO_PARENTS:
            return [say(N_("No parent of this child is on record: nothing was sent. You can skip it.")),
                    _review(ctx, news_id)]
        if result is SendResult.NOTHING_SHARED:
            return [say(N_("Every part is marked not to be shared, so there is nothing to send: share a part, add a "
                           "line, or skip this month.")), _review(ctx, news_id)]
        sent = plural("Sent to {count} parent.", "Sent to {count} parents.", count, count=count)
        done = say(sent[0], **sent[1]) if result is SendResult.DONE else say(GONE)
        return _next(ctx, (done,))
    if value == "skip":
        result = family_news.skip(ctx.uow, news_id=news_id, person_id=actor.person_id, now=ctx.now)
        return _next(ctx, (say(N_("Skipped: no news this month.") if result is SendResult.DONE else GONE),))
    if value == "note":
        return [ctx.ask(FLOW, State.NOTE, N_("Write the line you want to add for the parents (it replaces any "
                                             "earlier one)."), options=NOTE_OPTIONS, prose=True)]
    if value == "parts" or value.startswith("t:"):
        if value.startswith("t:"):
            family_news.toggle_part(ctx.uow, news_id=news_id, person_id=actor.person_id, part=value[2:])
        return _parts(ctx, news_id)
    if value == "clear":
        family_news.set_note(ctx.uow, news_id=news_id, person_id=actor.person_id, note=None)
    return _again(ctx, news_id)


def _parts(ctx: Ctx, news_id: int) -> list[Prompt]:
    """Each part of the draft with its switch: shared or not (the parents never read a part not shared)."""
    row = family_news.draft(ctx.uow, news_id=news_id, person_id=ctx.bound().person_id)
    if row is None:
        return _next(ctx, (say(GONE),))
    hidden = set(row.withheld or ())
    options = [Option(N_("{part}: not shared") if part in hidden else N_("{part}: shared"), f"t:{part}",
                      {"part": msg(PARTS[part])}) for part in present_parts(row.facts or {})]
    return [ctx.ask(FLOW, State.PARTS, N_("Choose a part to share it or not; the parents read only the parts "
                                          "shared. Then choose “That's all”."),
                    options=(*options, Option(N_("That's all"), "back")))]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The teacher's line for the parents."""
    if ctx.conv.state != State.NOTE:
        return None
    problem = text_problem(typed)
    if problem is not None:
        again = ctx.current_prompt()
        return [problem, *([again] if again is not None else [])]
    news_id = int(ctx.values.get("news_id", 0))
    result = family_news.set_note(ctx.uow, news_id=news_id, person_id=ctx.bound().person_id, note=typed)
    log.info("news %s: the class teacher's line %s", news_id, result)
    return _again(ctx, news_id)


def _again(ctx: Ctx, news_id: int) -> list[Prompt]:
    if family_news.draft(ctx.uow, news_id=news_id, person_id=ctx.bound().person_id) is None:
        return _next(ctx, (say(GONE),))
    return [_review(ctx, news_id)]


def due_line(ctx: Ctx) -> Prompt | None:
    """``/due``: the drafts still waiting, with the command that reviews them."""
    drafts = family_news.drafts_for(ctx.uow, person_id=ctx.bound().person_id)
    if not drafts:
        return None
    return Prompt(N_("Monthly news to review ({count}): send /news (家长月报)."), {"count": len(drafts)},
                  lines=tuple((N_("• {name} ({month})"), {"name": text(d.child_name), "month": month(d.period)})
                              for d in drafts[:20]))
