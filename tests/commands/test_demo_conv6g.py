"""One question at a time with two urgent ones in a chat (issue 6, DESIGN.md "Conversations"): the conv6g trial."""

from __future__ import annotations

from tests.support.demo import run_demo as _demo

TWO_URGENT = ":as #43\n救命\n:as #44\n孩子出事了救命\n:as 王老师\n"
HELD = "的问题，然后再回答这个（到时我会再发一次，并附上选项）。"
TWO_ALERTS = ":as 张老师\n报告 刘帅\n1\n1\n课间摔倒，膝盖擦伤\n1\n报告 刘婷婷\n1\n1\n发高烧\n1\n:as 李雪\n"


def _to(out: str, name: str, start: str) -> str:
    """The message to ``name`` that starts with ``start``."""
    return out.split(f"[→ {name}]\n{start}", 1)[1].split("\n\n", 1)[0]


def test_a_second_urgent_family_message_waits_named_behind_the_first(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, TWO_URGENT + "/quit\n", "2026-12-04 17:58", "--all")
    second = _to(out, "王老师（班主任）", "【紧急】（2026年12月4日 17:58）杨杨")
    assert "1. 回复" not in second
    assert second.endswith(f"请先回答上面关于张强关于杨秀云的留言{HELD}")


def test_reply_answers_the_urgent_message_shown_and_the_second_is_asked_after(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, TWO_URGENT + "回复 我马上打过来\n1\n好\n/quit\n",
                "2026-12-04 17:58", "--all")
    assert "> 回复 我马上打过来\n已发送给张强。\n\n还在等您回答：\n\n【紧急】（2026年12月4日 17:58）杨杨" in out
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n“我马上打过来”" in out
    assert "> 1\n请写下给杨杨的回复（关于杨秀云）：" in out
    assert "[→ 杨杨（外出务工父母）]\n王老师（杨秀云的班主任）回复了您的留言：\n“好”" in out


def test_two_alerts_to_one_grandmother_one_at_a_time(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, TWO_ALERTS + "/quit\n", "2026-12-04 10:00", "--all")
    second = _to(out, "李雪（委托监护人）", "突发事件：刘婷婷")
    assert "1. 确认收到" not in second
    assert second.endswith(f"请先回答上面关于刘帅的事件通知{HELD}")


def test_received_acknowledges_only_the_alert_shown_and_the_next_is_asked(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, TWO_ALERTS + "收到\n好的\n/quit\n", "2026-12-04 10:00", "--all")
    assert "> 收到\n谢谢：已记录您对刘帅事件通知的确认。\n\n还在等您回答：\n\n突发事件：刘婷婷（一年级（3）班）" in out
    first = out.split("> 收到\n", 1)[1].split("\n\n[→", 1)[0]
    assert first.endswith("1. 确认收到") and "刘婷婷事件通知的确认" not in first
    assert "> 好的\n谢谢：已记录您对刘婷婷事件通知的确认。" in out
