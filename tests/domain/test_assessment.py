"""Plan 5's assessment and award rule on a worked example (exact values)."""

from __future__ import annotations

from bot.domain.assessment import Award, TermResult, awards, child_score, class_teacher_scores, helper_scores

# One class's term (previous rank → rank, serious violation, 三好学生):
WORKED = {
    1: TermResult(rank=3, previous_rank=8, serious_violation=False, merit=True),  # 5 places ×10 +20 +10 = 80
    2: TermResult(rank=1, previous_rank=2, serious_violation=False, merit=True),  # 10 + top 5 kept 10 + 20 + 10 = 50
    3: TermResult(rank=6, previous_rank=4, serious_violation=True, merit=False),  # fell, left the top 5, violation = 0
    4: TermResult(rank=10, previous_rank=None, serious_violation=False, merit=False),  # new pupil: 20
    5: TermResult(rank=5, previous_rank=5, serious_violation=False, merit=False),  # top 5 kept 10 + 20 = 30
}


def test_each_childs_points():
    assert {c: child_score(r) for c, r in WORKED.items()} == {1: 80, 2: 50, 3: 0, 4: 20, 5: 30}


def test_a_helper_sums_their_children_and_a_class_teacher_averages_the_class():
    scores = {c: child_score(r) for c, r in WORKED.items()}
    assert helper_scores(scores, {10: [1, 2], 11: [3, 4, 99]}) == {10: 130.0, 11: 20.0}  # 99: no result
    assert class_teacher_scores(scores, {20: [1, 2, 3, 4, 5], 21: [7]}) == {20: 36.0}  # 180 / 5; 21: nobody


def test_first_place_earns_100_yuan_places_two_to_five_30_ties_share_a_place():
    ranked = awards({1: 130, 2: 130, 3: 50, 4: 30, 5: 30, 6: 20, 7: 0})
    assert [(a.person_id, a.place, a.yuan) for a in ranked] == [
        (1, 1, 100), (2, 1, 100), (3, 3, 30), (4, 4, 30), (5, 4, 30), (6, 6, 0), (7, 7, 0)]
    assert awards({9: 12.5}) == [Award(9, 12.5, 1, 100)]
    assert sum(a.yuan for a in awards({i: 10.0 * i for i in range(1, 9)})) == 100 + 4 * 30
