"""On an abuse report the principal reads the alert before the "nobody on record" notice (fix6j, issue 6).

王老师 reports suspected abuse of 杨秀云: step 1 is the principal 王校长, step 2 (child-protection contacts) has
nobody on record. The principal is both the alert's reader and the notice's: the alert, with its
acknowledgement, comes first; the notice after it. While the alert waits for his ``1. 确认收到`` the notice comes
without numbers, saying it waits for the question above (fix6p: it never takes the alert's numbers); once he has
acknowledged, it is asked again with ``1. 结束事件``.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

PRINCIPAL = "王校长（校领导）"


def test_the_principal_gets_the_abuse_alert_before_the_nobody_on_record_notice(monkeypatch, tmp_path,
                                                                              sample_roster):
    script = ":as 王老师\n报告 杨秀云\n5\n孩子说爷爷经常打她，不给饭吃\n1\n:as 王校长\n1\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--all")
    told = told_to(after(out, "1", "孩子说爷爷经常打她，不给饭吃"), PRINCIPAL)
    assert len(told) == 2
    assert told[0].startswith("儿童保护报告（疑似虐待或忽视）：杨秀云") and "1. 确认收到" in told[0]
    assert "档案中无人" in told[1] and "1. 结束事件" not in told[1]
    assert "请先回答上面的问题（杨秀云的事件通知）" in told[1]
    acked = after(out, "1", since=":as 王校长")
    assert acked.startswith("谢谢：已记录您对杨秀云事件通知的确认。")
    again = acked.split("\n\n[→ ", 1)[0]
    assert "档案中无人" in again and "1. 结束事件" in again  # in its turn, numbered
