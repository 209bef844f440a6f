"""Past terms and school years chosen by name: ``上学期``, ``2025-2026学年第一学期``, ``last term`` (fix9e).

Officials may see figures for whole months, terms and school years only (:mod:`bot.services.figures_periods`);
until now they reached a past term only by typing its exact first and last day, which nobody knows by heart.
A name gives the school's own term (or school year: an autumn term's first day to the next spring term's
last), so what it gives is always one of the whole periods, for officials and staff alike.

* ``上学期`` / ``last term``: the last term that ended before today (in a vacation, the one just ended).
* ``上学年`` / ``last school year``: likewise the last school year that ended.
* ``2025-2026学年`` (``2025-26``, ``2025/2026 school year``): that school year; with ``第一学期`` / ``上学期`` /
  ``秋季学期`` (``term 1``, ``first term``, ``autumn term``) its autumn term, with ``第二学期`` / ``下学期`` /
  ``春季学期`` (``term 2``, ``spring term``) its spring term.
* ``2025年秋季学期``, ``2026春季学期``, ``autumn 2025``, ``spring term 2026``: the term of that season and year.

A name the school has no term for (its terms entered do not reach back that far, or ``2025-2027学年``) is
answered with :func:`unknown`: which terms the school has, never "could not read".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from bot.domain.figures import Level, PeriodKind, ReportPeriod
from bot.domain.school_year import Semester
from bot.messages.prompt import N_, Prompt, month, msg, text
from bot.services import school_year
from bot.services.figures import SCHOOL_ROLES
from bot.services.identity import Actor
from bot.services.oversight import official_schools
from bot.services.ports import UnitOfWork
from bot.store.models import School

NO_SUCH_TERM = N_("Your school has no term or school year on record that “{value}” names. Its terms: {terms}. "
                  "Try 学期 (this term), 上学期 (last term), 学年 (this school year), 上学年 (last school year), "
                  "a term by name (2025-2026学年第一学期, 2026年春季学期) or a month (2026-11).")
"""Said for a term's or school year's name the school has no such period for (chat, command line, dashboard)."""

NO_SUCH_TERM_FOR = N_("The school calendar your figures for {scope} follow ({school}'s) has no term or school year "
                      "that “{value}” names. Its terms: {terms}. Try 学期 (this term), 上学期 (last term), 学年 "
                      "(this school year), 上学年 (last school year), a term by name (2025-2026学年第一学期, "
                      "2026年春季学期) or a month (2026-11).")
""":data:`NO_SUCH_TERM` for an official: her figures cover a town or the county, not "your school" (fix9h)."""
THE_COUNTY = N_("the county")
TERM_NAME = {"autumn": N_("{first}-{second} school year, term 1"), "spring": N_("{first}-{second} school year, term 2")}
"""A term by the name :func:`named_period` reads back (2025-2026学年第一学期)."""
YEAR_NAME = N_("{first}-{second} school year")
WHOLE_PERIODS_NAMED = N_("Officials see figures for whole periods only: figures for other spans could be subtracted "
                         "from one another to single out a few children. You can ask for {choices}, or another term "
                         "or school year by name.")
"""Said to an official who typed another range, with the whole periods by name (fix9h: not raw dates)."""
CHOICE = N_("{word} ({name})")

SHOWN_TERMS = 6
"""How many of the school's terms (the latest begun) :data:`NO_SUCH_TERM` lists."""

_LAST_TERM = {"上学期", "上个学期", "上一学期", "上一个学期", "lastterm", "lastsemester", "previousterm",
              "previoussemester"}
_LAST_YEAR = {"上学年", "上个学年", "上一学年", "上一个学年", "上学年度", "lastschoolyear", "previousschoolyear",
              "lastyear", "lastacademicyear"}
