"""没事了 with the Friday check-in waiting, soon after confirming an incident alert (trial of 2026-12-05).

The check-in was the question waiting, so ``没事了`` used to answer it as "good week" — for the injured child, or for
her sibling whose check-in happened to be shown — and the all clear reached nobody.
"""

from __future__ import annotations

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"


def test_all_clear_with_the_check_in_waiting_reaches_everyone_and_records_nothing(monkeypatch, tmp_path,
                                                                                   sample_roster):
    script = ":wait 2m\n报告 杨秀云\n1\n1\n放学路上摔伤了膝盖\n1\n:as #43\n1\n没事了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    after = out.split("> 没事了\n", 1)[1]
    assert "已记录：杨秀云这周很好" not in after
    assert after.startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师、杨杨、谢冬梅")
    assert "还在等您回答：\n\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in after
    assert "[→ 王老师（班主任）]\n张强说杨秀云没事了。张强（委托监护人）于2026年12月4日 18:00回复了关于杨秀云" in after


def test_all_clear_about_one_sibling_is_not_the_other_siblings_check_in(monkeypatch, tmp_path, sample_roster):
    script = (":wait 2m\n:as 张老师\n报告 刘帅\n1\n1\n在操场摔倒头磕破了\n1\n:as 李雪\n1\n他现在好点了吗\n"
              "没事了\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    after = out.split("> 没事了\n", 1)[1].split("\n> ", 1)[0]
    assert "已记录：刘婷婷这周很好" not in after
    assert after.startswith("谢谢。您关于刘帅的话已转告")
    assert "刘婷婷这周过得怎么样？" in after  # her check-in is asked again, unanswered
