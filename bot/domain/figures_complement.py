"""Complementary suppression across the rows an official sees in one table (a town's schools, a county's towns).

Hiding a school's 3 left-behind children as ``<5`` protects nothing when the
town's line says 125 and the other school's says 122: subtraction gives 3
back. So for each figure, wherever a row of a group (the schools of a town,
the towns of the county, the schools of the county) is hidden and its other
rows and the group's total are shown, one more cell of that sum is hidden
too — the next-smallest row of at least 5, or the total (:func:`bot.domain.suppression.suppress`,
which also checks that no hidden cell follows from all the sums together).

A hidden count is marked by wrapping its value (:class:`Withheld`, :class:`WithheldRate`): the value stays
exact for the sums, and :func:`bot.domain.figures.suppressed_count` / ``suppressed_rate`` hide it for officials.
A unit whose left-behind children are hidden has its share and its work rates hidden too (they are multiples
of that count). A work rate's numerator of 1–4, shown ``<5/8``, is complemented the same way over the
numerators; so is a work rate read as a band (numerator or complement 1–4, :func:`bot.domain.figures.rate_band`):
a band on a school's check-ins (121/122, ``≥96%``) beside its town's exact 240/250 and the other school's exact
119/128 gives the 1 back, so one more row of that sum is hidden (``*``), picked by the smaller of its done and not
done (so that both are 5 or more there, and the bands' "fewer than 5" cannot pin either side). The cash given is
hidden wherever its children given aid are, and complemented the same way.
Pure: the caller names the groups.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Sequence

from bot.domain.figures import (
    MIN_SHOWN,
    Rate,
    UnitFigures,
    Withheld,
    WithheldRate,
    rate_band,
    suppressed_rate,
)
from bot.domain.suppression import Equation
from bot.domain.suppression_audit import audit

_log = logging.getLogger(__name__)

COUNTS = ("left_behind", "aided", "aid_children", "dropout_watch", "incidents", "monthly_missed", "weekly_missed")
"""The counts of children (and of missed talks) an official's rows show."""

TALKS_MISSED = {"monthly_talks": "monthly_missed", "weekly_talks": "weekly_missed"}
"""A talk rate and its count of talks missed: for a month (week) over, missed = owed − done.

Talks missed are counts of children left without their talk, so DESIGN's rule for officials ("counts under 5
suppressed") holds for them as for any count of children. But a rate ``118/120`` beside a missed count ``<5``
gives it back by subtraction (120 − 118 = 2), so wherever a unit's missed count is hidden, its talk rate is
hidden too, and wherever its talk rate is hidden, its missed count is — each complemented over the rows like
any other cell (issue 9, item 5).
"""

Group = tuple[UnitFigures, Sequence[UnitFigures]]
"""A total and the rows that add up to it."""


class Starred(Withheld):
    """A hidden count of 1–4 that reads ``*``, not ``<5``: the audit found "1–4" itself gave it away."""

    star = True


class StarredRate(WithheldRate):
    """A hidden rate that reads ``*`` whatever its own figures (:class:`Starred`)."""

    star = True


def _audited(values: dict[Hashable, int], equations: Sequence[Equation], primary: set[int] | None,
             already: set[int]) -> tuple[set[Hashable], set[Hashable], bool]:
    """The rows to hide for one figure, by the registration table's disclosure audit.

    The cells of ``primary`` (default: the counts 1–4) read ``<5`` only when they are 1–4; a cell hidden by
    the caller's own rule for another reason (a rate over a hidden count of children) reads ``*`` and is
    audited as one. When every cell of its sums is hidden and "1–4" still narrows a count, the audit shows it
    ``*`` instead (it is among the starred). When even that will not do, the figure is hidden in every row
    and reads ``*`` there, and a warning is logged (a figure's name only, no ids).

    Returns:
        The rows to hide, those of them to show ``*`` whatever their value, and whether the whole figure is.
    """
    chosen = primary if primary is not None else {c for c, v in values.items() if 0 < v < MIN_SHOWN}
    small = {c for c in chosen if 0 < values[c] < MIN_SHOWN}
    found, leaking = audit(values, equations, MIN_SHOWN, primary=small, hidden={*already, *(chosen - small)},
                           whole=True)  # a <5 keeps all of 1–4: a town <5 over schools <5 says nothing more
    if leaking:
        _log.warning("figures: the disclosure audit ran out of cells to hide; a figure is withheld in every row")
        return set(values), set(values), True
    return {*found.primary, *found.complementary}, {c for c in found.complementary if 0 < values[c] < MIN_SHOWN}, False


