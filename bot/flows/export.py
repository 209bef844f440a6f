"""``/export`` (导出): a workbook in the layouts schools file, sent in chat (issue 9, item 6).

``/export`` lists what the person may export, numbered from 1 like every
other choice (a number, a tap or the word picks one); ``/export 花名册`` (or
谈心, 事件, 结对, 统计表, ``统计 学期`` …) sends the file. An official asking for
an export of children's records is told by name that it is the school's, and
offered the aggregate tables she may export (never the bare menu, never a file). Telegram and the console get the
file itself; WeChat cannot carry files in a reply, so a WeChat or WeCom user is
told to use the dashboard (``/web``) or ask an admin for ``guanai export``.
The registration table's checks run first: with problems, the problems are
listed instead of a file (to an official, only how many each school has).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.domain.enums import Channel
from bot.domain.periods import local_date
from bot.flows.common import Ctx, Option, say
from bot.messages.prompt import N_, Attachment, Prompt, msg, plural, text
from bot.services import export_files, figures, figures_periods, figures_terms, figures_text
from bot.services.export_files import ExportKind

log = logging.getLogger(__name__)

NOTHING_TO_EXPORT = N_("Exports are for the school's leaders and admins; officials can export the figures and "
                       "the registration table.")
NO_FILES_HERE = N_("WeChat cannot receive files from me. Open the dashboard (send /web for a sign-in link) to "
                   "download “{name}”, or ask the school's admin to run guanai export.")
MAX_PROBLEMS = 15
SCHOOLS_TO_CORRECT = N_("The table cannot go out yet: these schools must first correct problems in their "
                        "children's records:")
FLOW = "export"
PICK = "pick"
MENU = N_("What shall I export? Reply with its number (or send /export and its word; add 学期 or 学年 for the "
          "figures of the term or the school year):")


NOT_YOURS = N_("Only the school's leaders and admins may export {export}, because the file names each child. You "
               "may export the aggregate tables, which name no child — reply with its number, or send /export 统计 or "
               "/export 统计表:")
"""An official's refusal of an export of children's records, with the aggregate exports offered instead."""
RECORDS_NAMES = {
    ExportKind.ROSTER: N_("the roster (花名册)"),
    ExportKind.TALKS: N_("the talk record cards (谈心记录卡)"),
    ExportKind.INCIDENTS: N_("the incident timelines (突发事件)"),
    ExportKind.PAIRING: N_("the pairing list (结对名单)"),
    ExportKind.AID: N_("the aid ledger (资助台账)"),
}
"""Each export officials may not have (``export_files.PER_CHILD``), as the refusal names it."""
BAD_PERIOD = N_("I could not read “{value}”. Try /export {kind} (this month), /export {kind} 学期 (this term), "
                "/export {kind} 学年 (this school year), /export {kind} 2026-11 or "
                "/export {kind} 2026-09-01~2027-01-20.")
NOT_YOURS_NAMED = N_("“{name}” names children one by one, so only the school's leaders and admins (every child) "
                     "or a class teacher (her class, the cards /card shows her) may export it. "
                     "You may export: {kinds}.")
"""The refusal for someone who may export other records (a safeguarding lead's ``/export 资助``)."""


def _menu(ctx: Ctx, kinds: list[ExportKind], refused: ExportKind | None = None) -> Prompt:
    options = tuple(Option(export_files.LABELS[k], k.value) for k in kinds)
    if refused is not None and refused in RECORDS_NAMES and not export_files.PER_CHILD & set(kinds):
        return ctx.ask(FLOW, PICK, NOT_YOURS, {"export": msg(RECORDS_NAMES[refused])}, options=options)
    return ctx.ask(FLOW, PICK, MENU, options=options)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """An export picked from the menu (its number or its button): this month's file."""
    ctx.finish()
    words = {kind.value: word for word, kind in reversed(export_files.WORDS.items())}
    return export(ctx, words.get(value, ""))


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """An export's word typed at the menu (``统计 学期``); None for anything else."""
    word = typed.strip().partition(" ")[0].lower()
    if export_files.WORDS.get(word) is None:
        return None
    ctx.finish()
    return export(ctx, typed)


def export(ctx: Ctx, arg: str) -> list[Prompt]:
    """``/export [what] [period]``."""
    actor = ctx.bound()
    kinds = export_files.kinds_for(actor)
    if not kinds:
        return [say(NOTHING_TO_EXPORT)]
    word, _, rest = arg.strip().partition(" ")
    kind = export_files.WORDS.get(word.lower())
    if kind is not None and kind not in kinds and export_files.PER_CHILD & set(kinds):
        words = {k: w for w, k in reversed(export_files.WORDS.items())}  # each kind's first word
        return [say(NOT_YOURS_NAMED, name=export_files.FILE_NAMES[kind], kinds=[text(words[k]) for k in kinds]),
                _menu(ctx, kinds)]
    if kind is None or kind not in kinds:  # a record export an official may not have: said so, never a bare menu
        return [_menu(ctx, kinds, refused=kind)]
    if ctx.channel in (Channel.WECHAT.value, Channel.WECOM.value):
        return [say(NO_FILES_HERE, name=export_files.FILE_NAMES[kind])]
    period = figures_text.period_from_text(ctx.uow, actor.school_id, rest, local_date(ctx.now, ctx.timezone))
    if period is None:  # a term by name the school has none of is told its terms (figures_terms)
        named = figures_terms.unknown(ctx.uow, actor.school_id, rest, local_date(ctx.now, ctx.timezone),
                                      figures_terms.official_scope(ctx.uow, actor))
        return [named or say(BAD_PERIOD, value=rest, kind=text(word))]
    if figures_periods.is_official(actor):
        period = figures_periods.whole_period(ctx.uow, actor.school_id, period)
        if period is None:
            return [figures_terms.refused(ctx.uow, actor.school_id, rest, local_date(ctx.now, ctx.timezone))]
    made = export_files.make_export(ctx.uow, actor, kind, period, ctx.now, locale=ctx.locale, channel=ctx.channel)
    if made is None:
        return [say(NOTHING_TO_EXPORT)]
    if made.nothing:
        return [say(made.nothing)]
    if made.problems:
        lines = tuple((p.message_id, p.params) for p in made.problems[:MAX_PROBLEMS])
        if not figures.SCHOOL_ROLES & actor.roles:  # an official's lines are per school, never per child
            return [Prompt(SCHOOLS_TO_CORRECT, lines=lines)]
        return [Prompt(*plural("The table has {count} problem to correct first (the cards, or the class sheet):",
                               "The table has {count} problems to correct first (the cards, or the class sheet):",
                               len(made.problems), count=len(made.problems)), lines=lines)]
    log.info("person %s exported %s", actor.person_id, kind.value)
    return [Prompt(N_("Here is “{name}”."), {"name": made.filename},
                   attachment=Attachment(made.filename, made.data))]


COMMANDS: dict[str, Callable[[Ctx, str], list[Prompt]]] = {"export": export}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""
