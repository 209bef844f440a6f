"""The figures as a worksheet (``/export 统计``, the dashboard's download): numbers stay numbers.

One row per unit (each class, school or town, then the total) and, for each
rate, three columns: done, of, and the percentage; the talks missed (months / weeks over without the
talk) are counts, as ``/report`` shows them; aid is the roster's 救助帮扶 count, the children given aid
in the period and the cash given (yuan). For officials a count of
1–4 is written ``<5`` and a rate that would give one away is written as marks in its three columns
(``<5``, ``<5``, ``(<5)``; the rule of :mod:`bot.domain.figures`), and a rate with 1–4 done or not done has
its numerator hidden and a band for its percentage
(``<5``, 122, ``≤4%``; ``*``, 122, ``≥96%``; ``*``, 8, ``*`` under 10),
exactly as :mod:`bot.services.figures_text` shows it in chat. Below the table an official's sheet
says what ``<5`` means and, when a ``*`` is written, why that count is hidden too.
"""

from __future__ import annotations

from bot.domain.figures import (
    MIN_SHOWN,
    Rate,
    UnitFigures,
    hidden_mark,
    hidden_rate_mark,
    rate_band,
    shown_aid,
    small_done,
    suppressed_count,
    suppressed_rate,
)
from bot.domain.tables import Cell, Sheet
from bot.i18n import gettext, render
from bot.messages.prompt import N_, Prompt, plural
from bot.services.figures import Report
from bot.services.figures_text import (
    CHAIN_NOTE,
    FORMER,
    LEVEL_LABELS,
    STAR,
    SUPPRESSED,
    SUPPRESSION_RULE,
    WHOLE_RULE,
    WITHHELD_RULE,
)

RATE_COLUMNS = (
    ("filed", N_("Complete cards")), ("monthly_talks", N_("Monthly talks")), ("weekly_talks", N_("Weekly talks")),
    ("checkins", N_("Check-ins answered")), ("tasks", N_("Tasks in time")), ("paired", N_("Fully paired")),
    ("programme", N_("Programme done")),
)
STEP_COLUMNS = ((1, N_("Guardian within 30 min")), (2, N_("Parents within 1 h")), (3, N_("Bureau and town within 2 h")))


def _rate(rate: Rate, official: bool, children: int | None = None) -> list[Cell]:
    if rate.total <= 0:
        return [0, 0, None]
    shown = suppressed_rate(rate, official, children)
    if shown is None:  # done and total together would give the small count away; "*" if hidden only beside one
        # Laid out as every other rate (done, of, %): each count's own mark, the rate's in the % column.
        if getattr(rate, "star", False) or getattr(children, "star", False):
            return [STAR, STAR, STAR]  # the audit's *: not even "1–4" may be said of it (figures_complement.Starred)
        return [_mark(rate.done), _mark(rate.total), hidden_rate_mark(rate, children)]
    band = rate_band(shown, official)
    if band is not None:  # 1–4 done or not done: the numerator hidden, the percentage a band (or "*" under 10)
        return ["<5" if small_done(shown, official) and band != STAR else STAR, shown.total, band]
    return [shown.done, shown.total, shown.percent]


def _mark(n: int) -> str:
    """A count of a hidden rate: ``<5`` when it is 1–4, else ``*`` (hidden beside one)."""
    return SUPPRESSED if 0 < n < MIN_SHOWN else STAR


def _count(n: int, official: bool) -> Cell:
    shown = suppressed_count(n, official)
    return hidden_mark(n) if shown is None else shown


def _total_name(schools: int, locale: str) -> str:
    """The bureau's total row, which has no name of its own: what it is, its schools' total (not "all schools")."""
    return render(Prompt(*plural("Total ({count} school)", "Total ({count} schools)", schools, count=schools)),
                  locale).text


def _row(unit: UnitFigures, official: bool, locale: str, schools: int = 0) -> list[Cell]:
    share = unit.shown("share", official)
    cells: list[Cell] = [unit.name or _total_name(schools, locale),
                         gettext(locale, LEVEL_LABELS[unit.level]),
                         _count(unit.pupils, official), _count(unit.left_behind, official),
                         share.percent if share else None]
    for name, _label in RATE_COLUMNS:
        cells += _rate(getattr(unit, name), official, unit.left_behind)
    for step, _label in STEP_COLUMNS:
        cells += _rate(unit.steps.get(step, Rate()), official)
    aid_children, aid_cash = shown_aid(unit, official)
    cells += [_count(unit.incidents, official), _count(unit.aided, official),
              hidden_mark(unit.aid_children) if aid_children is None else aid_children,
              None if aid_cash is None else float(aid_cash),
              _count(unit.dropout_watch, official),
              _count(unit.monthly_missed, official), _count(unit.weekly_missed, official)]
    return cells


def figures_sheets(report: Report, locale: str) -> list[Sheet]:
    """The report's rows on one sheet, and each teacher's talks on a second (school staff only)."""
    def t(message_id: str) -> str:
        return gettext(locale, message_id)

    done, of, percent = t(N_("done")), t(N_("of")), "%"
    header = [t(N_("Unit")), t(N_("Level")), t(N_("Pupils")), t(N_("Left-behind children")),
              t(N_("Left-behind share %"))]
    for _name, label in (*RATE_COLUMNS, *STEP_COLUMNS):
        header += [f"{t(label)}: {done}", f"{t(label)}: {of}", f"{t(label)} {percent}"]
    header += [t(N_("Incidents")), t(N_("Aid in the roster (救助帮扶)")), t(N_("Children given aid (records)")),
               t(N_("Cash aid given (yuan)")), t(N_("Dropout watch")),
               t(N_("Monthly talks missed")), t(N_("Weekly talks missed"))]
    units = [*report.towns, *report.units, report.total]
    rows = [_row(u, report.official, locale, len(report.units)) for u in units]
    notes = [t(CHAIN_NOTE).strip()] + ([t(SUPPRESSION_RULE)] if report.official else [])
    if any(cell == STAR for row in rows for cell in row[2:]):  # a * says why, only when one is written
        notes.append(t(WITHHELD_RULE))
    if report.official and report.withheld:
        notes.append(t(WHOLE_RULE))
    sheets = [Sheet(t(N_("Figures {period}")).format(period=report.period.label), header, rows,
                    widths=[18, 8, *[10] * (len(header) - 2)], notes=notes)]
    if report.teachers and not report.official:
        sheets.append(Sheet(t(N_("Talks per teacher")), [
            t(N_("Teacher")), t(N_("Classes")), f"{t(N_('Monthly talks'))}: {done}", f"{t(N_('Monthly talks'))}: {of}",
            f"{t(N_('Monthly talks'))} %", f"{t(N_('Weekly talks'))}: {done}", f"{t(N_('Weekly talks'))}: {of}",
            f"{t(N_('Weekly talks'))} %", t(N_("Monthly talks missed")), t(N_("Weekly talks missed"))],
            [[t(FORMER).format(name=x.name) if x.former else x.name, "、".join(x.classes) or None,
              *_rate(x.monthly, False), *_rate(x.weekly, False),
              x.monthly_missed, x.weekly_missed]
             for x in report.teachers], widths=[12, 16, 10, 10, 10, 10, 10, 10, 10, 10]))
    return sheets
