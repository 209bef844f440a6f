"""The figures as prompts (``/report`` in chat, ``guanai report``): the total in full, one line per unit.

Rates are written ``45/50 (90.0%)``; for officials a suppressed count is
``<5``, a suppressed rate ``(<5)``, and a rate with 1–4 done or not done a band, ``<5/122 (≤4%)`` or
``*/122 (≥96%)`` (``*/8`` over fewer than 10; :func:`bot.domain.figures.rate_band`). The same
strings serve both languages, so they are plain parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from bot.domain.figures import (
    MIN_SHOWN,
    Level,
    PeriodKind,
    Rate,
    ReportPeriod,
    UnitFigures,
    hidden_mark,
    hidden_rate_mark,
    month_period,
    parse_range,
    rate_band,
    shown_aid,
    small_done,
    suppressed_count,
    suppressed_rate,
    yuan,
)
from bot.messages.prompt import N_, Prompt, msg, nmsg, plural, text
from bot.services import figures_terms, school_year
from bot.services.duties import MONTHLY, WEEKLY
from bot.services.figures import Report, TeacherFigures
from bot.services.ports import UnitOfWork

FORMER = N_("{name} (former)")
"""A teacher credited only with talks held before the duty passed on (a former class teacher)."""

SUPPRESSED = "<5"
STAR = "*"
"""How a count of 5 or more hidden beside a small one reads (:func:`bot.domain.figures.hidden_mark`)."""
SUPPRESSION_RULE = N_("To protect the children's privacy, counts under 5 (1 to 4) are shown as <5, and rates that "
                      "would reveal them as a range, (<5) or *.")
"""The rule of :func:`bot.domain.figures.suppressed_count` and ``suppressed_rate`` in one plain line, for officials.

One line, not the rule's every case: an official read the old paragraph as small print (fix6m).
"""
WHOLE_RULE = N_("Some figures are hidden (*) in every row: however they were hidden, a count under 5 could have "
                "been worked out from the rest. We are sorry; the schools can give you these figures directly.")
"""Said when the disclosure audit ran out of cells to hide (``Report.withheld``)."""
WITHHELD_RULE = N_("* : hidden too, so that a count under 5 beside it cannot be worked out from the totals.")
"""Complementary suppression in words (:mod:`bot.domain.figures_complement`), when a ``*`` is shown."""

CHAIN_NOTE = N_("  (suspected abuse reports are not in these three: their chain goes to the school's leaders "
                "and child protection, never the guardian or parents)")
"""Said under the chain's rates (chat, dashboard) and in the 统计 sheet's notes: what their denominators leave out."""

LEVEL_LABELS = {
    Level.CLASS: N_("class"), Level.SCHOOL: N_("school"), Level.TOWN: N_("town"), Level.COUNTY: N_("county"),
}

_MONTH_WORDS = {"", "month", "this month", "本月", "月", "这个月", "本月份"}
_LAST_MONTH_WORDS = {"last month", "previous month", "上个月", "上月", "上一个月"}
_SEMESTER_WORDS = {"semester", "term", "this term", "this semester", "学期", "本学期", "这学期", "这个学期"}
_YEAR_WORDS = {"year", "this year", "school year", "学年", "本学年", "这学年"}


def period_from_text(uow: UnitOfWork, school_id: int, value: str, today: date) -> ReportPeriod | None:
    """The period a person typed: nothing or 本月 (this month), 上个月 (last month), 学期, 学年, ``2026-11``, ``D~D``.

    Or a term or school year by name: 上学期, 上学年, 2025-2026学年第一学期 (:mod:`bot.services.figures_terms`).

    A semester is the school's term holding ``today`` (or the last one before
    it, in a vacation); the school year runs from the autumn term's first day
    to the spring term's last. None when the words mean nothing, and for a
    period outside :func:`sane` (``9999-12-31`` overflows the zone conversion).
    """
    period = _period_from_text(uow, school_id, value, today)
    return period if period is not None and sane(period, today) else None


EARLIEST_YEAR = 2000
"""No school's records go back further than this; a period before it is a typing error, not a question."""


def sane(period: ReportPeriod, today: date) -> bool:
    """Whether the period lies within the years a school's records can hold: from :data:`EARLIEST_YEAR` to next year.

    Dates at the calendar's limits (``0001-01-01``, ``9999-12-31``) would overflow when turned into UTC
    instants, and a span of centuries would be counted month by month for nothing.
    """
    return period.first >= date(EARLIEST_YEAR, 1, 1) and period.last <= date(today.year + 1, 12, 31)


