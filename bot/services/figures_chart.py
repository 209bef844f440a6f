"""The chart ``/report`` sends with its figures: monthly talks and complete cards per class (or school)."""

from __future__ import annotations

from typing import Any

from bot.adapters.chart_png import bar_chart, has_cjk_font
from bot.domain.figures_bar import Bar, rate_bar
from bot.i18n import gettext
from bot.messages.prompt import N_, Attachment, text
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
    # Without a Chinese font the picture is labelled in the catalog's English (never empty boxes).
    fallback = (gettext("en", FALLBACK_TITLE).format(period=report.period.label), gettext("en", FALLBACK_TALKS),
                gettext("en", FALLBACK_CARDS))
    data = bar_chart(title, legend, rows, fallback=fallback)
    return Attachment(f"report-{report.period.label}.png", data, "image/png")


FALLBACK_TITLE = N_("Talks and cards, {period}")
FALLBACK_TALKS = N_("monthly talks %")
FALLBACK_CARDS = N_("complete cards %")
IN_ENGLISH = N_("The chart is labelled in English (the server has no Chinese font): “{talks}” is the share of "
                "monthly talks, “{cards}” the share of complete cards, and a class such as 1-2 is grade 1, class 2.")


IN_ENGLISH_SCHOOLS = N_("The chart is labelled in English (the server has no Chinese font): “{talks}” is the share "
                        "of monthly talks, “{cards}” the share of complete cards, and each school's name is written "
                        "in pinyin.")
"""The same line for an official's chart, whose bars are schools, not classes."""


def in_english_line(locale: str, *, schools: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """The line explaining a chart drawn in English for a reader of another language; none when it is not.

    Args:
        locale: the reader's language.
        schools: the chart's bars are schools (an official's report), not classes.
    """
    if has_cjk_font() or locale == "en":
        return []
    return [(IN_ENGLISH_SCHOOLS if schools else IN_ENGLISH,
             {"talks": text(gettext("en", FALLBACK_TALKS)), "cards": text(gettext("en", FALLBACK_CARDS))})]
