"""刘帅's check-in is asked while 刘婷婷's waits for her incident (fix6aa, issue 6).

张老师 reports 刘婷婷 hurt; at the Friday check-in 李雪 answers the alert. 刘婷婷's weekly question waits for her
incident, and 刘帅's, queued behind it, was never asked though he is in none. It is asked now, numbered.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
SCRIPT = ":as 张老师\n报告 刘婷婷\n1\n1\n{hurt}\n1\n:as 李雪\n:wait 2m\n{words}\n1\n"


def test_the_brothers_checkin_is_asked_and_answered(monkeypatch, tmp_path, sample_roster):
    words = "婷婷没事了，很好"
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT.format(hurt="在操场摔倒了头破了", words=words),
                   FRIDAY, "--all")
    told = after(out, words).split("[→ ", 1)[0]
    assert "关于刘婷婷的每周问题先等一等" in told
    assert told.rstrip().endswith("刘帅这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert after(out, "1", words).startswith("谢谢！已记录：刘帅这周很好。")


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    words = "ok, I will call the teacher"
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT.format(hurt="fell in the playground", words=words),
                   FRIDAY, "--all", "--lang", "en")
    told = after(out, words).split("[→ ", 1)[0]
    assert told.rstrip().endswith("How is 刘帅 this week?\n1. All good 2. So-so 3. Needs help")
    assert "刘帅" in after(out, "1", words).split("\n", 1)[0]
