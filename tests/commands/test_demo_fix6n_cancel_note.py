"""``取消`` at a talk's note asks "要放弃吗？" first, as every other command there does (issue 6 trial, fix6n).

王老师 answered four of the card's questions about 杨秀云 (looking at her card on the way) and reached the
note; her ``取消`` threw the whole talk away without a word of warning. Now she is asked; "Go back to it"
brings the note question back, "Drop it" cancels the talk, named.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"
TALK = "/talk 杨秀云\n1\n2\n/card 杨秀云\n2\n1\n"


def test_cancel_at_the_note_asks_first_and_going_back_keeps_the_talk(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, TALK + "取消\n2\n跳过\n", AT, "--all")
    asked = after(out, "取消")
    assert "已取消" not in asked
    assert "您还没有完成与杨秀云的谈心记录，目前还没有保存。要放弃吗？" in asked
    back = after(out, "2", "取消")
    assert "请简单记录与杨秀云的谈心内容" in back
    assert "杨秀云需要后续跟进吗？" in after(out, "跳过", "取消")  # the talk goes on from its note


def test_cancel_at_the_note_then_drop_it_cancels_the_talk_named(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, TALK + "cancel\n1\n", AT, "--all", "--lang", "en")
    assert "Drop it?" in after(out, "cancel") and "Cancelled" not in after(out, "cancel")
    assert after(out, "1", "cancel").strip() == "Cancelled your talk with 杨秀云. Nothing was saved."
