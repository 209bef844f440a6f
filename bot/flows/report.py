"""``/report`` (统计, 报表): the figures for superiors in chat, for a school's leaders and for officials.

``/report`` covers this month; ``/report 学期`` the current term, ``/report
学年`` the school year, ``/report 2026-11`` a month and ``/report
2026-09-01~2027-01-20`` any span. A school's admins, leaders and safeguarding
lead see their school per class and per teacher; officials see aggregates
only, per school (and per town for the bureau), counts under five shown as
``<5`` (``bot.services.figures``), with a chart of monthly talks and complete
cards per class or school (a picture on Telegram). Everyone else is told whom it is for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from bot.domain.periods import local_date
from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt, text
from bot.services import figures, figures_chart, figures_periods, figures_summary, figures_terms, figures_text

log = logging.getLogger(__name__)

NOT_FOR_YOU = N_("Figures are for the school's leaders and admins and for the education bureau and town "
                 "government.")
WORDS_NOT_SENT = N_("I did not send “{words}” to anyone: /report only shows figures. To write to a child's class "
                    "teacher, send your words without /report; to report an incident, send /incident and the "
                    "child's name.")
BAD_PERIOD = N_("I could not read “{value}”. Try /report (this month), /report 学期 (this term), /report 学年 "
                "(this school year), /report 2026-11 or /report 2026-09-01~2027-01-20.")


def report(ctx: Ctx, arg: str) -> list[Prompt]:
    """``/report [period]``."""
    actor = ctx.bound()
    if not figures.may_report(actor):
        # Words after /report are said back, never silently dropped (a caring parent who is also a guardian).
        return [say(NOT_FOR_YOU), *([say(WORDS_NOT_SENT, words=text(arg.strip()))] if arg.strip() else [])]
    period = figures_text.period_from_text(ctx.uow, actor.school_id, arg, local_date(ctx.now, ctx.timezone))
    if period is None:  # a term by name the school has none of is told its terms (figures_terms)
        named = figures_terms.unknown(ctx.uow, actor.school_id, arg, local_date(ctx.now, ctx.timezone),
                                      figures_terms.official_scope(ctx.uow, actor))
        return [named or say(BAD_PERIOD, value=arg)]
    if figures_periods.is_official(actor):
        period = figures_periods.whole_period(ctx.uow, actor.school_id, period)
        if period is None:
            return [figures_terms.refused(ctx.uow, actor.school_id, arg, local_date(ctx.now, ctx.timezone))]
    found = figures.report_for(ctx.uow, actor, period, ctx.now)
    if found is None:
        return [say(NOT_FOR_YOU)]
    log.info("person %s read the %s figures", actor.person_id, found.level.value)
    prompts = figures_text.report_prompts(found)
    picture = figures_chart.chart(found, ctx.locale)
    if picture is not None:  # after the per-class (or per-school) list it draws
        at = 2 if found.towns else 1
        # no Chinese font: said so (a chart of schools for officials)
        lines = (*prompts[at].lines, *figures_chart.in_english_line(ctx.locale, schools=found.official))
        prompts[at] = replace(prompts[at], attachment=picture, lines=lines)
    # What needs action first, in a few lines; the full figures after it, each message within the channel's limit.
    return [figures_summary.summary_prompt(found), *prompts]


COMMANDS: dict[str, Callable[[Ctx, str], list[Prompt]]] = {"report": report}
"""Command name (``bot.flows.commands.COMMANDS`` value) → handler."""
