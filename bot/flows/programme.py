"""Answering a programme reminder: Done (then how many took part), Postpone (to which date), Not this year.

``pg:<task>:<d|p|n>`` (decoded by :mod:`bot.messages.payloads`) comes from
the reminder's buttons or numbered replies. Done records the task at once and
asks for the attendance or participation count (a number, or Skip); Postpone
asks for the date and reminds again that morning. See docs/flows/programme.md.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from enum import StrEnum

from bot.domain.periods import local_date
from bot.domain.roster_cells import CellError, parse_date
from bot.flows.common import INVALID_BUTTON, Ctx, Option, say
from bot.messages.prompt import N_, Prompt, dt
from bot.messages.prompt import day as a_day
from bot.services import programme_tasks
from bot.services.programme_tasks import AnswerResult

log = logging.getLogger(__name__)
FLOW = "programme"


class State(StrEnum):
    """The flow's states."""

    COUNT = "count"
    DATE = "date"


SKIP = Option(N_("Skip"), "skip")
ALREADY = N_("This was already answered; the first answer stands.")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?")


def on_button(ctx: Ctx, task_id: int, answer: str) -> list[Prompt]:
    """A reminder's answer (``done``, ``postpone`` or ``skip``)."""
    actor = ctx.bound()
    if answer == "postpone":
        refused = programme_tasks.answer_state(ctx.uow, person_id=actor.person_id, task_id=task_id)
        if refused is not None:
            return [say(ALREADY if refused is AnswerResult.ALREADY else INVALID_BUTTON)]
        ctx.finish()
        ctx.conv.data["v"] = {"task_id": task_id}
        return [_ask_date(ctx)]
    result = programme_tasks.answer(ctx.uow, person_id=actor.person_id, task_id=task_id, done=answer == "done",
                                    now=ctx.now)
    log.info("person %s answered programme task %s: %s %s", actor.person_id, task_id, answer, result)
    if result is AnswerResult.ALREADY:
        return [say(ALREADY)]
    if result is not AnswerResult.RECORDED:
        return [say(INVALID_BUTTON)]
    if answer == "skip":
        return [say(N_("Noted: not this year."))]
    ctx.finish()
    ctx.conv.data["v"] = {"task_id": task_id}
    return [say(N_("Well done! It is recorded.")), _ask_count(ctx)]


def _ask_count(ctx: Ctx) -> Prompt:
    return ctx.ask(FLOW, State.COUNT, N_("How many children took part (or attended)? Reply with a number, or "
                                         "choose Skip."), options=(SKIP,), free_text=True)


def _ask_date(ctx: Ctx) -> Prompt:
    return ctx.ask(FLOW, State.DATE, N_("To which date? For example 3月15日 or 2027-03-15."), free_text=True)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """Skip (the count)."""
    ctx.finish()
    return [say(N_("Thank you. Nothing more is needed."))]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The count or the date, typed."""
    actor = ctx.bound()
    task_id = int(ctx.values.get("task_id", 0))
    state = State(ctx.conv.state or "")
    cleaned = unicodedata.normalize("NFKC", typed).strip()
    if state is State.COUNT:
        digits = cleaned.rstrip("人名个位").strip()
        if not digits.isdecimal() or len(digits) > 5:
            return [say(N_("Please reply with a number, such as 12.")), _ask_count(ctx)]
        programme_tasks.record_count(ctx.uow, person_id=actor.person_id, task_id=task_id, count=int(digits))
        ctx.finish()
        return [say(N_("Thank you: {count} recorded."), count=int(digits))]
    to = _date(cleaned, local_date(ctx.now, ctx.timezone))
    at = programme_tasks.postpone(ctx.uow, person_id=actor.person_id, task_id=task_id, to=to, now=ctx.now) \
        if to is not None else None
    if to is None or at is None:
        return [say(N_("Please give a date after today and within half a year, such as 3月15日.")), _ask_date(ctx)]
    ctx.finish()
    return [say(N_("Postponed to {date}. I will remind you again on {when}."), date=a_day(to), when=dt(at))]


def _date(typed: str, today: date) -> date | None:
    """A typed date: ``2027-03-15`` / ``2027.3.15`` / ``2027年3月15日``, or ``3月15日`` / ``3/15`` (the next one)."""
    match = _MONTH_DAY.fullmatch(typed)
    if match is not None:
        try:
            found = date(today.year, int(match[1]), int(match[2]))
        except ValueError:
            return None
        try:
            return found if found > today else found.replace(year=today.year + 1)
        except ValueError:  # 29 February of a year without one
            return None
    try:
        return parse_date(typed)
    except CellError:
        return None
