"""李雪's emergency words at the alert about 刘帅 reach 张老师 — reporter and class teacher — once (fix6ab).

张老师 reported that 刘帅 split his head open; 李雪, the alert waiting (刘婷婷's Friday check-in under it), typed
``帮助``, then ``紧急情况``, then ``孩子发烧抽筋了``. 张老师 read the words twice: as the 【紧急】 with its Reply and
again as "李雪 replied to the alert". The 【紧急】 is enough; the alert is acknowledged all the same.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
SCRIPT = (":as 张老师\n报告 刘帅\n1\n1\n在操场摔倒了头破了\n1\n:wait 2m\n:as 李雪\n帮助\n紧急情况\n孩子发烧抽筋了\n")


def test_the_class_teacher_who_reported_reads_the_words_once(monkeypatch, tmp_path, sample_roster):
    words = "孩子发烧抽筋了"
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, FRIDAY, "--all")
    said = after(out, words)
    assert said.startswith("如果有人生病或受伤，请马上拨打120叫救护车。")
    assert "谢谢：已记录您对刘帅事件通知的确认。" in said
    told = [m for m in told_to(said, "张老师（班主任）") if f"“{words}”" in m]
    assert len(told) == 1 and told[0].startswith("【紧急】")
