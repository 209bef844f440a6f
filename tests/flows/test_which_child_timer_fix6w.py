"""李雪 asked "which child?" and silent: her words reach 张老师 after 30 minutes, on the demo's clock (fix6w).

Friday 18:00: 李雪 (guardian of 刘婷婷 and 刘帅, both in 张老师's class) answers nothing to the check-ins but writes
``孩子发烧两天了``; she is asked which child, and puts the phone down. Before, her words waited in the chat until
she wrote again. Now, 30 minutes after the question (:data:`bot.flows.which_child_wait.WAIT`, the scheduler's
tick on the database's clock), they go to 张老师 as one message naming both children; she is told, and the
check-in still waiting is asked again, numbered, so her next ``1`` answers it. At 20 minutes nothing has gone yet.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
SCRIPT = ":wait 2m\n:as 李雪\n{words}\n:wait 20m\n:wait 15m\n1\n"


def test_her_words_go_to_the_class_teacher_when_she_does_not_answer(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT.format(words="孩子发烧两天了"), FRIDAY, "--all")
    assert "“孩子发烧两天了”说的是哪个孩子？" in after(out, "孩子发烧两天了")
    assert "张老师" not in after(out, ":wait 20m")  # not yet
    later = after(out, ":wait 15m")
    [teacher] = told_to(later, "张老师（班主任）")
    assert teacher.startswith("李雪（刘婷婷、刘帅的外祖母，一年级（3）班）留言：\n“孩子发烧两天了”")
    assert "1. 回复" in teacher
    told = "\n".join(told_to(later, "李雪（委托监护人）"))
    assert "您还没说“孩子发烧两天了”说的是哪个孩子，我已把您的话原样转给老师。" in told
    assert "您关于刘婷婷、刘帅的留言已转给张老师（班主任）" in told
    assert told.split("演示时间")[0].rstrip().endswith("刘婷婷这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert after(out, "1").startswith("谢谢！已记录：刘婷婷这周很好。")


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT.format(words="孩子发烧两天了"), FRIDAY, "--all",
                   "--lang", "en")
    later = after(out, ":wait 15m")
    assert any("“孩子发烧两天了”" in m for m in told_to(later, "张老师 (class teacher)"))
    told = "\n".join(told_to(later, "李雪 (entrusted guardian)"))
    assert "You did not tell me which child “孩子发烧两天了” is about" in told
    assert "passed to 张老师 (class teacher)" in told
