"""``没事了`` at 刘婷婷's check-in note while 刘帅's incident is open: asked, never 刘帅's all clear (fix6aw, HIGH).

王老师 reported 刘帅 grazed by a car; 李雪 confirmed the alert, answered 刘婷婷's check-in ``1`` and, at
「关于刘婷婷，还有什么想告诉老师的吗？」, wrote ``没事了`` — most likely "nothing more to add". 王老师, 张老师 and the
father read 「李雪说刘帅没事了」 and the teachers were offered 结束事件. Now she is asked which she meant.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
AT_NOTE = ":wait 2m\n报告 刘帅\n1\n1\n校门口被车擦伤\n1\n:as 李雪\n1\n1\n"
MEANT = "您是说刘帅已经平安了，还是关于刘婷婷没有要补充的？\n1. 刘帅已经平安了 2. 关于刘婷婷没有要补充的"


@pytest.mark.parametrize("typed", ["没事了", "没事", "没事，谢谢"])
def test_bare_all_clear_at_the_other_childs_note_is_asked_about(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{AT_NOTE}{typed}\n2\n/quit\n", FRIDAY, "--all")
    asked = after(out, typed)
    assert asked.strip() == MEANT  # nobody told anything yet
    nothing = after(out, "2", typed)
    assert nothing.startswith("谢谢，不需要再做什么了。")
    assert not told_to(nothing, "王老师（班主任）") and not told_to(nothing, "刘亮（外出务工父母）")
    assert "李雪说刘帅没事了" not in out


def test_one_is_the_all_clear_and_the_note_is_asked_again(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{AT_NOTE}没事了\n1\n/quit\n", FRIDAY, "--all")
    said = after(out, "1", "没事了")
    assert said.startswith("谢谢。您关于刘帅的话已转告收到这起突发事件通知的人：王老师、刘亮、张老师。\n\n"
                           "还在等您回答：\n\n关于刘婷婷，还有什么想告诉老师的吗？")
    teacher = told_to(said, "王老师（班主任）")[0]
    assert teacher.startswith("李雪说刘帅没事了。") and "“没事了”" in teacher and "2. 结束事件" in teacher


def test_words_naming_the_child_stay_the_all_clear(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{AT_NOTE}帅帅没事了\n/quit\n", FRIDAY, "--all")
    said = after(out, "帅帅没事了")
    assert said.startswith("谢谢。您关于刘帅的话已转告收到这起突发事件通知的人：王老师、刘亮、张老师。")
    assert told_to(said, "王老师（班主任）")[0].startswith("李雪说刘帅没事了。")


def test_with_one_child_nothing_changes(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n1\n:as 王老师\n报告 杨秀云\n2\n1\n发烧38度5\n1\n:as #43\n1\n没事了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    assert after(out, "没事了").startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：")


def test_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\nreport 刘帅\n1\n1\ngrazed by a car at the gate\n1\n:as 李雪\n1\n1\nshe is fine now\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    assert after(out, "she is fine now").startswith(
        "Do you mean 刘帅 is safe now, or that you have nothing to add about 刘婷婷?")


def test_naming_the_child_at_the_question_answers_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{AT_NOTE}没事了\n帅帅没事了\n/quit\n", FRIDAY, "--all")
    said = after(out, "帅帅没事了")
    assert told_to(said, "王老师（班主任）")[0].startswith("李雪说刘帅没事了。")
    assert "还在等您回答：\n\n关于刘婷婷，还有什么想告诉老师的吗？" in said and "您是说刘帅已经平安了" not in said
