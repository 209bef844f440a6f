"""One suppression for every period an official can ask for: months, terms and the school year together (issue 9).

An official chooses from a fixed grid of periods (:mod:`bot.services.figures_periods`): calendar months, the
school's two terms and its school year. Each report was suppressed on its own, so the periods gave each other
away: a town's 学期 of 8 incidents, its 2026-10 of 6 and 2026-09 of 0 turn November's ``<5`` into 2 (a
breaker's probe). Here the figures of the whole school year are laid out as one grid — every school, town and
the county (the official's own scope) × every month, term and the year, with the stretches between their
boundaries as the pieces they add up from — and :func:`bot.domain.suppression_grid.grid_hidden` picks the
cells to hide over all of it at once. Every report of that school year then shows that one pattern, so what
one period hides no other period gives back, nor any sum of them (school → town → county included).

Figures covered (those that change with the period; the roster's counts — left-behind, aided on the roster,
the dropout watch, filed and paired cards — are the same in every period, so periods give nothing of them):

* incidents reported (each counted on its day: the pieces add up to every period);
* talks missed, monthly and weekly (each duty counted on one day, ``talk_duties.counts_in``); the talk rate
  beside a hidden missed count is hidden with it (owed − done would give it back);
* children given aid: distinct children, so a term's are *at most* its months' added up and at least each
  month's (a slack cell and ``at_most`` pairs model exactly that);
* the cash given (to the fen): hidden wherever its children given aid or given cash are 1–4, and then never
  pinned by the other periods' and units' totals.

The school's calendar is the official's own school's (as for the report itself). A month of the summer
vacation that touches no school year stands alone: its own table's suppression covers it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.figures import (
    BAND_MIN_TOTAL,
    MIN_SHOWN,
    Level,
    PeriodKind,
    Rate,
    ReportPeriod,
    UnitFigures,
    Withheld,
    WithheldRate,
    month_period,
)
from bot.domain.figures_complement import Starred, StarredRate
from bot.domain.suppression import Equation, Suppressed
from bot.domain.suppression_grid import grid_hidden
from bot.services import figures_aid, figures_periods_cache, school_year
from bot.services.ports import UnitOfWork
from bot.store.models import School

log = logging.getLogger(__name__)

Key = tuple[date, date]
"""A period's or a piece's first and last day."""

STAR = ":star"
"""A figure's cells whose ``<5`` reads ``*`` in the pattern: under ``name + STAR`` (fix9u)."""

ADDITIVE = ("incidents", "monthly_missed", "weekly_missed")
"""Counts whose pieces add up to every period."""

AHEAD = timedelta(days=31)
"""How far past today the grid reaches (:func:`school_year_grid`)."""

_RATE_OF = {"monthly_missed": "monthly_talks", "weekly_missed": "weekly_talks"}

PERIOD_RATES = ("monthly_talks", "weekly_talks", "checkins", "tasks", "programme", "step1", "step2", "step3")
"""Rates of work whose pieces add up to every period (each act counted on one day; ``stepN``: the incident
chain's steps). The roster's rates (cards filed, pairings, the left-behind share) are the same in every period."""


def _rate(unit: UnitFigures, name: str) -> Rate:
    return unit.steps.get(int(name[-1]), Rate()) if name.startswith("step") else getattr(unit, name)


def _counts(t: UnitFigures) -> dict[str, int]:
    """A unit's figures that change with the period, as whole numbers (cash in fen; a rate as done and left)."""
    out = {name: int(getattr(t, name)) for name in (*ADDITIVE, "aid_children", "aid_cash_children")}
    out["cash"], out["left_behind"] = int(t.aid_cash * 100), int(t.left_behind)
    for name in PERIOD_RATES:
        rate = _rate(t, name)
        out[f"{name}:done"], out[f"{name}:left"] = rate.done, rate.total - rate.done
    return out


