"""The chart ``/report`` sends with its figures: monthly talks and complete cards per class (or school)."""

from __future__ import annotations

from bot.adapters.chart_png import bar_chart
from bot.domain.figures_bar import Bar, rate_bar
from bot.i18n import gettext
from bot.messages.prompt import N_, Attachment
from bot.services.figures import Report


def chart_rows(report: Report) -> list[tuple[str, Bar, Bar]]:
    """Per unit: its name, its monthly talks' bar and its complete cards' bar, as the reader may see them."""
    official = report.official
    return [(u.name, rate_bar(u.monthly_talks, official, u.left_behind), rate_bar(u.filed, official, u.left_behind))
            for u in report.units]


def chart(report: Report, locale: str) -> Attachment | None:
    """A PNG of the report's units (classes, or schools for officials); None when there is no unit to draw."""
    if not report.units:
        return None
    rows = chart_rows(report)
    title = gettext(locale, N_("Monthly talks and complete cards, {period}")).format(period=report.period.label)
    legend = (gettext(locale, N_("monthly talks")), gettext(locale, N_("complete cards")))
    data = bar_chart(title, legend, rows, fallback=(f"Talks and cards, {report.period.label}", "monthly talks %",
                                                    "complete cards %"))
    return Attachment(f"report-{report.period.label}.png", data, "image/png")
