"""Conversations as a new user tried them in the demo (issue 6 trial, second round): what each person types and sees."""

from __future__ import annotations

from tests.commands.test_demo_guardian import _demo


def test_the_answer_to_an_urgent_message_at_night_goes_at_once(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n救命\n:as 王老师\n1\n我马上打电话给您\n:as #43\n:wait 1m\n/quit\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 23:10")
    assert ("> 我马上打电话给您\n已发送给张强。\n\n[→ 张强（委托监护人）]\n"
            "王老师（杨秀云的班主任）回复了您的留言：\n“我马上打电话给您”") in out


def test_an_ordinary_answer_at_night_says_when_it_will_be_delivered(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了\n:as 王老师\n1\n:wait 5m\n明天带去卫生院\n:as #43\n:wait 1m\n/quit\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 20:55")
    assert "> 明天带去卫生院\n给张强的回复已保存：现在是休息时间，将于2026年12月5日 07:00送达。" in out
    assert "已发送给张强" not in out
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言" not in out  # held, truly