def _period_from_text(uow: UnitOfWork, school_id: int, value: str, today: date) -> ReportPeriod | None:
    word = " ".join(value.strip().lower().split())
    if word in _MONTH_WORDS:
        return month_period(today.year, today.month)
    if word in _LAST_MONTH_WORDS:  # officials ask for the month just closed (a tester's ``统计 上个月``)
        last = today.replace(day=1) - timedelta(days=1)
        return month_period(last.year, last.month)
    if word in _SEMESTER_WORDS | _YEAR_WORDS:
        year = school_year.school_year(uow, school_id, today)
        started = [s for s in year.semesters if s.starts_on <= today] or year.semesters[:1]
        term = started[-1]
        if word in _SEMESTER_WORDS:
            return ReportPeriod(PeriodKind.SEMESTER, term.starts_on, term.ends_on)
        autumn = [s for s in started if s.starts_on.month >= 8]
        first = autumn[-1].starts_on if autumn else term.starts_on
        later = [s for s in year.semesters if s.starts_on >= first][:2]
        last = later[-1].ends_on if later else first + timedelta(days=364)
        return ReportPeriod(PeriodKind.YEAR, first, last)
    return parse_range(value) or figures_terms.named_period(uow, school_id, value, today)  # 上学期, 2025-2026学年…


def show_count(count: int, official: bool) -> str:
    """A count as shown: ``12``, or ``<5`` for an official."""
    shown = suppressed_count(count, official)
    return hidden_mark(count) if shown is None else str(shown)


def show_rate(rate: Rate, official: bool, children: int | None = None) -> str:
    """``45/50 (90.0%)``, ``—`` when nothing was due, ``(<5)`` suppressed for an official.

    ``children``: for a rate of work done for a unit's children, the unit's
    left-behind children (:func:`bot.domain.figures.suppressed_rate`).
    """
    if rate.total <= 0:
        return "—"
    shown = suppressed_rate(rate, official, children)
    if shown is None:
        return hidden_rate_mark(rate, children)  # "(<5)", or "*" when hidden only beside a small count
    band = rate_band(shown, official)
    if band == STAR:  # 1–4 done or not done over fewer than 10: a band would say next to nothing
        return f"{STAR}/{shown.total}"
    if band is not None:  # "<5/122 (≤4%)", "*/122 (≥96%)": no figure that gives the 1–4 away (rate_band)
        return f"{SUPPRESSED if small_done(shown, official) else STAR}/{shown.total} ({band})"
    return f"{shown.done}/{shown.total} ({shown.percent:.1f}%)"


def unit_rate(unit: UnitFigures, name: str, official: bool) -> str:
    """One of the unit's rates as shown, by the rule for its kind (:meth:`UnitFigures.shown`)."""
    rate: Rate = getattr(unit, name)
    return show_rate(rate, official, unit.left_behind if name in UnitFigures.WORK_RATES else None)


def _share(unit: UnitFigures, official: bool) -> str:
    shown = unit.shown("share", official)
    if shown is None:
        return STAR if hidden_rate_mark(unit.share) == STAR else SUPPRESSED  # "*": hidden only beside a small count
    return f"{shown.percent:.1f}%" if shown.percent is not None else "—"


def unit_lines(unit: UnitFigures, official: bool) -> tuple[tuple[str, dict[str, Any]], ...]:
    """Every figure of one unit, one line each."""
    def r(name: str) -> str:
        return unit_rate(unit, name, official)

    steps = {n: show_rate(unit.steps.get(n, Rate()), official) for n in (1, 2, 3)}
    return (
        (N_("• Left-behind children: {count} of {pupils} ({share})"),
         {"count": show_count(unit.left_behind, official),
          "pupils": pupils_param(unit.pupils, official) if unit.pupils else "—",
          "share": _share(unit, official)}),
        (N_("• Complete cards (建档率): {rate}"), {"rate": r("filed")}),
        (N_("• Monthly talks by class teachers: {rate}"), {"rate": r("monthly_talks")}),
        (N_("• Weekly talks by helpers and volunteers: {rate}"), {"rate": r("weekly_talks")}),
        (N_("• Talks missed (month or week over, no talk): monthly {monthly}; weekly {weekly}"),
         {"monthly": show_count(unit.monthly_missed, official), "weekly": show_count(unit.weekly_missed, official)}),
        (N_("• Weekly check-ins answered by guardians: {rate}"), {"rate": r("checkins")}),
        (N_("• Incident chain on time — guardian within 30 min: {first}; parents within 1 h: {second}; "
            "bureau and town within 2 h: {third}"), {"first": steps[1], "second": steps[2], "third": steps[3]}),
        (CHAIN_NOTE, {}),
        (N_("• Incidents reported: {count}"), {"count": show_count(unit.incidents, official)}),
        (N_("• Tasks closed within 7 days: {rate}"), {"rate": r("tasks")}),
        (N_("• Children with a helper teacher, a volunteer and a study buddy: {rate}"), {"rate": r("paired")}),
        (N_("• Programme activities done: {rate}"), {"rate": r("programme")}),
        aid_line(unit, official),
        (N_("• Dropout watch (控辍保学: left or not attending): {count}"),
         {"count": show_count(unit.dropout_watch, official)}),
    )