def school_year_grid(uow: UnitOfWork, school_id: int, period: ReportPeriod,
                     today: date) -> tuple[list[ReportPeriod], dict[Key, list[Key]]] | None:
    """The periods of the school year ``period`` lies in, begun by ``today`` + :data:`AHEAD`, and their pieces.

    A period not yet begun still holds what counts on a later day: this week's talks count on its Sunday, a
    programme item on its day though reminded before. Further ahead every figure is 0 (and is shown as 0).

    Returns:
        The published periods (the year, its terms, the months touching it; begun by today + AHEAD) and, for each
        published period's ``(first, last)``, the pieces (``(first, last)``, likewise) it is made of; a
        piece that is a whole published month is that month's key. None when the period lies in no school year.
    """
    terms = school_year.school_year(uow, school_id, period.first).semesters
    years = [(a, b) for a, b in zip(terms, terms[1:], strict=False)
             if a.season == "autumn" and b.season == "spring" and b.starts_on.year == a.starts_on.year + 1]
    found = [(a, b) for a, b in years if a.starts_on <= period.last and period.first <= b.ends_on]
    if not found:
        return None
    autumn, spring = found[0]
    periods = [ReportPeriod(PeriodKind.YEAR, autumn.starts_on, spring.ends_on),
               ReportPeriod(PeriodKind.SEMESTER, autumn.starts_on, autumn.ends_on),
               ReportPeriod(PeriodKind.SEMESTER, spring.starts_on, spring.ends_on)]
    day = autumn.starts_on.replace(day=1)
    while day <= spring.ends_on:
        periods.append(month_period(day.year, day.month))
        day = (day + timedelta(days=32)).replace(day=1)
    periods = [p for p in periods if p.first <= today + AHEAD]
    cuts = sorted({d for p in periods for d in (p.first, p.last + timedelta(days=1))})
    months = {(p.first, p.last) for p in periods if p.kind is PeriodKind.MONTH}
    pieces = [(a, b - timedelta(days=1)) for a, b in zip(cuts, cuts[1:], strict=False) if a <= today + AHEAD]
    parts = {(p.first, p.last): [q for q in pieces if p.first <= q[0] and q[1] <= p.last] for p in periods}
    for key in months:  # a whole month that is one piece is its own part
        if parts[key] == [key]:
            parts[key] = []
    del months
    return periods, parts


