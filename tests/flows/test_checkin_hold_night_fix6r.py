"""A held check-in: what the grandfather is told matches what happens (fix6r, break6 F4/F5).

The check-in held while 杨秀云's emergency is open comes back when the incident is closed — or when the family
itself says she is safe (没事了, :mod:`bot.flows.all_clear`), which the held notice now says too. A close at
22:00 no longer asks "杨秀云这周过得怎么样？ 1. 很好 …" in the quiet hours: it comes back when they end (fix6u; it
once came back on his next message at night).
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
HURT = ":wait 2m\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n:as #43\n1\n"
HURT_EN = ":wait 2m\nreport 杨秀云\n1\n1\nfell in the yard and cut her head\n1\n:as #43\n1\n"
CLOSE_AT_22 = ":as 王老师\n:wait 4h\n/close\n3\n1\n确认结束\n:as #43\n1\n"


def test_the_held_notice_says_his_own_all_clear_brings_it_back(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, HURT, FRIDAY, "--all")
    held = ("关于杨秀云的每周问题先等一等，等杨秀云的突发事件结束后我再问您。\n"
            "如果您告诉我杨秀云已经平安，我就不等事件结束，马上问您这周的情况。")
    assert held in after(out, "1", ":as #43")


def test_a_close_at_night_asks_no_weekly_question(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, HURT + CLOSE_AT_22, FRIDAY, "--all")
    [notice] = told_to(after(out, "确认结束"), "张强（委托监护人）")
    assert "22:00结束" in notice and "1. 很好" not in notice
    assert notice.rstrip().endswith("晚上不问每周问题：明天早上我再问您。")
    again = after(out, "1", "确认结束")  # his next message at night: nothing recorded, no question pushed
    assert "没有记录" in again and "1. 很好" not in again
    assert "这周很好" not in out


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    script = HURT_EN + ":as 王老师\n:wait 4h\n/close\n3\nskip\nconfirm close\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    assert ("If you tell me 杨秀云 is safe, I will ask you the weekly question at once, without waiting for the "
            "incident to be closed.") in after(out, "1", ":as #43")
    [notice] = told_to(after(out, "confirm close"), "张强 (entrusted guardian)")
    assert "The weekly question is not asked at night: I will ask it again in the morning." in notice
    assert "1. Good" not in notice and "All good" not in notice
