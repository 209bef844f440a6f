"""``好的`` after an emergency's close notice and a ``谢谢老师`` is no "good week" (fix6q, new-user trial item 1).

The grandfather of 杨秀云 read "the incident is closed", thanked the teacher, then typed ``好的``: it was recorded
as "已记录：杨秀云这周很好" although he had said nothing about her week. Now he is asked, naming her.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
CLOSED = (":wait 2m\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n:as #43\n收到\n:as 王老师\n:wait 20m\n结束事件\n3\n"
          "已经缝了两针，没事了\n确认结束\n:as #43\n")


def test_ok_after_the_close_notice_and_thanks_asks_about_the_week(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, CLOSED + "谢谢老师\n好的\n1\n/quit\n", FRIDAY)
    told = after(out, "好的")
    assert told.startswith("是说杨秀云这周很好吗？\n1. 是，很好 2. 一般 3. 需要帮助") and "已记录" not in told
    assert after(out, "1", since="好的").startswith("谢谢！已记录：杨秀云这周很好。")


def test_in_english(monkeypatch, tmp_path, sample_roster):
    script = CLOSED.replace("结束事件", "close").replace("确认结束", "Confirm close")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script + "thanks teacher\nok\n/quit\n", FRIDAY,
                   "--lang", "en")
    told = after(out, "ok")
    assert told.startswith("Do you mean 杨秀云 is all good this week?") and "Recorded" not in told
