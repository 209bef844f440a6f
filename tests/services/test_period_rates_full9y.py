"""A rate's ``<5`` across the periods grid keeps its whole 1–4, as a count's does (issue 9, fix9y).

Two schools of one town, November's monthly talks: 2 of 20 held at each, 4 of 40 in the town. Each reads
``<5/20 (≤20%)`` and the town ``<5/40 (≤10%)``. Under the old rule for rates (v ± 1 within 1–4) that passed,
yet a reader with the three labels knows each school's done is 1–3 (the town's is at most 4 and each school's
at least 1): "not 4", a count narrowed. Now the grid finds that and hides one of the three rates as ``*``
(no ``(<5)``: "1–4" is what gave it away; here the town's), and the reader, solving every sum at once with
what is shown, can no longer narrow any ``<5`` that is still shown.
"""

from __future__ import annotations

from datetime import date

from bot.domain.figures import Level, Rate, hidden_rate_mark
from bot.domain.figures_complement import StarredRate
from bot.domain.suppression import Suppressed
from bot.domain.suppression_audit import ranges
from bot.services import figures_periods_audit as grid
from bot.services.figures_text import show_rate

NOV = (date(2026, 11, 1), date(2026, 11, 30))
A, B, TOWN = ("s", 1), ("s", 2), ("c",)


def _layout(done: dict, owed: dict) -> grid._Layout:
    figures = {}
    for unit in (A, B):
        counts = dict.fromkeys(("incidents", "monthly_missed", "weekly_missed", "aid_children",
                                "aid_cash_children", "cash"), 0)
        counts["left_behind"] = 30
        for name in grid.PERIOD_RATES:
            counts[f"{name}:done"] = counts[f"{name}:left"] = 0
        counts["monthly_talks:done"], counts["monthly_talks:left"] = done[unit], owed[unit] - done[unit]
        figures[(unit, NOV)] = counts
    return grid._Layout([(A, "镇"), (B, "镇")], Level.TOWN, [NOV], [], {NOV: []}, figures)


def _shown(layout: grid._Layout, unit, hidden: set, starred: set) -> str:
    done, left = layout.value((unit, NOV), "monthly_talks:done"), layout.value((unit, NOV), "monthly_talks:left")
    rate = Rate(done, done + left)
    if (unit, NOV) in starred:
        rate = StarredRate(done, done + left)
        return hidden_rate_mark(rate)
    if (unit, NOV) in hidden:
        return hidden_rate_mark(rate)
    return show_rate(rate, True, 30)


def _reader(layout: grid._Layout, hidden: set, starred: set) -> dict:
    """Each school's and the town's done as a reader works it out from the cells shown and their labels."""
    values, equations, labels = {}, [], set()
    for unit in (A, B, TOWN):
        done = layout.value((unit, NOV), "monthly_talks:done")
        total = done + layout.value((unit, NOV), "monthly_talks:left")
        values[(unit, "done")], values[(unit, "total")] = done, total
        if (unit, NOV) not in hidden | starred and 0 < done < 5:
            labels.add((unit, "done"))  # "<5/20": its done is 1–4, its total shown
    equations += [[((TOWN, kind), -1), ((A, kind), 1), ((B, kind), 1)] for kind in ("done", "total")]
    secret = {(u, "done") for u in (A, B, TOWN)} - labels
    secret |= {(u, "total") for u in (A, B, TOWN) if (u, NOV) in hidden | starred}
    return ranges(values, equations, Suppressed(frozenset(labels), frozenset(secret)), 5)


def test_two_schools_under_5_in_a_town_under_5_no_longer_say_neither_is_4():
    layout = _layout({A: 2, B: 2}, {A: 20, B: 20})
    hidden, starred = layout.rate("monthly_talks")
    assert starred and starred <= hidden  # one rate reads "*" (before: none hidden, v ± 1 was met)
    shown = {unit: _shown(layout, unit, hidden, starred) for unit in (A, B, TOWN)}
    assert "*" in shown.values() and "(<5)" not in shown.values()
    found = _reader(layout, hidden, starred)
    for unit in (A, B, TOWN):  # every <5 still shown keeps all of 1–4; nothing hidden is pinned
        low, high = found[(unit, "done")]
        assert low < high
        if shown[unit].startswith("<5"):
            assert (low, high) == (1, 4), (unit, shown[unit], low, high)