def protect(uow: UnitOfWork, school_id: int, period: ReportPeriod, now: datetime, level: Level,
                   schools: Sequence[Any], towns: list[UnitFigures], total: UnitFigures,
                   school_figures: Callable[..., Any]) -> None:
    """Hide, in place, what the other periods of the school year would give away of this report (module doc).

    Args:
        uow: the unit of work.
        school_id: the official's own school (its calendar gives the terms).
        period: the period reported (a month, a term or a school year).
        now: the time of the report (figures count up to it).
        level: the report's level (town or county).
        schools: each school's figures (``figures.SchoolFigures``: ``school_id``, ``town``, ``total``).
        towns: for the county, each town's row (by name), else empty.
        total: the report's total row.
        school_figures: ``figures.school_figures`` (passed in: this module sits under ``bot.services.figures``).
    """
    school = uow.session.get(School, school_id)
    today = now.astimezone(ZoneInfo((school.timezone if school else None) or "Asia/Shanghai")).date()
    grid = school_year_grid(uow, school_id, period, today)
    if grid is None or (period.first, period.last) not in grid[1]:
        return
    periods, parts = grid
    pieces = sorted({q for qs in parts.values() for q in qs})
    units: list[tuple[Hashable, str | None]] = [(("s", f.school_id), f.town or "—") for f in schools]
    figures_of: dict[tuple[Hashable, Key], dict[str, int]] = {}
    for f in schools:
        for first, last in sorted({*pieces, *((p.first, p.last) for p in periods if not parts[(p.first, p.last)])}):
            t = school_figures(uow, f.school_id, ReportPeriod(PeriodKind.RANGE, first, last), now).total
            figures_of[(("s", f.school_id), (first, last))] = _counts(t)
        for p in periods:
            key = (p.first, p.last)
            if parts[key]:
                given = list(figures_aid.given(uow, f.school_id, p))
                sums = {name: sum(figures_of[(("s", f.school_id), q)][name] for q in parts[key])
                        for name in figures_of[(("s", f.school_id), parts[key][0])]}
                figures_of[(("s", f.school_id), key)] = {
                    **sums, "aid_children": len(given), "aid_cash_children": sum(g.cash_given for g in given),
                    "left_behind": figures_of[(("s", f.school_id), parts[key][0])]["left_behind"]}  # the roster's
    keys = [(p.first, p.last) for p in periods]
    layout = _Layout(units, level, keys, pieces, parts, figures_of)
    # The same grid (scope, periods, every figure) was decided before: its pattern again (figures_periods_cache).
    grid_key = figures_periods_cache.key_of(level, units, keys, parts, figures_of)
    decided = figures_periods_cache.get(grid_key)
    if decided is None:
        decided = _decide(layout)
        figures_periods_cache.put(grid_key, decided)
    hidden, rates = decided
    rows: list[tuple[Hashable, UnitFigures]] = [(("s", f.school_id), f.total) for f in schools]
    rows += [(("t", t.name), t) for t in towns] + [(("c",), total)]
    at = (period.first, period.last)
    for unit, row in rows:
        # The report's own figures are the grid's (each act counted on one day); one that is not is hidden
        # rather than shown beside a pattern worked out for another value.
        odd = {name for name, v in _counts(row).items() if v != layout.value((unit, at), name)}
        if odd:
            log.warning("figures across periods: %s differ from their pieces for %s; hidden", sorted(odd), unit)

        def hid(name: str, unit: Hashable = unit, odd: set[str] = odd) -> bool:
            return (unit, at) in hidden.get(name, rates.get(name, frozenset())) or bool(
                odd & {name, f"{name}:done", f"{name}:left"})

        def star(name: str, unit: Hashable = unit, row: UnitFigures = row) -> bool:
            # A <5 the labels gave away reads * (as in the table's own audit: one already starred stays so).
            return (unit, at) in hidden.get(f"{name}{STAR}", frozenset()) or getattr(getattr(row, name), "star", False)

        for name in ADDITIVE:
            if hid(name):
                setattr(row, name, (Starred if star(name) else Withheld)(int(getattr(row, name))))
                if name in _RATE_OF:
                    rate = getattr(row, _RATE_OF[name])
                    starred = star(name) or getattr(rate, "star", False)
                    setattr(row, _RATE_OF[name], (StarredRate if starred else WithheldRate)(rate.done, rate.total))
        if hid("aid_children") or hid("aid_cash_children"):
            row.aid_children = (Starred if star("aid_children") else Withheld)(int(row.aid_children))
            row.cash_withheld = True
        if hid("cash"):
            row.cash_withheld = True
        for name in PERIOD_RATES:  # a rate with 1–4 done (or not done) hidden, or hidden beside one
            if hid(name):
                rate = _rate(row, name)
                # Its "<5" (or band) gave the count away across the grid: not even "(<5)" is said (fix9y).
                kind = StarredRate if (unit, at) in rates.get(f"{name}{STAR}", frozenset()) else WithheldRate
                if name.startswith("step"):
                    row.steps[int(name[-1])] = kind(rate.done, rate.total)
                else:
                    setattr(row, name, kind(rate.done, rate.total))


def _decide(layout: _Layout) -> figures_periods_cache.Pattern:
    """The hidden cells of the grid: each count's, then each rate's (beyond what its own label hides)."""
    hidden: dict[str, frozenset[Hashable]] = {}

    def keep(name: str, found: Suppressed) -> None:
        hidden[name] = found.primary | found.complementary
        # A <5 the labels gave away reads * (fix9u, suppression_grid._demoted): kept as "<name>:star".
        hidden[f"{name}{STAR}"] = frozenset(c for c in found.complementary if 0 < layout.value(c, name) < MIN_SHOWN)

    for name in ADDITIVE:
        keep(name, layout.additive(name))
    keep("aid_children", layout.distinct("aid_children"))
    beside = {c for c in layout.published if 0 < layout.value(c, "aid_children") < MIN_SHOWN
              or 0 < layout.value(c, "aid_cash_children") < MIN_SHOWN}
    spans = {c: span for c in beside if (span := _cash_span(layout, c)) is not None}
    cash = layout.additive("cash", demote=False, must_hide=beside, spans=spans)
    hidden["cash"] = cash.primary | cash.complementary
    # A rate whose done (or not done) is 1–4 already reads "<5/16" or as a band; one hidden beside it reads "*",
    # and so does one whose "<5" the labels gave away (fix9y: kept under "<name>:star").
    rates: dict[str, frozenset[Hashable]] = {}
    for name in PERIOD_RATES:
        rates[name], rates[f"{name}{STAR}"] = (frozenset(cells) for cells in layout.rate(name))
    return hidden, rates


