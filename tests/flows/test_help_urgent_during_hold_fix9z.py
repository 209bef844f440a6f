"""``救命`` is 【紧急】 to the class teacher at once, whatever question is held (fix9z).

A breaker: 李雪's check-in about 刘帅 was held behind 王老师's abuse report about him; her ``救命`` then reached
张老师 as a plain 留言, queued behind an earlier message. Without the hold it is 【紧急】 at once, with the
school's phone: so it is now.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to


def test_help_is_urgent_after_an_abuse_report(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   "报告 刘帅\n5\n孩子身上有多处淤青，怀疑在家被打\n1\n:wait 5m\n:as 李雪\n1\n跳过\n救命\n/quit\n",
                   "2026-12-04 17:56")
    told = after(out, "救命", since=":as 李雪")
    assert "【紧急】" in told, told
    assert any("【紧急】" in m for m in told_to(told, "张老师（班主任）")), told
    assert "突发事件" not in told.split("[→")[0]
