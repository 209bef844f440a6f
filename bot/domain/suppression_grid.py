"""Suppression across a grid of tables that add up both ways: units (school → town → county) and periods.

An official asks for a month, a term or a school year, one table at a time; each table is safe on its own
(:mod:`bot.domain.figures_complement`). But the tables add up *across* periods too: the months of a term are its
figure, so a term of 8 incidents, an October of 6 and a September of 0 give November's ``<5`` back as 2 (a
breaker's probe, issue 9). This module decides which cells to hide over all of them at once, so that every table
an official can ask for comes from one pattern, and the pattern as a whole gives no small count away.

The cells (the caller names them):

* **published** cells: what some table shows (a school's, a town's, the county's figure for a month, a term or a
  school year). A count from 1 to ``minimum - 1`` among them is ``small`` (shown ``<5``); ``must_hide`` are
  cells hidden for another figure's sake (the cash given beside fewer than 5 children), shown without a value.
* **pieces**: the stretches between every boundary of the periods (a term ending on 20 January splits January
  into 1–20 and 21–31). No table shows one, but they are what the sums are made of; a piece of 1–4 must not be
  worked out either (that is a small count of a few days).
* **free** cells: unknowns of the model with no rule of their own (the slack of a count of distinct children:
  a term's children given aid are at most its months' added up).

The rule, for each hidden cell with true value v and feasible range L..U (whole numbers, every sum at once:
:func:`bot.domain.suppression_audit.ranges`, integer programming):

* a ``<5`` cell: the range is the whole of 1–4 (the label already says 1–4; nothing more: fix9u. Before, only
  ``[v - 1, v + 1]`` within 1–4, and the labels themselves narrowed it: a town ``<5`` over two schools ``<5``
  says neither is 4). Where the labels alone give something away, a ``<5`` reads ``*`` (:func:`_demoted`);
* any other hidden cell or piece of 1–4: the range covers ``[v - 1, v + 1]`` from 0, and reaches 0 or 5;
* a ``must_hide`` cell of any value: not pinned (L < U);
* a hidden cell of 0 or of 5 and more, hidden only for others' sake, and a free cell: nothing.

Cells are hidden until the rule holds: for each cell that leaks, the smallest count of at least ``minimum``
shown in a sum it is in (else in a sum of its linked hidden cells) is hidden too, and the ranges are worked out
again. (Not :func:`bot.domain.suppression.suppress`'s rule "no hidden cell follows from the sums": a piece or a
slack of 0 or of 5 and more may well follow, and hiding more for it would hide the figures officials need.)
Pure.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from bot.domain.suppression import Equation, Suppressed
from bot.domain.suppression_audit import _Model, unhide
from bot.domain.suppression_labels import stars

_Pairs = Sequence[tuple[Hashable, Hashable]]


def grid_hidden(values: dict[Hashable, int], equations: Sequence[Equation], minimum: int, published: set[Hashable],
                must_hide: set[Hashable] = frozenset(), free: set[Hashable] = frozenset(),  # type: ignore[assignment]
                at_most: _Pairs = (), rounds: int = 60,
                hidden_already: set[Hashable] = frozenset(),  # type: ignore[assignment]
                demote: bool = True, spans: Mapping[Hashable, tuple[int, int]] | None = None) -> Suppressed:
    """The published cells to hide (``primary``: shown ``<5``; ``complementary``: shown ``*``), by the module's rule.

    Args:
        values: every cell's true value (published cells, pieces and free cells), whole numbers.
        equations: the sums, each equal to zero (``+1`` for a part, ``-1`` for the whole).
        minimum: counts from 1 to ``minimum - 1`` are small.
        published: the cells some table shows; every other cell is a piece, or free when in ``free``.
        must_hide: published cells hidden whatever their value (not pinned either).
        free: unpublished cells without a rule of their own.
        at_most: pairs ``(a, b)`` with a ≤ b known to the reader.
        rounds: at most this many rounds of hiding more; past them every published cell linked to a leak is hidden.
        hidden_already: published cells the tables hide anyway, without saying they are under 5 (a rate's done
            beside its band ``≥96%``, both sides of ``*/8``): hidden from the start, returned as complementary; one
            of 1–4 keeps the rule of a ``<5`` (its value is not learnt; that it is small may be, as in one table).
        demote: whether a ``<5`` may be shown ``*`` instead (:func:`_demoted`); then a ``<5`` may not be narrowed
            at all within 1–4. Without it (the cash) the rule is v ± 1.
        spans: for a ``must_hide`` cell, the values its feasible range must reach on both sides (instead of
            "not pinned"): the cash beside 1–4 children must stay as wide as 1 to 4 children's cash at their
            average, so that it does not tell how many were given it (fix9y).

    Returns:
        Which published cells are hidden; the unpublished ones are left out. A count of 1–4 among the
        complementary cells is a ``<5`` that must read ``*`` (its "1–4" gave it away).
    """
    small = {c for c in published if 0 < values[c] < minimum} - set(must_hide) - set(hidden_already)
    unpublished = (set(values) - published) | set(hidden_already)
    if not small and not must_hide and not any(0 < values[c] < minimum for c in unpublished - set(free)):
        return Suppressed(frozenset(), frozenset())  # nothing small anywhere: nothing to protect
    extra: set[Hashable] = set(must_hide)
    full = demote  # a <5 keeps its whole 1–4, not just v ± 1
    span = dict(spans or {})
    if demote:
        starred = _demoted(values, equations, minimum, small, must_hide, free, at_most, hidden_already)
        small, extra = small - starred, extra | starred
    # Each round only hides more, so every table the reader could not rule out before still stands: the
    # solutions found (witnesses) carry over, and a cell that kept its rule keeps it (no solving again).
    seen: tuple[dict[Hashable, int], dict[Hashable, int]] = ({}, {})
    safe: set[Hashable] = set()
    for _ in range(rounds):
        pattern = Suppressed(frozenset(small), frozenset(unpublished | extra))
        model = _Model(values, equations, pattern, minimum, at_most, seen)
        leaking = [c for c in model.cells if c not in safe
                   and not _keeps(model, c, values[c], minimum, _label(c, small, hidden_already, full),
                                  c in must_hide, c in free, span.get(c))]
        seen = (model.seen_low, model.seen_high)
        safe |= set(model.cells) - set(leaking)
        if not leaking:
            return _published(_shown_again(values, equations, pattern, minimum, at_most, small, must_hide, free,
                                           hidden_already, unpublished, full, span), published)
        hidden = set(pattern.primary) | set(pattern.complementary)
        added = {cell for c in sorted(leaking, key=repr)
                 if (cell := _mend(c, values, equations, hidden, published, minimum)) is not None}
        if not added - extra:
            break  # every published cell near the leaks is hidden already
        extra |= added
    # Out of rounds: hide every published cell of each sum with a hidden cell (no sum then gives anything back).
    hidden = small | unpublished | extra
    everything = {c for eq in equations if hidden & {c for c, _ in eq} for c, _ in eq}
    return _published(Suppressed(frozenset(small), frozenset(everything - small)), published)


def _shown_again(values: dict[Hashable, int], equations: Sequence[Equation], pattern: Suppressed, minimum: int,
                 at_most: _Pairs, small: set[Hashable], must_hide: set[Hashable], free: set[Hashable],
                 hidden_already: set[Hashable], unpublished: set[Hashable], full: bool,
                 span: Mapping[Hashable, tuple[int, int]]) -> Suppressed:
    """The safe ``pattern`` with the cells hidden without need shown again (``suppression_audit.unhide``).

    Only cells hidden here for others' sake are tried; the rule checked is this module's (:func:`_keeps`).
    """
    def rule(model: _Model, cell: Hashable, _pattern: Suppressed) -> bool:
        return _keeps(model, cell, values[cell], minimum, _label(cell, small, hidden_already, full),
                      cell in must_hide, cell in free, span.get(cell))

    return unhide(values, equations, pattern, minimum, at_most,
                  keep={*small, *must_hide, *hidden_already, *unpublished}, rule=rule)


def _published(pattern: Suppressed, published: set[Hashable]) -> Suppressed:
    return Suppressed(frozenset(pattern.primary & published), frozenset(pattern.complementary & published))


def _label(cell: Hashable, small: set[Hashable], hidden_already: set[Hashable], full: bool) -> str:
    """Which ``<5`` rule a cell keeps: ``"full"`` (all of 1–4), ``"near"`` (v ± 1), or none (``""``)."""
    if cell in small:
        return "full" if full else "near"
    return "near" if cell in hidden_already else ""


def _demoted(values: dict[Hashable, int], equations: Sequence[Equation], minimum: int, small: set[Hashable],
             must_hide: set[Hashable], free: set[Hashable], at_most: _Pairs,
             hidden_already: set[Hashable]) -> set[Hashable]:
    """The ``<5`` cells to show as ``*`` so that the labels alone keep this module's rule (``suppression_audit.stars``).

    E.g. a town ``<5`` over two schools ``<5`` says neither is 4; a piece of a month shown ``<5`` is at most 4.
    """
    def keeps(model: _Model, cell: Hashable, labels: set[Hashable]) -> bool:
        return _keeps(model, cell, values[cell], minimum, _label(cell, labels, hidden_already, True),
                      cell in must_hide, cell in free)

    return stars(values, equations, minimum, small, at_most, keeps)


def _keeps(model: _Model, cell: Hashable, v: int, minimum: int, small: str, must: bool, free: bool,
           span: tuple[int, int] | None = None) -> bool:
    """Whether a hidden cell's feasible values keep to the module's rule (solved only as far as needed).

    The same rule as on its lowest and highest values L..U, asked through :meth:`_Model.reaches`: the
    witnesses (the true table and every table solved for) answer most questions without a solve, and a cell
    with no rule of its own is never solved for.
    """
    if small == "full":  # the label says 1–4 and nothing narrower may be learnt
        return model.reaches(cell, at_most=1) and model.reaches(cell, at_least=minimum - 1)
    if small:
        return model.reaches(cell, at_most=max(1, v - 1)) and model.reaches(cell, at_least=min(minimum - 1, v + 1))
    if must and span is not None:  # as wide as the span: e.g. 1 to 4 children's cash at their average
        return model.reaches(cell, at_most=span[0]) and model.reaches(cell, at_least=span[1])
    if must:
        return model.reaches(cell, at_most=v - 1) or model.reaches(cell, at_least=v + 1)  # L < U
    if free or not 0 < v < minimum:
        return True
    return (model.reaches(cell, at_most=v - 1) and model.reaches(cell, at_least=v + 1)
            and (model.reaches(cell, at_most=0) or model.reaches(cell, at_least=minimum)))


def _mend(cell: Hashable, values: dict[Hashable, int], equations: Sequence[Equation], hidden: set[Hashable],
          published: set[Hashable], minimum: int) -> Hashable | None:
    """The shown cell to hide for a leaking ``cell``: near it first, the smallest count of ``minimum`` or more.

    Looked for in the sums ``cell`` is in, then in the sums of the hidden cells linked to it, ring by ring.
    """
    near, seen = {cell}, set[Hashable]()
    while near - seen:
        seen |= near
        around = {c for eq in equations if near & {c for c, _ in eq} for c, _ in eq}
        shown = [c for c in around if c in published and c not in hidden]
        if shown:
            large = [c for c in shown if values[c] >= minimum]
            return min(large or shown, key=lambda c: (values[c] if large else -values[c], repr(c)))
        near = {c for c in around if c in hidden} | near
    return None
