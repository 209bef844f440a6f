"""``婷婷没事了，很好`` from 李雪: the check-in's answer, or words for those handling 刘婷婷's emergency (fix6ab).

A grandmother of two writes that 婷婷 is all right and fine. With 刘婷婷's Friday check-in waiting (刘帅's behind it)
and no incident, that is the week's answer: 很好 is recorded. While 刘婷婷's emergency (a fall in the yard) is open,
the week's "很好" beside 没事了 is no all clear of the injury: her words reach the reporting class teacher, the
father far away is not told 婷婷 is fine, and she is not told "if you tell me 刘婷婷 is safe…" right after saying so.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
WORDS = "婷婷没事了，很好"
HURT_TINGTING = ":as 张老师\n报告 刘婷婷\n1\n1\n在操场摔倒了头破了\n1\n:wait 2m\n:as 李雪\n"


def test_at_her_check_in_it_records_a_good_week(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as 李雪\n{WORDS}\n", FRIDAY, "--all")
    said = after(out, WORDS)
    assert said.startswith("谢谢！已记录：刘婷婷这周很好。")
    assert not told_to(said, "张老师（班主任）")  # an answer, not a message


def test_with_the_alert_waiting_it_goes_to_the_reporter_not_as_an_all_clear(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{HURT_TINGTING}{WORDS}\n", FRIDAY, "--all")
    said = after(out, WORDS)
    assert "已马上转给张老师（事件报告人）" in said and "已转告收到这起突发事件通知的人" not in said
    assert "如果您告诉我刘婷婷已经平安" not in said  # she just said so: no riddle
    assert "关于刘婷婷的每周问题先等一等" in said and "已记录：刘婷婷这周" not in said
    [reporter] = [m for m in told_to(said, "张老师（班主任）") if f"“{WORDS}”" in m]
    assert "李雪说刘婷婷没事了" not in reporter
    assert not any(WORDS in m for m in told_to(said, "刘亮（外出务工父母）"))


def test_with_the_check_in_held_it_goes_to_the_reporter(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{HURT_TINGTING}1\n{WORDS}\n", FRIDAY, "--all")
    said = after(out, WORDS)
    assert said.startswith("谢谢。您关于刘婷婷（2026年12月4日 17:58报告的突发事件）的留言")
    assert "已马上转给张老师（事件报告人）" in said.split("\n", 1)[0]
    assert "刘帅这周过得怎么样？" in said and "已记录" not in said  # the brother's check-in still waits
    assert not told_to(said, "刘亮（外出务工父母）")