_FIRST = r"(?:第[一1]学期|上学期|秋季?学期|秋季|term1|firstterm|1stterm|autumnterm|fallterm|firstsemester|autumn|fall)"
_SECOND = r"(?:第[二2]学期|下学期|春季?学期|春季|term2|secondterm|2ndterm|springterm|secondsemester|spring)"
_SPAN = r"(\d{4})年?[-/~至到](\d{4}|\d{2})年?(?:学年度?|学年|schoolyear|academicyear|year)?"
_YEAR_TERM = re.compile(rf"^{_SPAN}(?:({_FIRST})|({_SECOND}))?$")
_TERM_YEAR = re.compile(rf"^(?:({_FIRST})|({_SECOND})),?{_SPAN}$")
_SEASON = re.compile(r"^(\d{4})年?(?:(秋季?(?:学期)?|autumn(?:term|semester)?|fall(?:term|semester)?)|"
                     r"(春季?(?:学期)?|spring(?:term|semester)?))$")
_SEASON_FIRST = re.compile(r"^(?:(autumn|fall)|(spring))(?:term|semester)?,?(\d{4})$")


class _NoSuchTerm(LookupError):
    """The words name a term or school year, but the school has none by that name."""


def _key(value: str) -> str:
    """The words as compared: full-width forms folded (NFKC), lower case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", value).lower().split()).replace("—", "-").replace("–", "-")


def named_period(uow: UnitOfWork, school_id: int, value: str, today: date) -> ReportPeriod | None:
    """The term or school year ``value`` names (module doc), or None when it names none the school has."""
    try:
        return _named(uow, school_id, _key(value), today)
    except (_NoSuchTerm, ValueError, OverflowError):  # a year at the calendar's limits names no term either
        return None


def term_name(term: Semester) -> dict[str, Any]:
    """A term by name (``2025-2026学年第一学期``, ``2025-2026 school year, term 1``), as a prompt parameter."""
    first = term.starts_on.year if term.season == "autumn" else term.starts_on.year - 1
    return msg(TERM_NAME.get(term.season, TERM_NAME["autumn"]), first=text(str(first)), second=text(str(first + 1)))


def official_scope(uow: UnitOfWork, actor: Actor) -> dict[str, Any] | None:
    """What an official's figures cover, by name (the town, or 全县); None for a school's own staff."""
    found = official_schools(uow, actor) if not SCHOOL_ROLES & actor.roles else None
    if found is None:
        return None
    level, town, _ids = found
    return msg(THE_COUNTY) if level is Level.COUNTY or not town else text(town)


def refused(uow: UnitOfWork, school_id: int, value: str, today: date) -> Prompt:
    """An official's range that is no whole period: why, and the whole periods she may ask for, by name."""
    terms = school_year.school_year(uow, school_id, today).semesters
    choices: list[Any] = [msg(CHOICE, word=text("本月"), name=month(f"{today:%Y-%m}"))]
    now_term = [t for t in terms if t.starts_on <= today <= t.ends_on]
    ended = [t for t in terms if t.ends_on < today]
    if now_term:
        choices.append(msg(CHOICE, word=text("本学期"), name=term_name(now_term[0])))
    if ended:
        choices.append(msg(CHOICE, word=text("上学期"), name=term_name(ended[-1])))
    year = [y for y in _years(terms) if y[0].starts_on <= today <= y[1].ends_on]
    if year:
        first = year[0][0].starts_on.year
        choices.append(msg(CHOICE, word=text("本学年"), name=msg(YEAR_NAME, first=text(str(first)),
                                                              second=text(str(first + 1)))))
    return Prompt(WHOLE_PERIODS_NAMED, {"choices": choices})  # the range typed is not said back: it is no period


def unknown(uow: UnitOfWork, school_id: int, value: str, today: date,
            scope: dict[str, Any] | None = None) -> Prompt | None:
    """Why ``value`` gave no period when it names a term or school year the school does not have; else None.

    ``scope``: for an official, what her figures cover (:func:`official_scope`): the answer names it and the
    school whose calendar they follow, never "your school".
    """
    try:
        if _named(uow, school_id, _key(value), today) is not None:
            return None
    except (ValueError, OverflowError):  # no name at all ("2026-13"), or a year at the calendar's limits
        return None
    except _NoSuchTerm:
        terms = [t for t in school_year.school_year(uow, school_id, today).semesters if t.starts_on <= today]
        shown: Any = [term_name(t) for t in terms[-SHOWN_TERMS:]]
        params = {"value": text(value.strip()), "terms": shown or text("—")}
        if scope is not None:
            school = uow.session.get(School, school_id)
            return Prompt(NO_SUCH_TERM_FOR, {**params, "scope": scope, "school": text(school.name if school else "—")})
        return Prompt(NO_SUCH_TERM, params)
    return None


