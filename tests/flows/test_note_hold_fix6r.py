"""Words about a missing child at the check-in's note question reach those handling the incident (fix6r, F0).

Friday 18:00: 杨秀云's grandfather 张强 answers the check-in ``1`` (很好); before he writes a note, 刘主任 reports
that she did not come home. He acknowledges the alert; the note question ("还有什么想告诉老师的吗？") came back,
and his "孩子还没找到，我到处找了" was filed as a weekly note for the class teacher — the reporter and the parents
never heard it. Now the note question waits while the incident is open, and his words go as a reply to the alert.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
ZH = ":as #43\n:wait 2m\n1\n:as 刘主任\n报告 杨秀云\n3\n放学后没回家\n1\n:as #43\n收到\n孩子还没找到，我到处找了\n"
EN = (":as #43\n:wait 2m\n1\n:as 刘主任\nreport 杨秀云\n3\ndid not come home\n1\n:as #43\nok\n"
      "still not found her, I searched the whole village\n")


def test_still_missing_goes_to_the_reporter_not_into_a_weekly_note(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ZH + "1\n找到了\n", FRIDAY, "--all")
    acked = after(out, "收到", ":as #43")
    assert "还有什么想告诉老师的吗" not in acked
    assert "等杨秀云的事件结束（或您告诉我杨秀云已经平安）后，我再问您有什么想告诉老师的。" in acked
    said = after(out, "孩子还没找到，我到处找了")
    assert said.startswith("谢谢。您关于杨秀云（2026年12月4日 18:00报告的突发事件）的留言已马上转给"
                           "刘主任（事件报告人）、王老师")
    [reporter] = told_to(said, "刘主任（管理员）")
    assert "回复了关于杨秀云（一年级（1）班）的事件通知" in reporter and "“孩子还没找到，我到处找了”" in reporter
    assert "写于每周联系" not in said
    assert after(out, "1", "孩子还没找到，我到处找了").startswith("现在没有需要回复数字的问题。")
    found = after(out, "找到了")  # still an all clear, to everyone the alert reached
    assert found.startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：刘主任、杨杨、谢冬梅、王老师。")


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, EN, FRIDAY, "--all", "--lang", "en")
    acked = after(out, "ok", ":as #43")
    assert "Anything you would like to tell" not in acked
    assert ("Once the incident about 杨秀云 is closed (or you tell me 杨秀云 is safe), I will ask what you want to "
            "tell 杨秀云's teacher.") in acked
    said = after(out, "still not found her, I searched the whole village")
    [reporter] = told_to(said, "刘主任 (school admin)")
    assert "“still not found her, I searched the whole village”" in reporter


def test_the_note_question_comes_back_after_the_close(monkeypatch, tmp_path, sample_roster):
    script = ZH + ":as 刘主任\n结束事件\n4\n跳过\n确认结束\n:as #43\n家里都好\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    [teacher] = told_to(after(out, "家里都好"), "王老师（班主任）")
    assert "“家里都好”" in teacher and "写于每周联系回答“很好”之后。" in teacher