def test_a_rate_with_nothing_small_is_left_as_it_is():
    layout = _layout({A: 12, B: 15}, {A: 20, B: 20})
    assert layout.rate("monthly_talks") == (set(), set())


def test_the_cash_beside_3_children_does_not_tell_they_were_3():
    """School a: 1,800 yuan in October, 3 children given 500 yuan each in November, 1 child 1 yuan in December;
    school b: 900, 700 and 1 child's 1 yuan; the town and both terms shown.

    The cash beside 1–4 children is hidden. The old rule asked only that it not be pinned: a reader with every
    sum put school a's November at 1,499–1,501 yuan — three children at the usual 500 yuan, as good as the
    count. Now it must stay as wide as 1 to 4 children at its average (500 to 2,000 yuan).
    """
    from bot.domain.suppression_grid import grid_hidden

    months = {"a": {"10": 180000, "11": 150000, "12": 100}, "b": {"10": 90000, "11": 70000, "12": 100}}
    values: dict = {}
    for unit, cash in months.items():
        values |= {(unit, k): v for k, v in cash.items()} | {(unit, "term"): sum(cash.values())}
    values |= {("t", k): values[("a", k)] + values[("b", k)] for k in ("10", "11", "12", "term")}
    equations = [[((u, "term"), -1), *(((u, k), 1) for k in ("10", "11", "12"))] for u in "abt"]
    equations += [[(("t", k), -1), (("a", k), 1), (("b", k), 1)] for k in ("10", "11", "12", "term")]
    beside = {("a", "11"), ("a", "12"), ("b", "12")}

    def november(spans) -> tuple[int, int]:
        found = grid_hidden(values, equations, 5, set(values), must_hide=beside, demote=False, spans=spans)
        return ranges(values, equations, Suppressed(found.primary, found.complementary), 5)[("a", "11")]

    low, high = november(None)
    assert high - low <= 200  # the old rule: 1,499–1,501 yuan, three children at 500
    spans = {("a", "11"): (50000, 200000), ("a", "12"): (100, 400), ("b", "12"): (100, 400)}
    low, high = november(spans)
    assert low <= 50000 and high >= 200000
    assert grid._cash_span(_cash_layout(150000, 3), (A, NOV)) == (50000, 200000)  # the spans the grid uses


def _cash_layout(cash: int, children: int) -> grid._Layout:
    layout = _layout({A: 0, B: 0}, {A: 0, B: 0})
    layout.figures_of[(A, NOV)].update(cash=cash, aid_children=children, aid_cash_children=children)
    return layout


def test_aid_without_cash_beside_2_children_does_not_tell_the_cash_was_nothing():
    """School a's November: 2 children given aid in kind, no cash; the rest of the grid is large and shown.

    Its cash (0) is hidden beside the 2 children, and must not be worked out from the totals either: a span
    of its own value alone (0 to 0) would ask nothing, so it keeps the rule of any hidden cell (not pinned).
    """
    from bot.domain.suppression_grid import grid_hidden

    months = {"a": {"10": 180000, "11": 0, "12": 90000}, "b": {"10": 90000, "11": 70000, "12": 80000}}
    values: dict = {}
    for unit, cash in months.items():
        values |= {(unit, k): v for k, v in cash.items()} | {(unit, "term"): sum(cash.values())}
    values |= {("t", k): values[("a", k)] + values[("b", k)] for k in ("10", "11", "12", "term")}
    equations = [[((u, "term"), -1), *(((u, k), 1) for k in ("10", "11", "12"))] for u in "abt"]
    equations += [[(("t", k), -1), (("a", k), 1), (("b", k), 1)] for k in ("10", "11", "12", "term")]
    layout = _cash_layout(0, 2)
    span = grid._cash_span(layout, (A, NOV))
    spans = None if span is None else {("a", "11"): span}
    found = grid_hidden(values, equations, 5, set(values), must_hide={("a", "11")}, demote=False, spans=spans)
    low, high = ranges(values, equations, Suppressed(found.primary, found.complementary), 5)[("a", "11")]
    assert high > low  # a reader cannot tell it was nothing