def starred(lines: list[str], rows: list[dict[str, Any]]) -> bool:
    """Whether the dashboard shows a ``*`` (a count hidden beside a small one) in its lines or its table's cells."""
    def text_of(value: Any) -> str:  # a rate's cell is {"text": …, "percent": …}
        return str(value.get("text", "")) if isinstance(value, dict) else str(value)

    return any(STAR in line for line in lines) or any(
        text_of(value).startswith(STAR) for row in rows for key, value in row.items() if key != "name")


def children_param(count: int, official: bool) -> dict[str, Any]:
    """``12 children`` (``12名儿童``), ``1 child``; ``<5 children`` for an official when 1–4."""
    shown = suppressed_count(count, official)
    return nmsg("{count} child", "{count} children", MIN_SHOWN if shown is None else shown,
                count=hidden_mark(count) if shown is None else str(shown))


def pupils_param(count: int, official: bool) -> dict[str, Any]:
    """``105 pupils`` (``105人``), ``1 pupil``; ``<5 pupils`` for an official when 1–4."""
    shown = suppressed_count(count, official)
    return nmsg("{count} pupil", "{count} pupils", MIN_SHOWN if shown is None else shown,
                count=hidden_mark(count) if shown is None else str(shown))


def aid_param(unit: UnitFigures, official: bool) -> dict[str, Any]:
    """The unit's aid records of the period: ``3 children, cash 500 yuan``; for an official ``<5 children`` and no sum.

    No cash given: the children only (``0 children``, ``2 children`` given goods).

    The suppression is :func:`bot.domain.figures.shown_aid`, the rule of the school's own aid line.
    """
    children, cash = shown_aid(unit, official)
    given = children_param(unit.aid_children, official)
    if children is None or cash is None or not unit.aid_cash_children:  # a row names no cash nobody was given
        return given
    return msg(N_("{children}, cash {cash} yuan"), children=given, cash=yuan(cash))


def aid_line(unit: UnitFigures, official: bool) -> tuple[str, dict[str, Any]]:
    """Aid, both figures labelled: the roster's 救助帮扶 column, and the aid records of the period.

    For an official the children given aid show ``<5`` when 1–4, and the cash total is left out while it
    would be about so few children (:func:`bot.domain.figures.shown_aid`).
    """
    children, cash = shown_aid(unit, official)
    params: dict[str, Any] = {"roster": children_param(unit.aided, official),
                              "children": children_param(unit.aid_children, official)}
    if cash is None:
        return N_("• Aid in the roster (救助帮扶): {roster}; aid recorded this period: {children}"), params
    return (N_("• Aid in the roster (救助帮扶): {roster}; aid recorded this period: {children}, cash {cash} yuan "
               "in all"), {**params, "cash": yuan(cash)})


def _row(unit: UnitFigures, official: bool) -> tuple[str, dict[str, Any]]:
    """One class's (school's, town's) line: its children, the main rates, and the aid recorded in the period."""
    return (N_("• {name}: {children}; cards {filed}; monthly talks {monthly}; weekly talks {weekly}; "
               "check-ins {checkins}; aid {aid}"),
            {"name": text(unit.name), "children": children_param(unit.left_behind, official),
             "filed": unit_rate(unit, "filed", official), "monthly": unit_rate(unit, "monthly_talks", official),
             "weekly": unit_rate(unit, "weekly_talks", official), "checkins": unit_rate(unit, "checkins", official),
             "aid": aid_param(unit, official)})


_TEACHER_LINES = {
    (True, True): (N_("• {name} ({classes}): monthly {monthly}; weekly {weekly}; missed {missed}"),
                   N_("• {name}: monthly {monthly}; weekly {weekly}; missed {missed}")),
    (True, False): (N_("• {name} ({classes}): monthly {monthly}; missed {missed}"),
                    N_("• {name}: monthly {monthly}; missed {missed}")),
    (False, True): (N_("• {name} ({classes}): weekly {weekly}; missed {missed}"),
                    N_("• {name}: weekly {weekly}; missed {missed}")),
}


def _teacher(t: TeacherFigures) -> tuple[str, dict[str, Any]] | None:
    """One person's talks: only the kinds they owe (a helper owes no monthly talk); None when they owe none."""
    monthly = MONTHLY in t.kinds or t.monthly.total > 0
    weekly = WEEKLY in t.kinds or t.weekly.total > 0
    if not monthly and not weekly:
        return None

    def shown(rate: Rate) -> Any:
        return show_rate(rate, False) if rate.total > 0 else msg(N_("none due yet"))

    name: Any = msg(FORMER, name=text(t.name)) if t.former else text(t.name)
    params: dict[str, Any] = {"name": name, "monthly": shown(t.monthly), "weekly": shown(t.weekly),
                              "missed": t.monthly_missed + t.weekly_missed}
    with_classes, without = _TEACHER_LINES[(monthly, weekly)]
    if t.classes:
        params["classes"] = [text(c) for c in t.classes]
        return with_classes, params
    return without, params


