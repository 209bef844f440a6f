""""What kind of help does 杨秀云 need?" held for her emergency, closed at night, waits for 07:00 (fix6ab).

张强 answered the Friday check-in 需要帮助; the alert that 杨秀云 split her head open came before he picked the
kind of help, so that question was held. 王老师 closed the incident at 23:00: the question came back on 张强's next
message, at night. Now it waits for the morning as the held check-in does (fix6u): at night ``好的`` sees the
close, his words go to the class teacher, no question is asked; at 07:00 a morning notice carries it back.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
CLOSED_AT_23 = (":wait 2m\n:as #43\n3\n:as 王老师\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n:as #43\n收到\n:wait 5h\n"
                ":as 王老师\n结束事件\n4\n跳过\n确认结束\n:as #43\n好的\n孩子睡了\n")
QUESTION = "杨秀云需要哪方面的帮助？"


def test_no_question_at_night_and_it_comes_back_at_seven(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{CLOSED_AT_23}:wait 9h\n", FRIDAY, "--all")
    [closed] = [m for m in told_to(after(out, "确认结束"), "张强（委托监护人）") if "晚上不问您" in m]
    assert "关于杨秀云的那个问题晚上不问您，明天早上我再问。" in closed
    seen = after(out, "好的")
    assert "已记下您看过了杨秀云的事件已结束的通知" in seen and QUESTION not in seen
    words = after(out, "孩子睡了")
    assert QUESTION not in words.split("[→")[0]
    assert "您关于杨秀云的留言已转给王老师（班主任）" in words
    [morning] = told_to(after(out, ":wait 9h"), "张强（委托监护人）")
    assert morning.startswith("早上好。关于杨秀云的那个问题")
    assert QUESTION in morning
