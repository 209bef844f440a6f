"""Benchmark: officials' registration table audited against an integer-programming reader (issue 9, breaker).

Makes seeded random tables of the registration form (``tests.support.suppression_attack.random_rows``: up to
``--schools`` schools, many small counts), hides cells as before (``protect``, sums and interval bounds) and
with the audit (``registration._suppressed`` → ``suppression_audit.audit``, then ``unhide``: fix9q), and runs
the breaker's attack on both: how many tables give a small count back exactly, or narrow one inside
v − 1 … v + 1 (within 1–4).
Prints the time per table, the solver calls and the cells hidden. Asserts nothing about speed.

Usage::

    python -m benchmarks.suppression_audit --tables 300 --schools 5
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from bot.domain import suppression_audit
from bot.services import registration as reg
from tests.support.suppression_attack import narrowed, protect_alone, random_rows


def _read(rows: list[reg._Row], hidden) -> tuple[bool, bool]:
    """(a small count read exactly, one narrowed inside its protection interval)."""
    found = narrowed(rows, [row.cells(hidden, i) for i, row in enumerate(rows)])
    return any(low == high for _, _, (low, high) in found), bool(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--schools", type=int, default=5)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    calls = [0]
    solve = suppression_audit.milp

    def counted(*a, **k):
        calls[0] += 1
        return solve(*a, **k)

    suppression_audit.milp = counted
    rng = random.Random(args.seed)
    times, solves, cells = [], [], []
    before = [0, 0]
    after = [0, 0]
    hidden_before = hidden_after = 0
    for _ in range(args.tables):
        rows = random_rows(rng, args.schools)
        old = protect_alone(rows)
        calls[0] = 0
        started = time.perf_counter()
        new = reg._suppressed(rows)
        times.append(time.perf_counter() - started)
        solves.append(calls[0])
        cells.append(len(rows) * (len(reg.HEADER) - 1))
        hidden_before += len(old.primary) + len(old.complementary)
        hidden_after += len(new.primary) + len(new.complementary)
        for count, hidden in ((before, old), (after, new)):
            exact, narrow = _read(rows, hidden)
            count[0] += exact
            count[1] += narrow
    times.sort()
    print(f"{args.tables} tables (seed {args.seed}, up to {args.schools} schools), {sum(cells)} cells")
    print(f"audit time per table: median {statistics.median(times) * 1000:.0f} ms, "
          f"90% {times[int(0.9 * len(times))] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms; "
          f"solver calls median {statistics.median(solves):.0f}, max {max(solves)}")
    total = sum(cells)
    print(f"cells hidden: protect() {hidden_before} ({100 * hidden_before / total:.1f} %), audited and shown again "
          f"where safe {hidden_after} ({100 * hidden_after / total:.1f} %)")
    print(f"tables giving a small count back exactly: protect() {before[0]}, audited {after[0]}")
    print(f"tables narrowing a small count inside v-1..v+1: protect() {before[1]}, audited {after[1]}")


if __name__ == "__main__":
    main()