def _teacher_lines(teachers: Sequence[TeacherFigures]) -> list[tuple[str, dict[str, Any]]]:
    """One line per person with a talk due or missed, then one line naming everyone with none due yet.

    A new-user trial read a principal's ``/report`` of about 60 lines, 20 of them volunteers' "weekly none
    due yet; missed 0" early in the school year: those people are named together on one line.
    """
    lines: list[tuple[str, dict[str, Any]]] = []
    idle: list[Any] = []
    for t in teachers:
        line = _teacher(t)
        if line is None:
            continue
        if t.monthly.total == 0 and t.weekly.total == 0 and t.monthly_missed + t.weekly_missed == 0:
            idle.append(msg(FORMER, name=text(t.name)) if t.former else text(t.name))
        else:
            lines.append(line)
    if idle:
        lines.append(plural("• No talk due yet for {count} person: {names}",
                            "• No talk due yet for {count} people: {names}", len(idle),
                            count=len(idle), names=idle))
    return lines


def _starred_in_chat(report: Report) -> bool:
    """Whether ``/report`` writes a ``*``: in the total's counts, or a row's children or children given aid."""
    total = report.total
    shown = [total.left_behind, total.monthly_missed, total.weekly_missed, total.incidents, total.aided,
             total.aid_children, total.dropout_watch]
    shown += [count for u in (*report.towns, *report.units) for count in (u.left_behind, u.aid_children)]
    rates = [unit_rate(u, name, True) for u in (*report.towns, *report.units)
             for name in ("filed", "monthly_talks", "weekly_talks", "checkins")]
    rates += [unit_rate(total, name, True) for name in UnitFigures.WORK_RATES]
    rates += [show_rate(total.steps.get(n, Rate()), True) for n in (1, 2, 3)] + [_share(total, True)]
    return any(hidden_mark(count) == STAR for count in shown) or any(r.startswith(STAR) for r in rates)


NAMED_SCHOOLS = 5
"""Up to this many schools an official oversees are named in the title of their ``/report``."""


def report_title(report: Report) -> tuple[str, dict[str, Any]]:
    """The head of ``/report``: the unit by name, or for an official without one the schools they oversee.

    An education office's official sees every school in the database (:func:`bot.services.oversight.official_schools`),
    which has no name of its own: "all schools (county)" read to a town's 教育办 as someone else's county, so the
    title counts (and, up to :data:`NAMED_SCHOOLS`, names) the schools the figures are about.
    """
    period = report.period.label
    if report.total.name or not report.official:
        name: Any = text(report.total.name) if report.total.name else msg(N_("all schools"))
        return N_("Figures for {name} ({level}), {period}:"), {
            "name": name, "level": msg(LEVEL_LABELS[report.level]), "period": period}
    n = len(report.units)
    if n <= NAMED_SCHOOLS:
        return plural("Figures for the {count} school you oversee ({schools}), {period}:",
                      "Figures for the {count} schools you oversee ({schools}), {period}:", n,
                      count=n, schools=[text(u.name) for u in report.units], period=period)
    return plural("Figures for the {count} school you oversee, {period}:",
                  "Figures for the {count} schools you oversee, {period}:", n, count=n, period=period)


def report_prompts(report: Report, *, rule: bool = True) -> list[Prompt]:
    """``/report``: the total in full, then the classes (or schools and towns), then the teachers.

    ``rule``: an official's figures end with :data:`SUPPRESSION_RULE` (the dashboard says it in its own note).
    """
    official = report.official
    head, params = report_title(report)
    lines = unit_lines(report.total, official)
    if official and rule:
        lines += ((SUPPRESSION_RULE, {}),)
    if official and rule and _starred_in_chat(report):
        lines += ((WITHHELD_RULE, {}),)
    if official and rule and report.withheld:
        lines += ((WHOLE_RULE, {}),)
    prompts = [Prompt(head, params, lines=lines)]
    if report.towns:
        prompts.append(Prompt(N_("Per town:"), lines=tuple(_row(u, official) for u in report.towns)))
    if report.units:
        heading = N_("Per class:") if report.level is Level.SCHOOL else N_("Per school:")
        prompts.append(Prompt(heading, lines=tuple(_row(u, official) for u in report.units)))
    teachers = _teacher_lines(report.teachers) if not official else []
    if teachers:
        prompts.append(Prompt(N_("Talks per teacher and volunteer:"), lines=tuple(teachers)))
    return prompts
