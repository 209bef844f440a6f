"""``谢谢老师`` / ``thanks`` at a check-in's note question reach the class teacher, like thanks at the week's question.

李雪 (guardian of 刘婷婷 and 刘帅) answers 刘婷婷's Friday check-in ``1``; the bot asks "anything you would like to
tell 刘婷婷's teacher?". Her ``谢谢老师`` ended the follow-up with "谢谢，不需要再做什么了" and 张老师 never read
it, while the same words at the week's question are passed on (:mod:`bot.flows.closed_seen`). Now they are the
note: kept for the helper teacher's digest and passed to 张老师 at once; 刘帅's check-in, still waiting, is asked next.
``收到`` and ``跳过`` still end the follow-up with nothing passed on.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"
LI_XUE = ":wait 2m\n:as 李雪\n1\n"


def test_thanks_at_the_note_question_reach_the_class_teacher(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "谢谢老师\n收到\n", AT, "--all")
    assert "关于刘婷婷，还有什么想告诉老师的吗？" in after(out, "1", ":as 李雪")
    thanked = after(out, "谢谢老师")
    assert "不需要再做什么了" not in thanked
    assert "您关于刘婷婷的留言已转给张老师（班主任）" in thanked
    assert any("“谢谢老师”" in m for m in told_to(thanked, "张老师（班主任）"))
    assert thanked.split("[→")[0].rstrip().endswith("刘帅这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert "已记录" not in after(out, "收到")  # 收到 at 刘帅's week: no answer, no note


def test_thanks_in_english_at_the_note_question_reach_the_class_teacher(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "thanks\n", AT, "--all", "--lang", "en")
    thanked = after(out, "thanks")
    assert "Nothing more is needed" not in thanked
    assert "Your message about 刘婷婷 was passed to 张老师 (class teacher)" in thanked
    assert any("“thanks”" in m for m in told_to(thanked, "张老师 (class teacher)"))
    assert thanked.split("[→")[0].rstrip().endswith("How is 刘帅 this week?\n1. All good 2. So-so 3. Needs help")


def test_received_at_the_note_question_still_ends_it_quietly(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "收到\n", AT, "--all")
    ended = after(out, "收到")
    assert "张老师（班主任）]" not in ended and "刘帅这周过得怎么样？" in ended