def _cash_span(layout: _Layout, cell: Hashable) -> tuple[int, int] | None:
    """How wide a hidden cash total beside 1–4 children must stay: 1 to 4 children's cash at their average.

    Not pinned was not enough: aid often comes in standard sums (500 yuan a child), so a cash total narrowed
    to 1,500 yuan tells 3 children as surely as a count would (fix9y). Wide from one child's average to four's,
    it fits any count from 1 to 4.

    Without cash (or children given it) there is no span: ``None``, and the cell keeps the rule of any hidden
    one, not pinned (a span of its own value alone would let a hidden 0 be worked out).
    """
    cash, children = layout.value(cell, "cash"), layout.value(cell, "aid_cash_children")
    if children <= 0 or cash <= 0:
        return None
    return cash // children, -(-MIN_SHOWN_MINUS_ONE * cash // children)


MIN_SHOWN_MINUS_ONE = MIN_SHOWN - 1
"""The largest count a ``<5`` stands for (4)."""


class _Layout:
    """The grid's cells and sums for one report: (unit, period or piece) per figure."""

    def __init__(self, schools: list[tuple[Hashable, str | None]], level: Level, keys: list[Key],
                 pieces: list[Key], parts: dict[Key, list[Key]],
                 figures_of: dict[tuple[Hashable, Key], dict[str, int]]) -> None:
        self.schools, self.keys, self.parts, self.figures_of = schools, keys, parts, figures_of
        self.towns: dict[Hashable, list[Hashable]] = {}
        if level is Level.COUNTY:
            for unit, town in schools:
                self.towns.setdefault(("t", town), []).append(unit)
        self.all_keys = list(dict.fromkeys([*keys, *pieces]))
        self.published: set[Hashable] = {(u, k) for u in self.units() for k in keys}

    def units(self) -> list[Hashable]:
        return [u for u, _t in self.schools] + list(self.towns) + [("c",)]

    def value(self, cell: Any, name: str) -> int:
        unit, key = cell
        if unit == ("c",):
            return sum(self.figures_of[(u, key)][name] for u, _t in self.schools)
        if unit in self.towns:
            return sum(self.figures_of[(u, key)][name] for u in self.towns[unit])
        return self.figures_of[(unit, key)][name]

    def _spatial(self, cell: Callable[[Hashable, Key], Hashable]) -> list[Equation]:
        equations: list[Equation] = []
        for key in self.all_keys:
            schools = [u for u, _t in self.schools]
            equations.append([(cell(("c",), key), -1), *((cell(u, key), 1) for u in schools)])
            if self.towns:
                equations.append([(cell(("c",), key), -1), *((cell(t, key), 1) for t in self.towns)])
                equations += [[(cell(t, key), -1), *((cell(u, key), 1) for u in members)]
                              for t, members in self.towns.items()]
        return equations

    def additive(self, name: str, must_hide: set[Hashable] = frozenset(),  # type: ignore[assignment]
                 demote: bool = True, spans: dict[Hashable, tuple[int, int]] | None = None) -> Suppressed:
        """The hidden published cells of a count whose pieces add up to every period (a ``*`` of 1–4: starred)."""
        def cell(unit: Hashable, key: Key) -> Hashable:
            return (unit, key)
        values: dict[Hashable, int] = {(u, k): self.value((u, k), name) for u in self.units() for k in self.all_keys}
        equations = self._spatial(cell)
        equations += [[((u, k), -1), *(((u, q), 1) for q in self.parts[k])]
                      for u in self.units() for k in self.keys if self.parts[k]]
        return grid_hidden(values, equations, MIN_SHOWN, self.published, must_hide=set(must_hide), demote=demote,
                           spans=spans)

    def rate(self, name: str) -> tuple[set[Hashable], set[Hashable]]:
        """The (unit, period) cells whose rate ``name`` is hidden beyond its own rule, and those reading ``*``.

        A rate reads ``*`` (not ``(<5)``) where its ``<5`` or band was what gave a count away.

        A rate is three cells, done, not done and its total (done + not done = total), each adding up over the
        pieces and the units. What the tables hide by a rate's own rule is hidden from the start, and what they
        say of it is what the reader knows: ``<5/16`` says its done is 1–4 and hides its not done, ``≥96%`` says
        its not done is 1–4 and hides its done, ``*/8`` hides both and says neither, ``(<5)`` hides all three
        (its total 1–4, or its unit's left-behind children: ``bot.domain.figures.rate_band``, ``suppressed_rate``).
        """
        kinds = ("done", "left", "total")
        values: dict[Hashable, int] = {}
        for u in self.units():
            for k in self.all_keys:
                done, left = self.value((u, k), f"{name}:done"), self.value((u, k), f"{name}:left")
                values[(u, k, "done")], values[(u, k, "left")], values[(u, k, "total")] = done, left, done + left
        equations: list[Equation] = [[((u, k, "done"), 1), ((u, k, "left"), 1), ((u, k, "total"), -1)]
                                     for u in self.units() for k in self.all_keys]
        def of(kind: str) -> Callable[[Hashable, Key], Hashable]:
            return lambda u, k: (u, k, kind)

        for kind in kinds:
            equations += self._spatial(of(kind))
            equations += [[((u, k, kind), -1), *(((u, q, kind), 1) for q in self.parts[k])]
                          for u in self.units() for k in self.keys if self.parts[k]]
        published: set[Hashable] = {(u, k, kind) for u in self.units() for k in self.keys for kind in kinds}
        already: set[Hashable] = set()
        for u in self.units():
            for k in self.keys:
                done, left, children = values[(u, k, "done")], values[(u, k, "left")], self.value((u, k), "left_behind")
                small_done, small_left = 0 < done < MIN_SHOWN, 0 < left < MIN_SHOWN
                if 0 < done + left < MIN_SHOWN or 0 < children < MIN_SHOWN:  # "(<5)": its total says "<5"
                    already |= {(u, k, "done"), (u, k, "left")} | ({(u, k, "total")} if children else set())
                elif (small_done or small_left) and done + left < BAND_MIN_TOTAL:  # "*/8": neither side said
                    already |= {(u, k, "done"), (u, k, "left")}
                elif small_done:  # "<5/16": its done says "<5"
                    already.add((u, k, "left"))
                elif small_left:  # "≥96%": its not done says "<5"
                    already.add((u, k, "done"))
        # A rate's "<5" (its done in "<5/16", its not done in a band "≥96%", its total in "(<5)") keeps its whole
        # 1–4, as a count's does (fix9y; was v ± 1): where the labels alone narrow it, the rate is hidden as "*".
        found = grid_hidden(values, equations, MIN_SHOWN, published, hidden_already=already, demote=True)
        cells: list[tuple[Hashable, Key, str]] = [c for c in found.complementary if c not in already]  # type: ignore[misc]
        starred: set[Hashable] = {(u, k) for u, k, kind in cells if 0 < values[(u, k, kind)] < MIN_SHOWN}
        return {(unit, key) for unit, key, _kind in cells}, starred

    def distinct(self, name: str) -> Suppressed:
        """The hidden published cells of a count of distinct children (a term's: at most its months' added up)."""
        def cell(unit: Hashable, key: Key) -> Hashable:
            return (unit, key)
        values: dict[Hashable, int] = {(u, k): self.value((u, k), name) for u in self.units() for k in self.all_keys}
        equations = self._spatial(cell)
        free: set[Hashable] = set()
        at_most: list[tuple[Hashable, Hashable]] = []
        for u in self.units():
            for k in self.keys:
                if not self.parts[k]:
                    continue
                slack = ("slack", u, k)
                values[slack] = sum(values[(u, q)] for q in self.parts[k]) - values[(u, k)]
                free.add(slack)
                equations.append([((u, k), 1), (slack, 1), *(((u, q), -1) for q in self.parts[k])])
                at_most += [((u, q), (u, k)) for q in self.parts[k]]
        return grid_hidden(values, equations, MIN_SHOWN, self.published, free=free, at_most=at_most)
