"""The chart ``/report`` sends with its figures: monthly talks and complete cards per class (or school)."""

from __future__ import annotations

from bot.adapters.chart_png import bar_chart
from bot.domain.figures import UnitFigures
from bot.i18n import gettext
from bot.messages.prompt import N_, Attachment
from bot.services.figures import Report


def _percent(unit: UnitFigures, name: str, official: bool) -> float | None:
    shown = unit.shown(name, official)
    return shown.percent if shown is not None else None


def chart(report: Report, locale: str) -> Attachment | None:
    """A PNG of the report's units (classes, or schools for officials); None when there is no unit to draw."""
    if not report.units:
        return None
    rows = [(u.name, _percent(u, "monthly_talks", report.official), _percent(u, "filed", report.official))
            for u in report.units]
    title = gettext(locale, N_("Monthly talks and complete cards, {period}")).format(period=report.period.label)
    legend = (gettext(locale, N_("monthly talks")), gettext(locale, N_("complete cards")))
    data = bar_chart(title, legend, rows, fallback=(f"Talks and cards, {report.period.label}", "monthly talks %",
                                                    "complete cards %"))
    return Attachment(f"report-{report.period.label}.png", data, "image/png")