def _named(uow: UnitOfWork, school_id: int, key: str, today: date) -> ReportPeriod | None:
    """The period named; None when ``key`` is no name of a term or school year at all.

    Raises:
        _NoSuchTerm: it is such a name, but the school has no such term or school year.
    """
    if key in _LAST_TERM:
        ended = [t for t in school_year.school_year(uow, school_id, today).semesters if t.ends_on < today]
        if not ended:
            raise _NoSuchTerm(key)
        return ReportPeriod(PeriodKind.SEMESTER, ended[-1].starts_on, ended[-1].ends_on)
    if key in _LAST_YEAR:
        years = [y for y in _years(school_year.school_year(uow, school_id, today).semesters) if y[1].ends_on < today]
        if not years:
            raise _NoSuchTerm(key)
        return ReportPeriod(PeriodKind.YEAR, years[-1][0].starts_on, years[-1][1].ends_on)
    found = _YEAR_TERM.match(key)
    if found:
        first, second, autumn, spring = found.groups()
        return _in_year(uow, school_id, _start_year(first, second), autumn is not None, spring is not None)
    found = _TERM_YEAR.match(key)
    if found:
        autumn, spring, first, second = found.groups()
        return _in_year(uow, school_id, _start_year(first, second), autumn is not None, spring is not None)
    season = _SEASON.match(key)
    if season:
        year, autumn, _spring = season.groups()
        return _season(uow, school_id, int(year), autumn is not None)
    season = _SEASON_FIRST.match(key)
    if season:
        autumn, _spring, year = season.groups()
        return _season(uow, school_id, int(year), autumn is not None)
    return None


def _start_year(first: str, second: str) -> int:
    """The school year's first calendar year; the second must be the next (``2025-2026``, ``2025-26``).

    Raises:
        _NoSuchTerm: ``2025-2027``: no school year.
        ValueError: ``2026-13``, two digits that are not the next year: no name at all (nor a month).
    """
    start = int(first)
    if len(second) == 2 and int(second) != (start + 1) % 100:
        raise ValueError(second)
    if len(second) == 4 and int(second) != start + 1:
        raise _NoSuchTerm(f"{first}-{second}")
    return start


def _years(terms: list[Semester]) -> list[tuple[Semester, Semester]]:
    """The school years: each autumn term with the spring term right after it."""
    return [(a, b) for a, b in zip(terms, terms[1:], strict=False)
            if a.season == "autumn" and b.season == "spring" and b.starts_on.year == a.starts_on.year + 1]


def _in_year(uow: UnitOfWork, school_id: int, start: int, autumn: bool, spring: bool) -> ReportPeriod:
    """The school year starting in autumn ``start``, or its autumn or spring term."""
    terms = school_year.school_year(uow, school_id, date(start, 9, 1)).semesters
    if autumn:
        return _season(uow, school_id, start, True, terms)
    if spring:
        return _season(uow, school_id, start + 1, False, terms)
    years = [y for y in _years(terms) if y[0].starts_on.year == start]
    if not years:
        raise _NoSuchTerm(str(start))
    return ReportPeriod(PeriodKind.YEAR, years[0][0].starts_on, years[0][1].ends_on)


def _season(uow: UnitOfWork, school_id: int, year: int, autumn: bool,
            terms: list[Semester] | None = None) -> ReportPeriod:
    """The school's autumn (or spring) term that starts in ``year``."""
    terms = terms if terms is not None else school_year.school_year(uow, school_id, date(year, 6, 1)).semesters
    found = [t for t in terms if t.starts_on.year == year and (t.season == "autumn") == autumn]
    if not found:
        raise _NoSuchTerm(str(year))
    return ReportPeriod(PeriodKind.SEMESTER, found[0].starts_on, found[0].ends_on)
