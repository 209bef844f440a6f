"""A worried question ending in a comma, a bracket or a quote is no all clear, nor a good week (fixk).

A tester: the grandfather of the missing 杨秀云 wrote ``杨秀云没事了吧，`` and both parents far away got it as the
all clear; ``她没事吧，`` at the Friday check-in was recorded as "这周很好". Folding drops the punctuation, so
``吧`` ended the words and went as a particle, leaving ``没事``, while the question test only set aside ``。`` and
``!``. Now whatever punctuation, bracket, quote or space ends the words is set aside before looking for the
asking ending (吗 吧 嘛 呢 没 不 ？), and English that opens with is / did / how asks without a "?".
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
MISSING = "报告 杨秀云\n1\n1\n放学后没回家，找不到人\n1\n:wait 10m\n:as #43\n1\n:wait 5m\n"
PARENTS = ("杨杨（外出务工父母）", "谢冬梅（外出务工父母）")
ASKED = ["杨秀云没事了吧，", "孩子没事吧，", "杨秀云没事吧,", "孩子没事了吧)", "秀云找到了吧，", "秀雲沒事了吧,",
         "秀云没事吧;", "秀云没事了吧”", "孩子都平安吧,", "秀云没事了嘛", "is 杨秀云 fine"]


@pytest.mark.parametrize("asked", ASKED)
def test_a_worried_question_reaches_the_reporter_as_a_question(monkeypatch, tmp_path, sample_roster, asked):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING}{asked}\n/quit\n", FRIDAY, "--all")
    told = after(out, asked)
    assert told.startswith("谢谢。您关于杨秀云（2026年12月4日 17:58报告的突发事件）的留言已马上转给"
                           "王老师（事件报告人）"), told
    assert any(f"“{asked}”" in m for m in told_to(told, "王老师（班主任）"))
    for parent in PARENTS:
        assert told_to(told, parent) == [], parent
    assert "已转告收到这起突发事件通知的人" not in out
    assert "已记录：杨秀云这周" not in out


def test_a_question_about_the_other_child_tells_no_one_and_answers_nothing(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING}帅帅没事了吧，\n/quit\n", FRIDAY, "--all")
    told = after(out, "帅帅没事了吧，")
    for parent in PARENTS:
        assert told_to(told, parent) == [], parent
    assert "已转告收到这起突发事件通知的人" not in out
    assert "已记录：" not in out


@pytest.mark.parametrize("typed", ["她没事吧，", "孩子没事吧)", "秀云没事吧，"])
def test_a_worried_question_at_the_check_in_is_passed_on(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", FRIDAY)
    assert after(out, typed).startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
    assert "已记录：杨秀云这周" not in out


def test_a_bare_worried_question_at_the_check_in_is_asked_again(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n:wait 2m\n没事吧，\n/quit\n", FRIDAY)
    assert after(out, "没事吧，").startswith("“没事吧，”不是这个问题的回答。")
    assert "已记录：杨秀云这周" not in out


@pytest.mark.parametrize("typed", ["she was fine", "is she fine", "she's fine, right"])
def test_the_past_or_a_question_in_english_is_no_good_week(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", FRIDAY,
                   "--lang", "en")
    assert "this week: All good" not in out
    assert after(out, typed).startswith("Thank you. Your message about 杨秀云 was passed to 王老师")


@pytest.mark.parametrize("typed", ["she is fine", "都很好", "好着呢", "一般般吧"])
def test_a_plain_answer_still_answers(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", FRIDAY)
    assert "已记录：杨秀云这周" in after(out, typed)
