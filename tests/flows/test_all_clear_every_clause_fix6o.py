"""A child found hurt is never relayed as "没事了": every clause must be an all clear or benign (fix6o).

王老师 reports 杨秀云 missing after school; her grandfather 张强 acknowledges with 收到 and later writes
``找到了，满脸是血``. The first clause is an all clear, the rest named no word of the harm list, so both parents far
away read "张强说杨秀云没事了". Now a message is an all clear only when each clause is one or a benign addition
(where she was, thanks, "she's fine"); anything else goes to the reporter in full, as his words.
"""

from __future__ import annotations

import pytest

from bot.flows.all_clear_words import said
from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
MISSING = "报告 杨秀云\n3\n放学后没回家\n1\n:as #43\n收到\n"
XIUYUN = [(1, "杨秀云")]
HURT = ["找到了，满脸是血", "回来了，哭着说被人摸了", "找到了，浑身是血", "找到了，从树上掉下来了",
        "找到了，说被人脱了裤子",
        "找到了，冻得不行", "找到了，人傻了不说话", "找到了，衣服都被撕破了", "找到了，在山上冻了一夜",
        "found her, she drank pesticide", "found her, bitten by a dog", "found her. he is not moving",
        "found her, she was touched by a man", "she's back, bruises all over", "found her, she was raped"]
FINE = ["找到了，在奶奶家", "找到了，在同学家，没事", "孩子找到了，在网吧，谢谢老师", "回来了，好好的，谢谢",
        "we found her, she was at the neighbour's", "found her, at grandma's, she's fine, thanks"]


@pytest.mark.parametrize("words", HURT)
def test_found_hurt_is_no_all_clear(words):
    assert said("zh_Hans", words, XIUYUN) is None


@pytest.mark.parametrize("words", FINE)
def test_found_where_she_was_with_thanks_is_still_an_all_clear(words):
    found = said("zh_Hans", words, XIUYUN)
    assert found is not None and found.child_ids == (1,)


def test_two_children_back_but_one_face_swollen_is_no_all_clear():
    assert said("zh_Hans", "都回来了，帅帅脸肿了", [(1, "刘婷婷"), (2, "刘帅")]) is None


def test_found_with_a_bloody_face_reaches_the_teacher_in_full_and_the_parents_hear_no_all_clear(
        monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, MISSING + "找到了，满脸是血\n", FRIDAY, "--all")
    assert "没事了" not in after(out, "找到了，满脸是血")
    [teacher] = told_to(after(out, "找到了，满脸是血"), "王老师（班主任）")
    assert "“找到了，满脸是血”" in teacher
    assert told_to(after(out, "找到了，满脸是血"), "杨杨（外出务工父母）") == []


def test_found_at_grandma_s_is_still_the_all_clear_the_parents_hear(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, MISSING + "找到了，在奶奶家，谢谢\n", FRIDAY, "--all")
    [parent] = told_to(after(out, "找到了，在奶奶家，谢谢"), "杨杨（外出务工父母）")
    assert parent.startswith("张强说杨秀云没事了。")
