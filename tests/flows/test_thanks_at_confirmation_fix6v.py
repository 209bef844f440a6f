"""Thanks at "是说杨秀云这周很好吗？" are courtesy: the week is asked again, nothing is passed on (fix6v, issue 6).

The grandfather answered the Friday check-in ``好的``; the bot asked "是说杨秀云这周很好吗？" and he wrote
``谢谢老师``. His thanks reached 王老师 as a message ("留言：谢谢老师") while the week stayed unanswered.
Taking them as "yes" would record a good week he never described, so he is thanked back and asked again.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
TEACHER = "王老师（班主任）"


def test_thanks_at_the_confirmation_ask_the_week_again(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n好的\n谢谢老师\n1\n", FRIDAY, "--all")
    assert after(out, "好的").startswith("是说杨秀云这周很好吗？")
    thanked = after(out, "谢谢老师")
    assert thanked.startswith("不客气。关于杨秀云，请再回答一下：\n\n杨秀云这周过得怎么样？\n"
                              "1. 很好 2. 一般 3. 需要帮助")
    assert "已记录" not in thanked and "转给" not in thanked and not told_to(thanked, TEACHER)
    assert after(out, "1").startswith("谢谢！已记录：杨秀云这周很好。")  # his own answer, once asked plainly


def test_thanks_at_the_confirmation_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\nok\nthank you\n", FRIDAY, "--all",
                   "--lang", "en")
    thanked = after(out, "thank you")
    assert thanked.startswith("You're welcome. Just one answer about 杨秀云, please:\n\nHow is 杨秀云 this week?")
    assert "Recorded" not in thanked and not told_to(thanked, "王老师 (class teacher)")
