"""No-note words at the close of an incident, and a confirmation that only asks "close it?" (fix6v, issue 6).

A breaker closed 杨秀云's incident as 王老师 and, at "anything to add for the people who were told?", typed
``不需要`` / ``不用了谢谢`` / ``nope`` / ``no need`` / ``none``: everyone the chain reached read "说明：不需要". From
the grandfather's all clear the confirmation also took the note in the same message, so her ``没有`` ("no note")
kept the incident open with no way out but starting again. Now no-note words are no note, the confirmation after
an all clear has its own "添加说明" choice, and a no to "close it?" says plainly the incident is still open.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
GRANDPA = "张强（委托监护人）"
REPORT = ":wait 2m\n报告 杨秀云\n3\n放学后没回家\n1\n"
REPORT_EN = ":wait 2m\nreport 杨秀云\n3\ndid not come home\n1\n"
FOUND = REPORT + ":as #43\n1\n找到了\n:as 王老师\n"
STILL_OPEN = "关于杨秀云的事件还没有结束，也没有通知任何人。以后要结束时，请发送“结束事件”。"


@pytest.mark.parametrize("words", ["不需要", "不用了谢谢", "没有"])
def test_no_note_words_at_the_note_question_add_no_note(monkeypatch, tmp_path, sample_roster, words):
    # The grandfather has not answered the alert: the Friday check-in and the alert wait in his chat.
    script = REPORT + f"结束事件\n1\n{words}\n确认结束\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    asked = after(out, words)
    assert "确认结束关于杨秀云" in asked and "结果：孩子已找到" in asked and f"说明：{words}" not in asked
    [notice] = [m for m in told_to(after(out, "确认结束"), GRANDPA) if "结果：孩子已找到" in m]
    assert words not in notice


@pytest.mark.parametrize("words", ["nope", "no need", "none"])
def test_no_note_words_in_english(monkeypatch, tmp_path, sample_roster, words):
    script = REPORT_EN + f"/close\n4\n{words}\nConfirm close\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    asked = after(out, words)
    assert "Close the incident about 杨秀云" in asked and "Details:" not in asked
    assert after(out, "Confirm close").startswith("The incident is closed.")


def test_after_the_all_clear_a_no_keeps_it_open_and_says_so(monkeypatch, tmp_path, sample_roster):
    script = FOUND + "结束事件\n没有\n结束事件\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    asked = after(out, "结束事件")
    assert asked.startswith("确认结束关于杨秀云（一年级（1）班）的突发事件（走失，报告于2026年12月4日 18:00）吗？")
    assert "“确认结束” / “添加说明” / “其他结果” / “暂不结束”" in asked
    assert "补充几句话" not in asked  # "close it?" alone: no note is asked for in the same message
    refused = after(out, "没有")
    assert refused.startswith(STILL_OPEN) and "[→ 张强" not in refused
    assert "之前，请说明孩子现在的情况" in after(out, "结束事件", nth=2)  # as she was told: 结束事件 closes it


def test_after_the_all_clear_a_note_has_its_own_question(monkeypatch, tmp_path, sample_roster):
    script = FOUND + "结束事件\n添加说明\n没有\n确认结束\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    assert "关于杨秀云，还有什么要告诉已收到通知的人吗" in after(out, "添加说明")
    no_note = after(out, "没有")
    assert no_note.startswith("确认结束关于杨秀云") and "说明：没有" not in no_note
    assert "“确认结束” / “其他结果” / “暂不结束”" in no_note  # no note, as chosen: not offered again
    [notice] = [m for m in told_to(after(out, "确认结束"), GRANDPA) if "结果：孩子已找到" in m]
    assert "没有" not in notice


def test_keep_it_open_in_english_says_how_to_close_later(monkeypatch, tmp_path, sample_roster):
    script = REPORT_EN + ":as #43\n1\nfound her\n:as 王老师\nclose incident\nKeep it open\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    assert "“Confirm close” / “Add a note” / “Another outcome” / “Keep it open”" in after(out, "close incident")
    assert after(out, "Keep it open").startswith(
        "The incident about 杨秀云 is still open, and nobody was told anything. To close it later, send /close.")
