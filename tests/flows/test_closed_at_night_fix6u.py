"""A check-in held for an emergency closed at night comes back at 07:00, and 好的 meanwhile sees the close (fix6u).

A breaker: 王老师 closed the incident about 杨秀云 at 23:00. 张强's first ``好的`` saw the close; his second got
"好的。老师已经收到您的紧急消息。" (he had sent no emergency message) with the weekly question pushed at night.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
CLOSED_AT_23 = (":as 王老师\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n:wait 2m\n:as #43\n收到\n:wait 5h\n"
                ":as 王老师\n结束事件\n4\n跳过\n确认结束\n:as #43\n好的\n好的\n")


def test_a_second_ok_sees_the_close_and_no_question_at_night(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, CLOSED_AT_23 + "孩子睡了\n", FRIDAY, "--all")
    second = after(out, "好的", nth=2)
    assert "紧急消息" not in second
    assert "已记下您看过了杨秀云的事件已结束的通知" in second
    assert "关于杨秀云的每周问题，我明天早上（2026年12月5日 07:00起）再问您。" in second
    assert "1. 很好" not in second
    words = after(out, "孩子睡了")
    assert "1. 很好" not in words.split("[→")[0]
    assert "您关于杨秀云的留言已转给王老师（班主任）" in words  # not dropped: 王老师 reads them from 07:00


def test_the_check_in_comes_back_at_seven(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, CLOSED_AT_23 + ":wait 9h\n1\n", FRIDAY, "--all")
    [morning] = told_to(after(out, ":wait 9h"), "张强（委托监护人）")
    assert morning.startswith("早上好。关于杨秀云的每周问题")
    assert "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in morning
    assert "已记录：杨秀云这周很好。" in after(out, "1", ":wait 9h")


def test_in_english(monkeypatch, tmp_path, sample_roster):
    script = (":as 王老师\nreport 杨秀云\n1\n1\nhead cut open\n1\n:wait 2m\n:as #43\nok\n:wait 5h\n"
              ":as 王老师\n/close\n4\nskip\nconfirm close\n:as #43\nok\nok\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    second = after(out, "ok", nth=3)
    assert "urgent message" not in second and "in the morning" in second
