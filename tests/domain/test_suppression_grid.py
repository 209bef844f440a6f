"""The grid of periods and units suppressed at once (:mod:`bot.domain.suppression_grid`)."""

from __future__ import annotations

from bot.domain.suppression import Suppressed
from bot.domain.suppression_audit import ranges
from bot.domain.suppression_grid import grid_hidden

MONTHS = ("09", "10", "11", "12")


def _term(values: dict[str, int]) -> tuple[dict, list]:
    """One school's months and their term (the term ends with December)."""
    cells = {m: values[m] for m in MONTHS}
    cells["term"] = sum(cells.values())
    return cells, [[("term", -1), *((m, 1) for m in MONTHS)]]


def _reader(values, equations, found: Suppressed, published, **kw) -> dict:
    """What a reader works out of the cells shown (the pieces and free cells are never shown)."""
    hidden = Suppressed(found.primary, found.complementary | (set(values) - set(published)))
    return ranges(values, equations, hidden, 5, **kw)


def test_a_month_of_2_beside_the_term_hides_one_more_month_and_keeps_the_term():
    values, equations = _term({"09": 0, "10": 6, "11": 2, "12": 0})
    found = grid_hidden(values, equations, 5, set(values))
    assert found.primary == {"11"}
    assert "term" not in found  # the term's 8 is what an official wants; a month goes with November instead
    assert found.complementary == {"10"}
    low, high = _reader(values, equations, found, set(values))["11"]
    assert low <= 1 and high >= 3


def test_a_piece_of_a_month_counts_like_a_month():
    """The term ends on 20 December: December is the piece 1–20 (in the term) and 21–31 (after it).

    December 0 pins both pieces to 0, so the term minus September and October would give November back.
    """
    values = {"09": 0, "10": 6, "11": 2, "12": 0, "12a": 0, "12b": 0, "term": 8}
    equations = [[("term", -1), ("09", 1), ("10", 1), ("11", 1), ("12a", 1)], [("12", -1), ("12a", 1), ("12b", 1)]]
    published = {"09", "10", "11", "12", "term"}
    found = grid_hidden(values, equations, 5, published)
    low, high = _reader(values, equations, found, published)["11"]
    assert low <= 1 and high >= 3


def test_a_small_piece_is_not_worked_out_either():
    """3 incidents on 1–20 December and 4 after: December's 7, the term and the other months would pin the 3."""
    values = {"09": 5, "10": 6, "11": 5, "12": 7, "12a": 3, "12b": 4, "term": 19}
    equations = [[("term", -1), ("09", 1), ("10", 1), ("11", 1), ("12a", 1)], [("12", -1), ("12a", 1), ("12b", 1)]]
    published = {"09", "10", "11", "12", "term"}
    found = grid_hidden(values, equations, 5, published)
    assert found.primary == set() and found.complementary  # no figure is small, yet one is hidden
    low, high = _reader(values, equations, found, published)["12a"]
    assert low <= 2 and high >= 4 and (low == 0 or high >= 5)


def test_cash_beside_few_children_is_not_pinned_by_the_other_periods():
    """Cash in fen: November's two children's 501 yuan must not be the term's total minus October's."""
    values, equations = _term({"09": 0, "10": 180000, "11": 50100, "12": 0})
    found = grid_hidden(values, equations, 5, set(values), must_hide={"11"})
    assert "11" in found and len(found.complementary) >= 2
    low, high = _reader(values, equations, found, set(values))["11"]
    assert low < high


def test_distinct_children_a_term_at_most_its_months():
    """Children given aid: 6 in October, 2 others in November, the term 8 — a slack makes "at most" a sum."""
    values = {"09": 0, "10": 6, "11": 2, "term": 8, "slack": 0}
    equations = [[("term", 1), ("slack", 1), ("09", -1), ("10", -1), ("11", -1)]]
    at_most = [("09", "term"), ("10", "term"), ("11", "term")]
    published = {"09", "10", "11", "term"}
    found = grid_hidden(values, equations, 5, published, free={"slack"}, at_most=at_most)
    low, high = _reader(values, equations, found, published, at_most=at_most)["11"]
    assert low <= 1 and high >= 3


def test_across_units_and_periods_at_once():
    """Two schools and their town, two months and the term: hiding for the months and the units alike."""
    schools = {"a": {"10": 6, "11": 2}, "b": {"10": 7, "11": 9}}
    values: dict = {}
    for s, months in schools.items():
        for m, v in months.items():
            values[(s, m)] = v
        values[(s, "term")] = sum(months.values())
    for p in ("10", "11", "term"):
        values[("town", p)] = values[("a", p)] + values[("b", p)]
    equations = [[((u, "term"), -1), ((u, "10"), 1), ((u, "11"), 1)] for u in ("a", "b", "town")]
    equations += [[(("town", p), -1), (("a", p), 1), (("b", p), 1)] for p in ("10", "11", "term")]
    found = grid_hidden(values, equations, 5, set(values))
    low, high = _reader(values, equations, found, set(values))[("a", "11")]
    assert low <= 1 and high >= 3
    assert ("town", "term") not in found  # the town's term is still shown


def test_nothing_small_hides_nothing():
    values, equations = _term({"09": 0, "10": 6, "11": 5, "12": 0})
    assert grid_hidden(values, equations, 5, set(values)) == Suppressed(frozenset(), frozenset())