def complement(groups: Sequence[Group]) -> set[str]:
    """Hide, in place, what subtraction across ``groups`` would give away (the module's rule).

    Every figure's rows pass the disclosure audit of the registration table
    (:func:`bot.domain.suppression_audit.audit`): no count under 5 may be worked out, nor narrowed within
    1–4, from the totals, the differences and the bounds together.

    Returns:
        The figures (``UnitFigures`` field names, ``step1``–``step3``, ``aid_cash``) withheld in every row
        because the audit ran out of cells to hide: the reader is told so.
    """
    withheld_whole: set[str] = set()
    units: list[UnitFigures] = []
    for total, rows in groups:
        for u in (total, *rows):
            if not any(u is seen for seen in units):
                units.append(u)

    def at(u: UnitFigures) -> int:
        return next(i for i, seen in enumerate(units) if seen is u)

    equations: list[Equation] = [[(at(total), -1), *((at(r), 1) for r in rows)] for total, rows in groups]

    def run(values: list[int], primary: set[int] | None, hide: Callable[[UnitFigures, bool], None],
            already: set[int] | None = None, name: str = "") -> None:
        found, starred, whole = _audited(dict(enumerate(values)), equations, primary, already or set())
        if whole:  # the audit ran out of cells to hide: the figure is withheld in every row (issue 9)
            withheld_whole.add(name)
        for i, u in enumerate(units):
            if i in found:
                hide(u, i in starred)

    def count_hider(name: str) -> Callable[[UnitFigures, bool], None]:
        return lambda u, star: setattr(u, name, (Starred if star else Withheld)(getattr(u, name)))

    def rate_hider(name: str) -> Callable[[UnitFigures, bool], None]:
        return lambda u, star: setattr(u, name, (StarredRate if star else WithheldRate)(
            getattr(u, name).done, getattr(u, name).total))

    def step_hider(step: int) -> Callable[[UnitFigures, bool], None]:
        def hide(u: UnitFigures, star: bool) -> None:
            rate = u.steps.get(step, Rate())
            u.steps[step] = (StarredRate if star else WithheldRate)(rate.done, rate.total)
        return hide

    def small(count: int) -> bool:
        return 0 < count < MIN_SHOWN

    for name in COUNTS:
        run([int(getattr(u, name)) for u in units], None, count_hider(name), name=name)
    # What goes with a hidden count is hidden with it, as a complementary cell: its share, its work rates, its cash.
    hidden_children = {i for i, u in enumerate(units) if isinstance(u.left_behind, Withheld)}
    for u in units:
        if isinstance(u.left_behind, Withheld):
            u.share = (StarredRate if isinstance(u.left_behind, Starred) else WithheldRate)(u.share.done, u.share.total)
    def withheld(name: str) -> set[int]:
        return {i for i, u in enumerate(units) if isinstance(getattr(u, name), Withheld | WithheldRate)}

    for name in UnitFigures.WORK_RATES:
        primary = {i for i, u in enumerate(units)
                   if suppressed_rate(getattr(u, name), True, int(u.left_behind)) is None}
        if name in TALKS_MISSED:
            primary |= withheld(TALKS_MISSED[name])
        run([getattr(u, name).total for u in units], primary, rate_hider(name), hidden_children, name)
        # A work rate of 1–4 done is shown "<5/8" (its total, not its numerator): the numerators add up across
        # the rows as the totals do, so "9/15 − 5/7" must not give the 4 back either (issue 9, item 3).
        # A band (1–4 done, or 1–4 not done) hides the numerator the same way. The rows hidden for it are picked
        # by the smaller of done and not done, so that both are 5 or more there: what is hidden beside a band
        # then cannot pin it, whichever side of it is small.
        shown_rates = [getattr(u, name) for u in units]
        whole = {i for i, (u, r) in enumerate(zip(units, shown_rates, strict=True))
                 if suppressed_rate(r, True, int(u.left_behind)) is None}
        few = {i for i, r in enumerate(shown_rates) if i not in whole
               and (0 < r.done < MIN_SHOWN or rate_band(r, True) is not None)}
        if few:
            values: dict[Hashable, int] = {i: min(r.done, r.total - r.done) for i, r in enumerate(shown_rates)}
            found, starred, all_rows = _audited(values, equations, few, whole)
            if all_rows:
                withheld_whole.add(name)
            for i, u in enumerate(units):
                if i in found and (all_rows or i not in whole | few):
                    rate_hider(name)(u, all_rows or i in starred)
    for rate_name, missed_name in TALKS_MISSED.items():
        # A talk rate hidden (its own rule, a neighbour's, the numerators') hides its missed count, which may
        # in turn hide another row's rate: until both hide the same rows.
        if not any(int(getattr(u, missed_name)) for u in units):
            continue  # nothing missed (a month not over yet): zeros give no rate's figures away

        # A rate shown "<5/8" (1–4 done) hides its numerator: its missed count (8 − done) is hidden with it. (A
        # missed 0 beside "<5/8" is a period not over, which gives nothing away.)
        def hidden_talks(rate_name: str = rate_name, missed_name: str = missed_name) -> set[int]:
            return withheld(rate_name) | {i for i, u in enumerate(units) if getattr(u, missed_name) and (
                0 < getattr(u, rate_name).done < MIN_SHOWN or rate_band(getattr(u, rate_name), True))}

        for _ in range(len(units) + 1):
            rates, missed = hidden_talks(), withheld(missed_name)
            if rates - missed:
                run([int(getattr(u, missed_name)) for u in units], rates - missed, count_hider(missed_name), missed,
                    missed_name)
                rates, missed = hidden_talks(), withheld(missed_name)
            if not missed - rates:
                break
            run([getattr(u, rate_name).total for u in units], missed - rates, rate_hider(rate_name),
                withheld(rate_name) | hidden_children, rate_name)
    for step in (1, 2, 3):
        primary = {i for i, u in enumerate(units) if suppressed_rate(u.steps.get(step, Rate()), True) is None}
        run([u.steps.get(step, Rate()).total for u in units], primary, step_hider(step), name=f"step{step}")
    cash_primary = {i for i, u in enumerate(units) if small(int(u.aid_children)) or small(u.aid_cash_children)}
    hidden_aid = {i for i, u in enumerate(units) if isinstance(u.aid_children, Withheld)}
    run([u.aid_cash_children for u in units], cash_primary, lambda u, _star: setattr(u, "cash_withheld", True),
        hidden_aid, "aid_cash")
    return withheld_whole
