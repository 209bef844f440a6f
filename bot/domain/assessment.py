"""Plan 5's assessment and award rule for the people who care for the children (pure).

Each term, from the term's grades and flags per child:

* +10 for every place the child gained in the class ranking (from last term's
  rank to this term's; losing places costs nothing);
* +10 for staying in the class's top 5 (top 5 last term and this term);
* +20 for no serious violation (严重违纪) this term;
* +10 for being named 三好学生.

A helper teacher's or caring parent's score is the sum of their paired
children's scores; a class teacher's is the average over their class's
children with results. Each group is ranked on its own: the first place gets
100 yuan, places 2–5 get 30 yuan. Equal scores share a place (standard
competition ranking, "1, 2, 2, 4"), so two people tied for first both get 100
yuan and the next is third; nobody past fifth place is paid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

POINTS_PER_PLACE = 10
POINTS_STAY_TOP = 10
TOP = 5
POINTS_NO_VIOLATION = 20
POINTS_MERIT = 10  # 三好学生
FIRST_PRIZE_YUAN = 100
PLACE_PRIZE_YUAN = 30  # places 2–5
PAID_PLACES = 5


@dataclass(frozen=True)
class TermResult:
    """A child's term: class rank this term and last term (None: not ranked), and the flags.

    Attributes:
        rank: class rank this term (1 = best).
        previous_rank: class rank last term, or None (new pupil, no record).
        serious_violation: a serious violation (严重违纪) this term.
        merit: named 三好学生 this term.
    """

    rank: int | None
    previous_rank: int | None
    serious_violation: bool
    merit: bool


def child_score(result: TermResult) -> int:
    """The child's points for the term (see the module doc)."""
    score = 0
    if result.rank is not None and result.previous_rank is not None:
        score += POINTS_PER_PLACE * max(0, result.previous_rank - result.rank)
        if result.previous_rank <= TOP and result.rank <= TOP:
            score += POINTS_STAY_TOP
    if not result.serious_violation:
        score += POINTS_NO_VIOLATION
    if result.merit:
        score += POINTS_MERIT
    return score


def helper_scores(scores: Mapping[int, int], children_of: Mapping[int, Iterable[int]]) -> dict[int, float]:
    """Each helper's score: the sum over their paired children with a result this term."""
    return {person: float(sum(scores[c] for c in set(children) if c in scores))
            for person, children in children_of.items()}


def class_teacher_scores(scores: Mapping[int, int], children_of: Mapping[int, Iterable[int]]) -> dict[int, float]:
    """Each class teacher's score: the average over their class's children with a result (two decimals)."""
    out: dict[int, float] = {}
    for person, children in children_of.items():
        counted = [scores[c] for c in set(children) if c in scores]
        if counted:
            out[person] = round(sum(counted) / len(counted), 2)
    return out


@dataclass(frozen=True)
class Award:
    """One person's place in their group and the prize it earns."""

    person_id: int
    score: float
    place: int
    yuan: int


def awards(scores: Mapping[int, float]) -> list[Award]:
    """Everyone ranked by score (best first, ties share a place), with the prize of their place."""
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    out: list[Award] = []
    for index, (person, score) in enumerate(ordered):
        place = out[-1].place if out and out[-1].score == score else index + 1
        yuan = FIRST_PRIZE_YUAN if place == 1 else PLACE_PRIZE_YUAN if place <= PAID_PLACES else 0
        out.append(Award(person, score, place, yuan))
    return out
