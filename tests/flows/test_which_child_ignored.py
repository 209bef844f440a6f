"""李雪's worry words, asked "which child?", are never lost when she does not answer (fix6p, issue 6 item 4).

Friday 18:00: 李雪 (guardian of 刘婷婷 and 刘帅, class teacher 张老师) has both check-ins waiting and writes
``孩子发烧两天了``; she is asked which child. A grandmother often does not answer that but writes on. More words are
added to hers and the question asked once more (``晚上也不睡``, then ``1``: unchanged, fix6m). When she writes
something else again, or types a command, she has moved on: all her words go at once to 张老师 as one message naming
both children, nothing is guessed onto a check-in, and the check-ins still waiting are asked again. Before, her
words stayed in the chat's state, and a command dropped them ("nothing of it is saved yet").
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
LI_XUE = ":wait 2m\n:as 李雪\n"


def test_words_typed_twice_instead_of_the_child_reach_the_class_teacher(monkeypatch, tmp_path, sample_roster):
    script = LI_XUE + "孩子发烧两天了\n我腿脚不好\n明天下雨了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    assert "“孩子发烧两天了”说的是哪个孩子？" in after(out, "孩子发烧两天了")
    assert after(out, "我腿脚不好").startswith("已补充到您的留言里。")
    moved_on = after(out, "明天下雨了")
    assert moved_on.startswith("谢谢。您关于刘婷婷、刘帅的留言已转给张老师（班主任）")
    [teacher] = told_to(moved_on, "张老师（班主任）")
    assert "“孩子发烧两天了\n我腿脚不好\n明天下雨了”" in teacher
    assert "已记录" not in moved_on  # no check-in answered by guess
    assert "刘婷婷这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in moved_on.split("[→")[0]


def test_a_command_at_which_child_passes_her_words_on_first_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "孩子发烧两天了\n/call\n", FRIDAY, "--all",
                   "--lang", "en")
    left = after(out, "/call")
    assert "Drop it?" not in left and "nothing of it is saved" not in left
    assert left.startswith("Thank you. Your message about 刘婷婷 and 刘帅 was passed to 张老师 (class teacher)") \
        or "passed to 张老师 (class teacher)" in left.split("\n")[0]
    assert any("“孩子发烧两天了”" in m for m in told_to(left, "张老师 (class teacher)"))


def test_words_typed_twice_in_english_reach_the_class_teacher(monkeypatch, tmp_path, sample_roster):
    script = LI_XUE + "孩子发烧两天了\nI can't walk far\nit will rain tomorrow\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    assert "Which child is “孩子发烧两天了” about?" in after(out, "孩子发烧两天了")
    moved_on = after(out, "it will rain tomorrow")
    assert "passed to 张老师 (class teacher)" in moved_on.split("\n")[0]
    assert any("it will rain tomorrow" in m and "孩子发烧两天了" in m
               for m in told_to(moved_on, "张老师 (class teacher)"))
    assert "How is 刘婷婷 this week?" in moved_on.split("[→")[0]
