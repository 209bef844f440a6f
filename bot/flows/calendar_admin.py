"""The admins' calendar commands: ``/year`` (学年) and ``/programme`` (活动).

* ``/year`` shows the school year (terms with their school days, today, the
  holiday data); ``/year 2026-09-01~2027-01-22 2027-02-24~2027-07-02`` sets the terms.
* ``/programme`` lists the programme items with their next dates in school
  time; ``/programme CODE`` shows one; ``/programme CODE key=value …`` changes
  it or adds a new one (``title=… anchor=festival:中秋 offset=-7 time=08:00
  role=class_teacher``), the same fields as ``guanai programme set`` and the
  YAML/xlsx import.

Only school admins and leaders may use them; others are told so.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable

from bot.domain.enums import ADMIN_ROLES
from bot.domain.periods import local_date
from bot.domain.programme import SpecError
from bot.domain.school_year import parse_terms
from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt
from bot.messages.prompt import day as a_day
from bot.services import programme, programme_view, school_year

log = logging.getLogger(__name__)

ADMINS_ONLY = N_("This command is for the school's admins.")
BAD_TERMS = N_("I could not read “{value}”. Write each term as first day~last day, for example: "
               "/year 2026-09-01~2027-01-22 2027-02-24~2027-07-02")


def year(ctx: Ctx, arg: str) -> list[Prompt]:
    """``/year [terms]``."""
    actor = ctx.bound()
    if not ADMIN_ROLES & actor.roles:
        return [say(ADMINS_ONLY)]
    today = local_date(ctx.now, ctx.timezone)
    if arg:
        try:
            terms = parse_terms(arg)
        except ValueError:
            return [say(BAD_TERMS, value=arg)]
        try:
            school_year.set_semesters(ctx.uow, actor.school_id, terms)
        except school_year.TermError as exc:
            return [say(exc.message_id, start=a_day(exc.start), end=a_day(exc.end))]
        programme.plan_school(ctx.uow, actor.school_id, now=ctx.now)
        log.info("person %s set %s terms of school %s", actor.person_id, len(terms), actor.school_id)
        return [say(N_("The terms are saved.")), school_year.year_prompt(ctx.uow, actor.school_id, today)]
    return [school_year.year_prompt(ctx.uow, actor.school_id, today)]


def programme_command(ctx: Ctx, arg: str) -> list[Prompt]:
    """``/programme [CODE [key=value …]]``."""
    actor = ctx.bound()
    if not ADMIN_ROLES & actor.roles:
        return [say(ADMINS_ONLY)]
    try:
        words = shlex.split(arg.replace("“", '"').replace("”", '"').replace("＝", "="))
    except ValueError:
        words = arg.split()
    if not words:
        programme.seed_defaults(ctx.uow, actor.school_id, ctx.now)
        return [programme_view.list_prompt(ctx.uow, actor.school_id, ctx.now)]
    code, pairs = programme_view.resolve(ctx.uow, actor.school_id, words[0]), words[1:]
    if not pairs:
        found = programme_view.item_prompt(ctx.uow, actor.school_id, code, ctx.now)
        return [found or say(N_("There is no item {code}. Send /programme for the list."), code=words[0])]
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.replace("：", ":").partition("=")
        if not sep:
            return [say(N_("Write each change as field=value, for example offset=-7 or time=08:00."))]
        values[key] = value
    try:
        programme.edit_item(ctx.uow, actor.school_id, code, values, now=ctx.now,
                            quiet=(ctx.settings.quiet_start, ctx.settings.quiet_end))
    except SpecError as exc:
        return [say(exc.message_id, field=exc.field, value=exc.value)]
    log.info("person %s changed programme item of school %s", actor.person_id, actor.school_id)
    shown = programme_view.item_prompt(ctx.uow, actor.school_id, code.strip(), ctx.now)
    return [say(N_("Saved.")), *([shown] if shown else [])]


COMMANDS: dict[str, Callable[[Ctx, str], list[Prompt]]] = {"year": year, "programme": programme_command}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""
