"""The dashboard's overview page as plain data: ``/report``'s figures, a row per unit, the notes under them.

Split from :mod:`bot.services.dashboard` (module size). Officials' figures are hidden exactly as in chat and
in the workbook (:func:`bot.services.figures.report_for`, the disclosure audit of ``figures_complement``).
"""

from __future__ import annotations

from typing import Any

from bot.domain.figures import Rate
from bot.domain.figures_bar import rate_bar
from bot.i18n import format_param, gettext, render
from bot.messages.prompt import N_, Prompt, msg
from bot.services import figures_text
from bot.services.figures import Report


def rate_cell(rate: Rate, official: bool, children: int | None = None) -> dict[str, Any]:
    """A rate's table cell: its text and its bar (a band drawn to its bound, a hidden rate not at all)."""
    bar = rate_bar(rate, official, children)
    return {"text": figures_text.show_rate(rate, official, children), "percent": bar.percent, "band": bar.band,
            "label": bar.label}


def overview_page(report: Report, loc: str, tz: str, bad_period: str | None) -> dict[str, Any]:
    """The overview's data for ``report``; ``bad_period``: why the period typed was not used (rendered)."""
    lines = [render(figures_text.report_prompts(report, rule=False)[0], loc, tz).text.splitlines()]
    official = report.official
    rows = [{"name": u.name, "children": figures_text.show_count(u.left_behind, official),
             "filed": rate_cell(u.filed, official, u.left_behind),
             "monthly": rate_cell(u.monthly_talks, official, u.left_behind),
             "weekly": rate_cell(u.weekly_talks, official, u.left_behind),
             "checkins": rate_cell(u.checkins, official, u.left_behind),
             "missed": figures_text.show_count(u.monthly_missed + u.weekly_missed, official),
             "aid": format_param(figures_text.aid_param(u, official), loc, tz)}
            for u in [*report.towns, *report.units]]
    teachers = [{"name": gettext(loc, figures_text.FORMER).format(name=t.name) if t.former else t.name,
                 "classes": "、".join(t.classes), "monthly": rate_cell(t.monthly, False),
                 "weekly": rate_cell(t.weekly, False), "missed": t.monthly_missed + t.weekly_missed}
                for t in report.teachers]
    starred = official and figures_text.starred(lines[0][1:], rows)
    return {"title": lines[0][0], "figures": lines[0][1:], "rows": rows, "teachers": teachers,
            # A ``*`` says why it is there, below the table, only when one is shown.
            "starred_note": render(Prompt(figures_text.WITHHELD_RULE), loc, tz).text if starred else None,
            "whole_note": render(Prompt(figures_text.WHOLE_RULE), loc, tz).text if official and report.withheld
            else None,
            "period": report.period.label, "bad_period": bad_period,
            "official": official,
            # An official's note: aggregates only, and the suppression rule the figures follow.
            "note": render(Prompt(N_("You see aggregates only. {rule}"),
                                  {"rule": msg(figures_text.SUPPRESSION_RULE)}), loc, tz).text,
            "unit_heading": gettext(loc, "Per class:" if not official else "Per school:")}
