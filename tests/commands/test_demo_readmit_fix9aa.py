"""A reporter who left the grandfather out of a fall lets him back in from the incident's view (fix9aa).

王老师 reports 杨秀云's fall and leaves out 张强 (``爷爷喝醉了``). Sober again, he must hear of it: /due, the
incident, 让某人重新加入, him, why, then 确认恢复 (typed: a "1" never lets anyone back in). His step was sent and
is still open, so he is asked to acknowledge again, once; had he acknowledged, he is told the incident so far
with no question; a step not sent yet is sent when its time comes.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"
REPORT = "报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n"
LEAVE_OUT = "/due\n1\n2\n{n}\n爷爷喝醉了\n"
LET_BACK = "/due\n1\n3\n1\n爷爷已经清醒，可以联系\n1\n确认恢复\n"
GRANDPA = "张强（委托监护人）"


def test_the_grandfather_let_back_in_is_asked_to_acknowledge_again_once(monkeypatch, tmp_path, sample_roster):
    script = f"{REPORT}/due\n1\n{LEAVE_OUT.format(n=1)}{LET_BACK}/due\n1\n:as #43\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "3. 让某人重新加入" not in after(out, "1", since="在操场摔倒了头破了", nth=2)  # nobody left out yet
    view = after(out, "1", since="爷爷喝醉了", nth=1)
    assert view.rstrip().endswith("1. 结束事件 2. 排除某人 3. 让某人重新加入"), view
    pick = after(out, "3", since="爷爷喝醉了")
    assert pick.startswith("让谁重新收到杨秀云事件的消息？\n1. 张强（委托监护人） 2. 返回"), pick
    confirm = after(out, "爷爷已经清醒，可以联系")
    assert confirm.startswith("让张强（委托监护人）重新加入杨秀云的事件吗？"), confirm
    assert "理由：爷爷已经清醒，可以联系" in confirm
    assert "已恢复" not in after(out, "1", since="爷爷已经清醒，可以联系")  # a number is no confirmation
    back = after(out, "确认恢复")
    assert back.startswith("已恢复张强（委托监护人）：从现在起会重新向其发送杨秀云事件的消息。"), back
    alerts = told_to(back, GRANDPA)
    assert len(alerts) == 1 and alerts[0].startswith("突发事件：杨秀云") and "1. 确认收到" in alerts[0], alerts
    timeline = after(out, "1", since="确认恢复")
    assert "已排除：张强——爷爷喝醉了" in timeline and "已恢复：张强——爷爷已经清醒，可以联系" in timeline, timeline
    assert "确认：已排除" not in timeline and "3. 让某人重新加入" not in timeline


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    script = f"{REPORT}{LEAVE_OUT.format(n=1)}/due\n1\n3\n1\n爷爷已经清醒，可以联系\nConfirm let back in\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    view = after(out, "1", since="爷爷喝醉了")
    assert "3. Let someone back in" in view, view
    assert "Let 张强 (entrusted guardian) back into the incident about 杨秀云?" in after(out, "爷爷已经清醒，可以联系")
    back = after(out, "Confirm let back in")
    assert back.startswith("Back in: 张强 (entrusted guardian)."), back
    assert len(told_to(back, "张强 (entrusted guardian)")) == 1, back


def test_having_acknowledged_he_is_told_the_incident_so_far_with_no_question(monkeypatch, tmp_path, sample_roster):
    script = f"{REPORT}:as #43\n收到\n:as 王老师\n{LEAVE_OUT.format(n=1)}{LET_BACK}/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    told = told_to(after(out, "确认恢复"), GRANDPA)
    assert len(told) == 1, told
    assert told[0].startswith("您已重新加入杨秀云事件的通知链（由王老师于2026年12月4日 17:58报告）"), told
    assert "确认收到" not in told[0]


def test_a_step_not_sent_yet_is_sent_when_its_time_comes(monkeypatch, tmp_path, sample_roster):
    # 杨杨 (father, step 2, due to be told at 18:28) is left out and let back in before then.
    script = f"{REPORT}{LEAVE_OUT.format(n=2)}{LET_BACK}:wait 31m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert told_to(after(out, "确认恢复"), "杨杨（外出务工父母）") == []  # not before its time
    assert any("确认收到" in m for m in told_to(after(out, ":wait 31m"), "杨杨（外出务工父母）")), out[-3000:]
