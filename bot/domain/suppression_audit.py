"""The disclosure audit of a suppressed table: what a reader can still work out, by integer programming.

:func:`bot.domain.suppression.protect` hides cells until no hidden cell follows from the sums
(``determined``) or from the sums and the bounds narrowed sum by sum (``pinned``). A reader with an
integer-programming solver does better: with every sum at once, the bounds and whole numbers, the feasible
values of a hidden cell can shrink to one (a breaker recovered a hidden cell in 20 of 300 random tables).
This module is the standard audit (Cox's feasibility intervals, as τ-ARGUS audits a pattern): for each hidden
cell, its lowest and highest value over every whole-number table that agrees with what is shown.

What the reader knows (the model):

* every shown cell's value; every sum is zero (a group's columns and the row's total, the rows and 合计);
* a cell shown ``<5`` (primary) is 1 to ``minimum - 1``; a cell shown ``*`` (complementary) is at least 0;
* ``(a, b)`` in ``at_most``: a ≤ b (boarders are some of a row's children); all cells are whole numbers.

The protection rule (:func:`leaks`), for a hidden small count v (1 to ``minimum - 1``) whose feasible values
run from L to U:

* a ``<5`` already tells the reader "1 to 4", so "the range must not fall inside 1–4" is given up for it by
  the label; what the table may not add is anything more: the range must cover the protection interval
  ``[v - p, v + p]`` clipped to 1–4 (p = ``protection``, 1: the reader cannot tell 2 from 1 or 3, nor 1 from
  2, nor 4 from 3), so the exact value is never learnt and neither is which side of it the truth lies;
* a small count shown ``*`` (a ``<5`` that had to stop saying so, :func:`~bot.domain.suppression.protect`)
  must cover ``[v - p, v + p]`` (from 0) and not fall inside 1–4 at all: L = 0 or U ≥ ``minimum``;
* any other hidden cell (a ``*`` of 0 or 5 and over) may not be pinned: L < U (what ``pinned`` asked).

:func:`audited` hides more cells until no hidden cell leaks: for a leaking cell, the smallest shown cell of a
sum it is in whose hiding mends it (else the smallest of them), then the sums' own rule again (``suppress``).

The solver is HiGHS through :func:`scipy.optimize.milp`. It is kept fast by solving each group of hidden cells
linked by sums on its own, and by witnesses: every solution found (the true table first) widens every cell's
known range, and a cell is solved for only while its witnesses do not already meet its rule.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from bot.domain.suppression import Equation, Suppressed, protect, suppress

_Pairs = Sequence[tuple[Hashable, Hashable]]


class _Model:
    """The reader's integer program over the hidden cells, one block per group of linked hidden cells."""

    def __init__(self, values: dict[Hashable, int], equations: Sequence[Equation], hidden: Suppressed,
                 minimum: int, at_most: _Pairs, seen: tuple[dict[Hashable, int], dict[Hashable, int]] | None = None,
                 ) -> None:
        self.values = values
        cells = [c for c in values if c in hidden]
        self.index = {c: i for i, c in enumerate(cells)}
        # A ceiling no rule needs to look past: every threshold is under ``minimum`` or a cell's value + 1.
        cap = 2 * sum(abs(v) for v in values.values()) + minimum + 1
        self.low = np.array([1 if c in hidden.primary else 0 for c in cells], dtype=float)
        self.high = np.array([minimum - 1 if c in hidden.primary else cap for c in cells], dtype=float)
        rows: list[tuple[dict[int, float], float, float]] = []  # coefficients, lower side, upper side
        for eq in equations:
            coefs: dict[int, float] = {}
            rest = 0
            for cell, a in eq:
                if cell in self.index:
                    coefs[self.index[cell]] = coefs.get(self.index[cell], 0) + a
                else:
                    rest += a * values[cell]
            coefs = {k: v for k, v in coefs.items() if v}
            if coefs:
                rows.append((coefs, -rest, -rest))
        for small, big in at_most:  # small ≤ big
            i, j = self.index.get(small), self.index.get(big)
            if i is not None and j is not None:
                rows.append(({i: 1, j: -1}, -np.inf, 0))
            elif i is not None:
                self.high[i] = min(self.high[i], values[big])
            elif j is not None:
                self.low[j] = max(self.low[j], values[small])
        parent = list(range(len(cells)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for coefs, _, _ in rows:
            first, *others = coefs
            for k in others:
                parent[root(k)] = root(first)
        blocks: dict[int, list[int]] = {}
        for i in range(len(cells)):
            blocks.setdefault(root(i), []).append(i)
        self.block_of: dict[int, tuple[list[int], list[tuple[dict[int, float], float, float]]]] = {}
        rows_of: dict[int, list[tuple[dict[int, float], float, float]]] = {}
        for r in rows:  # each sum to its block in one pass (not every sum scanned for every block)
            rows_of.setdefault(root(next(iter(r[0]))), []).append(r)
        for top, members in blocks.items():
            block = (members, rows_of.get(top, []))
            for i in members:
                self.block_of[i] = block
        # Witnesses: the true table is one the reader cannot rule out, and so is every table found before with
        # fewer cells hidden (hiding more, or saying less of a cell, only lets more tables through).
        low, high = seen if seen is not None else ({}, {})
        self.seen_low = {c: min(values[c], low.get(c, values[c])) for c in cells}
        self.seen_high = {c: max(values[c], high.get(c, values[c])) for c in cells}
        self.cells = cells
        self._built: dict[int, tuple[dict[int, int], list[LinearConstraint]]] = {}
        self.solutions: list[dict[Hashable, int]] = []  # each table solved for: the cells off their true value

    def extreme(self, cell: Hashable, highest: bool) -> int:
        """The lowest (``highest``: highest) whole value of ``cell``; every cell's witnesses widen on the way."""
        members, _rows = self.block_of[self.index[cell]]
        if (self.seen_high if highest else self.seen_low)[cell] == (self.high if highest else self.low)[
                self.index[cell]]:
            return (self.seen_high if highest else self.seen_low)[cell]  # at its bound already
        return self._solve(members, {self.index[cell]: -1.0 if highest else 1.0})[self.index[cell]]

    def _solve(self, members: list[int], weights: dict[int, float]) -> dict[int, int]:
        """A whole-number table minimising the weighted cells of a block; its values widen the witnesses."""
        objective = np.zeros(len(members))
        position, constraints = self._constraints(members)
        for i, w in weights.items():
            objective[position[i]] = w
        result = milp(objective, integrality=np.ones(len(members)), constraints=constraints,
                      bounds=Bounds(self.low[members], self.high[members]))
        if result.x is None:  # cannot happen: the true table is feasible
            raise RuntimeError(f"the reader's model has no solution: {result.message}")
        solution = {i: round(float(x)) for i, x in zip(members, result.x, strict=True)}
        for i, v in solution.items():
            c = self.cells[i]
            self.seen_low[c], self.seen_high[c] = min(self.seen_low[c], v), max(self.seen_high[c], v)
        # The whole table found (the other blocks at their true values): a witness for :func:`unhide`'s trials.
        self.solutions.append({self.cells[i]: v for i, v in solution.items() if v != self.values[self.cells[i]]})
        return solution

    def _constraints(self, members: list[int]) -> tuple[dict[int, int], list[LinearConstraint]]:
        """A block's sums as one sparse constraint, built once per block (a county's grid solves a block often)."""
        found = self._built.get(id(members))
        if found is None:
            _, rows = self.block_of[members[0]]
            position = {i: k for k, i in enumerate(members)}
            constraints = []
            if rows:
                entries = [(r, position[i], a) for r, (coefs, _, _) in enumerate(rows) for i, a in coefs.items()]
                matrix = csr_array(([a for _, _, a in entries],
                                    ([r for r, _, _ in entries], [k for _, k, _ in entries])),
                                   shape=(len(rows), len(members)))
                constraints.append(LinearConstraint(matrix, [r[1] for r in rows], [r[2] for r in rows]))
            found = self._built[id(members)] = (position, constraints)
        return found

    def reaches(self, cell: Hashable, at_most: int | None = None, at_least: int = 0) -> bool:
        """Whether some table the reader cannot rule out has ``cell`` ≤ ``at_most`` (else ≥ ``at_least``)."""
        if at_most is not None:
            return self.seen_low[cell] <= at_most or self.extreme(cell, highest=False) <= at_most
        return self.seen_high[cell] >= at_least or self.extreme(cell, highest=True) >= at_least


def ranges(values: dict[Hashable, int], equations: Sequence[Equation], hidden: Suppressed, minimum: int,
           at_most: _Pairs = ()) -> dict[Hashable, tuple[int, int]]:
    """Each hidden cell's lowest and highest value as the reader works them out (highs past every sum capped)."""
    model = _Model(values, equations, hidden, minimum, at_most)
    return {c: (model.extreme(c, False), model.extreme(c, True)) for c in model.cells}


def leaks(values: dict[Hashable, int], equations: Sequence[Equation], hidden: Suppressed, minimum: int,
          at_most: _Pairs = (), protection: int = 1) -> set[Hashable]:
    """The hidden cells whose feasible range breaks the protection rule (the module's docstring)."""
    model = _Model(values, equations, hidden, minimum, at_most)
    return {c for c in model.cells if not _safe(model, c, values[c], c in hidden.primary, minimum, protection)}


def _leaks(model: _Model, cells: Iterable[Hashable], hidden: Suppressed, minimum: int, protection: int,
           whole: bool = False) -> set[Hashable]:
    return {c for c in cells if not _safe(model, c, model.values[c], c in hidden.primary, minimum, protection, whole)}


def _safe(model: _Model, cell: Hashable, v: int, primary: bool, minimum: int, p: int, whole: bool = False) -> bool:
    if primary and whole:  # the label says 1–4 and nothing narrower may be learnt (fix9u)
        return model.reaches(cell, at_most=1) and model.reaches(cell, at_least=minimum - 1)
    if primary:
        return model.reaches(cell, at_most=max(1, v - p)) and model.reaches(cell, at_least=min(minimum - 1, v + p))
    if 0 < v < minimum:  # a small count shown as *: not even "small" may be learnt
        return (model.reaches(cell, at_most=max(0, v - p)) and model.reaches(cell, at_least=v + p)
                and (model.reaches(cell, at_most=0) or model.reaches(cell, at_least=minimum)))
    return model.reaches(cell, at_most=v - 1) or model.reaches(cell, at_least=v + 1)


Rule = Callable[["_Model", Hashable, Suppressed], bool]
"""Whether a hidden cell keeps to its rule in the reader's model of a pattern (:func:`unhide`)."""


def unhide(values: dict[Hashable, int], equations: Sequence[Equation], hidden: Suppressed, minimum: int,
           at_most: _Pairs = (), protection: int = 1, *, keep: Iterable[Hashable] = (), budget: int = 100,
           rule: Rule | None = None, whole: bool = False) -> Suppressed:
    """Show again what a safe pattern hid without need: each ``*``, largest first, whose showing keeps it safe.

    Hiding one cell for each leak, round after round, ends safe but hides more than it must (a cell hidden in
    an early round may not be needed once later ones are hidden: on tables with many small counts most cells
    ended hidden). So each complementary cell, largest count first, is shown again on trial, and stays shown
    only when every hidden cell it was linked to still keeps to the rule in the reader's model with it shown
    (the others' sums do not change). The pattern stays as safe as the one given: a trial that leaks is undone.

    Args:
        values: each cell's true count.
        equations: the sums (zero each).
        hidden: a pattern that keeps to ``rule`` (:func:`audit` found no leak).
        minimum: the smallest count shown (5).
        at_most: pairs (a, b) with a ≤ b.
        protection: the protection interval's half-width (the audit's rule, when ``rule`` is not given).
        keep: cells never shown (cells hidden for another figure's sake, unpublished ones); a small count
            shown ``*`` is never shown either.
        budget: at most this many cells tried (deterministic, unlike a time limit: the same records give the
            same pattern).
        rule: a cell's rule (model, cell, pattern); by default :func:`leaks`'s.
        whole: a ``<5`` keeps its whole 1–4 (:func:`audit`'s ``whole``).

    Returns:
        The pattern with the cells shown again removed from its complementary cells.
    """
    def audit_rule(model: _Model, cell: Hashable, pattern: Suppressed) -> bool:
        return _safe(model, cell, values[cell], cell in pattern.primary, minimum, protection, whole)

    check = rule or audit_rule
    kept = set(keep)
    linked: dict[Hashable, set[Hashable]] = {}  # each cell's neighbours through a sum or an at_most pair
    for eq in equations:
        cells = {c for c, _ in eq}
        for c in cells:
            linked.setdefault(c, set()).update(cells)
    for a, b in at_most:
        linked.setdefault(a, set()).add(b)
        linked.setdefault(b, set()).add(a)
    tried = sorted((c for c in hidden.complementary if c not in kept and not 0 < values[c] < minimum),
                   key=lambda c: (-values[c], repr(c)))
    # Tables the reader cannot rule out under the pattern so far (cells off their true value). One that has a
    # cell at its true value stays one with that cell shown: a trial starts from those, not from nothing.
    witnesses: list[dict[Hashable, int]] = []
    for cell in tried[:budget]:
        trial = Suppressed(hidden.primary, hidden.complementary - {cell})
        valid = [w for w in witnesses if cell not in w]
        low: dict[Hashable, int] = {}
        high: dict[Hashable, int] = {}
        for w in valid:
            for c, v in w.items():
                low[c], high[c] = min(low.get(c, v), v), max(high.get(c, v), v)
        model = _Model(values, equations, trial, minimum, at_most, (low, high))
        # Only the hidden cells the shown one was linked to can learn more: their blocks in the new model.
        touched = {model.cells[i] for c in linked.get(cell, ()) if c in model.index
                   for i in model.block_of[model.index[c]][0]}
        if all(check(model, c, trial) for c in sorted(touched, key=repr)):
            hidden, witnesses = trial, valid
        witnesses += model.solutions  # found with ``cell`` shown: tables of the (wider) pattern kept either way
    return hidden


def audited(values: dict[Hashable, int], equations: Sequence[Equation], minimum: int,
            at_most: _Pairs = (), protection: int = 1, tries: int = 4) -> Suppressed:
    """:func:`~bot.domain.suppression.protect`, then more cells hidden until :func:`leaks` finds none.

    For a leaking cell, up to ``tries`` shown cells of the sums it is in are tried, smallest count first: the
    first whose hiding mends it is hidden (else the smallest), and ``suppress`` adds what the sums' own rule
    then asks. When every cell of its sums is hidden already, a ``<5`` among them becomes ``*`` (as in
    ``protect``). Each round hides or relabels a cell, so it ends. What could not be mended is
    :func:`audit`'s second answer; callers that show the table must check it.
    """
    return audit(values, equations, minimum, at_most, protection, tries)[0]


def audit(values: dict[Hashable, int], equations: Sequence[Equation], minimum: int, at_most: _Pairs = (),
          protection: int = 1, tries: int = 4, *, primary: Iterable[Hashable] | None = None,
          hidden: Iterable[Hashable] = (), demote: bool = True, whole: bool = False,
          ) -> tuple[Suppressed, frozenset[Hashable]]:
    """:func:`audited`, and the hidden cells that still leak when nothing is left to hide (empty: safe).

    Args:
        values: each cell's true count.
        equations: the sums (zero each).
        minimum: the smallest count shown (5).
        at_most: pairs (a, b) with a ≤ b.
        protection: the protection interval's half-width.
        tries: shown cells tried per leak before the smallest is hidden.
        primary: the cells shown ``<5`` (each must be 1 to ``minimum - 1``); by default every such count.
        hidden: cells hidden already as ``*`` (another figure they go with). With ``primary`` or ``hidden``
            the start is :func:`~bot.domain.suppression.suppress` of them, not ``protect``.
        demote: whether a ``<5`` may become ``*`` when its sums are all hidden. A table that cannot show a
            small count as ``*`` (the officials' figures: a withheld 3 always reads ``<5``) passes False.
        whole: a ``<5`` may not be narrowed at all within 1–4 (not just v ± p); what the labels alone give away
            is mended first by the fewest ``<5`` read ``*`` (:func:`bot.domain.suppression_labels.stars`).

    Returns:
        The cells to hide, and the cells the reader can still narrow or work out: the caller must not show
        the table as it is then (hide the figure, say so).
    """
    given = primary is not None or bool(hidden)
    small = set(primary) if primary is not None else {c for c, v in values.items() if 0 < v < minimum}
    if any(not 0 < values[c] < minimum for c in small):
        raise ValueError("a <5 cell must be 1 to minimum - 1")
    found_hidden = suppress(values, equations, minimum, primary=small, hidden=hidden) if given else protect(
        values, equations, minimum, at_most)
    primary_set = set(found_hidden.primary)
    demoted: set[Hashable] = set()
    if whole and demote:
        from bot.domain.suppression_labels import stars  # it builds on this module's model

        demoted = stars(values, equations, minimum, primary_set, at_most, lambda m, c, labels: _safe(
            m, c, values[c], c in labels, minimum, protection, whole))
        primary_set -= demoted
        found_hidden = suppress(values, equations, minimum, primary=primary_set,
                                hidden={*found_hidden.complementary, *demoted})
    safe: set[Hashable] = set()  # a cell safe once stays safe: each round only hides more or says less
    seen: tuple[dict[Hashable, int], dict[Hashable, int]] = ({}, {})
    found: set[Hashable] = set()
    for _ in range(2 * len(values) + 1):
        model = _Model(values, equations, found_hidden, minimum, at_most, seen)
        found = _leaks(model, [c for c in model.cells if c not in safe], found_hidden, minimum, protection, whole)
        seen = (model.seen_low, model.seen_high)
        safe |= set(model.cells) - found
        if not found:
            return found_hidden, frozenset()
        extras: set[Hashable] = set()
        for cell in sorted(found, key=repr):  # one cell mended for each leak of the round, fewer rounds
            extra = _mend(model, equations, found_hidden, minimum, at_most, protection, cell, tries, whole)
            if extra is not None:
                extras.add(extra)
                continue
            relabel = next((c for eq in equations if cell in [c for c, _ in eq] for c, _ in eq
                            if c in primary_set), cell if cell in primary_set else None)
            if relabel is not None and demote:
                demoted.add(relabel)
                primary_set.discard(relabel)
                safe.discard(relabel)  # shown as * its rule is stricter
        if not extras and not demoted - found_hidden.complementary:
            break  # nothing left to hide or relabel
        found_hidden = suppress(values, equations, minimum, primary=primary_set,
                                hidden={*found_hidden.complementary, *demoted, *extras})
    else:
        model = _Model(values, equations, found_hidden, minimum, at_most, seen)
        found = _leaks(model, model.cells, found_hidden, minimum, protection, whole)
    return found_hidden, frozenset(found)


def _mend(model: _Model, equations: Sequence[Equation], hidden: Suppressed, minimum: int, at_most: _Pairs,
          protection: int, cell: Hashable, tries: int, whole: bool = False) -> Hashable | None:
    """The shown cell to hide for ``cell``: the smallest whose hiding mends it, else the smallest.

    Looked for in the sums ``cell`` is in, then (all of them hidden) in every sum of its linked hidden cells.
    """
    values = model.values
    members = {model.cells[i] for i in model.block_of[model.index[cell]][0]}
    shown: list[Hashable] = []
    for near in ({cell}, members):
        around = {c for eq in equations if near & {c for c, _ in eq} for c, _ in eq}
        around |= {b if a in near else a for a, b in at_most if a in near or b in near}
        shown = sorted((c for c in around if c not in hidden), key=lambda c: (values[c], repr(c)))
        if shown:
            break
    seen = (model.seen_low, model.seen_high)
    for extra in shown[:tries]:
        trial = Suppressed(hidden.primary, hidden.complementary | {extra})
        if _safe(_Model(values, equations, trial, minimum, at_most, seen), cell, values[cell], cell in trial.primary,
                 minimum, protection, whole):
            return extra
    return shown[0] if shown else None
