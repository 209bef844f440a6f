"""A held check-in note question comes back with the close notice; 好的 then sees the notice (fix6t).

A breaker: 张强 answers Friday's check-in ``2`` (一般); before he writes a note 王老师 reports an emergency about
杨秀云, and the note question waits ("等杨秀云的事件结束…再问您"). The close notice said nothing of it, and his
``好的`` to the notice got "谢谢，不需要再做什么了" — the note question ended unseen. Now the notice brings it back,
naming the child, and ``好的`` right after the notice is "seen", with the note question asked again.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
ZH = (":as #43\n:wait 2m\n2\n:as 王老师\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n:as #43\n收到\n"
      ":as 王老师\n结束事件\n2\n跳过\n确认结束\n:as #43\n好的\n")
EN = (":as #43\n:wait 2m\n2\n:as 王老师\nreport 杨秀云\n1\n1\nhead cut open\n1\n:as #43\nok\n"
      ":as 王老师\n结束事件\n2\n跳过\n确认结束\n:as #43\nok\n")


def test_the_note_question_returns_with_the_close_notice(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ZH, FRIDAY)
    [notice] = told_to(after(out, "确认结束"), "张强（委托监护人）")
    assert notice.rstrip().endswith("还在等您回答：\n关于杨秀云，还有什么想告诉老师的吗？请写几句话，或选择“跳过”。")
    seen = after(out, "好的", ":as 王老师")
    assert seen.startswith("谢谢。已记下您看过了杨秀云的事件已结束的通知。")
    assert "关于杨秀云，还有什么想告诉老师的吗？请写几句话，或选择“跳过”。\n1. 跳过 2. 改一下" in seen
    assert "不需要再做什么了" not in seen


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, EN, FRIDAY, "--lang", "en")
    [notice] = told_to(after(out, "确认结束"), "张强 (entrusted guardian)")
    assert "Still waiting for your answer:\nAnything you would like to tell 杨秀云's teacher?" in notice
    seen = after(out, "ok", ":as 王老师", nth=2)
    assert seen.startswith("Thank you. Noted that you have seen that the incident about 杨秀云 is closed.")
    assert "1. Skip 2. Change my answer" in seen


def test_cancel_while_the_note_question_is_held_keeps_the_answer(monkeypatch, tmp_path, sample_roster):
    held = ZH.split(":as 王老师\n结束事件")[0]
    script = held + "取消\n:as 王老师\n结束事件\n2\n跳过\n确认结束\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    assert after(out, "取消").startswith("好的。您关于杨秀云的回答已经保存，不需要再做什么了。")
    assert "没有保存任何内容" not in out
    [notice] = told_to(after(out, "确认结束"), "张强（委托监护人）")
    assert "还有什么想告诉老师的吗" not in notice  # dropped: it does not come back


def test_cancel_in_english_too(monkeypatch, tmp_path, sample_roster):
    held = EN.split(":as 王老师\n结束事件")[0]
    out = run_demo(monkeypatch, tmp_path, sample_roster, held + "cancel\n", FRIDAY, "--lang", "en")
    assert after(out, "cancel").startswith("All right. Your answer about 杨秀云 is kept; nothing more is needed.")
