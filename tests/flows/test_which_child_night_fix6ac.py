"""李雪's words at an unanswered "which child?" wait for the morning at night; her 1 at dawn still picks the child.

Friday 21:50 (quiet hours from 21:00 to 07:00): 李雪 writes ``孩子发烧两天了，一直咳`` at the check-ins and is asked
which child. Before (fix6w's timer), at 22:20 her words were passed on while the outbox held every message until
07:00: the chat had moved on unseen, and her ``1`` at 06:30 for "1. 刘婷婷" still on her screen recorded 刘婷婷's
week as good. Now the question stays hers through the night; words she leaves unanswered go with the teacher's
morning (07:00), and emergency words go at once as they always did.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
NIGHT = ":wait 2m\n:wait 230m\n:as 李雪\n孩子发烧两天了，一直咳\n:wait 35m\n:wait 8h\n"


def test_her_one_at_dawn_still_picks_the_child(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, NIGHT + "1\n", FRIDAY, "--all")
    assert "张老师" not in after(out, ":wait 35m")  # 22:25: nothing passed on, nothing said to her
    assert "张老师" not in after(out, ":wait 8h")  # 06:25: still hers
    dawn = after(out, "1")
    assert "很好" not in dawn.split("\n")[0]
    assert "刘婷婷" in dawn and "张老师" in dawn  # filed under 刘婷婷: needs help, her words the note


def test_unanswered_words_reach_the_teacher_in_the_morning(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, NIGHT + ":wait 40m\n", FRIDAY, "--all")
    morning = after(out, ":wait 40m")  # 07:05
    [teacher] = told_to(morning, "张老师（班主任）")
    assert "“孩子发烧两天了，一直咳”" in teacher and "1. 回复" in teacher
    told = "\n".join(told_to(morning, "李雪（委托监护人）"))
    assert "我已把您的话原样转给老师" in told
    assert "现在是夜间" not in told  # told in the morning, not "it is night now"


def test_emergency_words_at_the_question_go_at_once(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:wait 230m\n:as 李雪\n孩子发烧两天了\n晚上发高烧抽筋了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    [urgent] = told_to(after(out, "晚上发高烧抽筋了"), "张老师（班主任）")
    assert urgent.startswith("【紧急】") and "“晚上发高烧抽筋了”" in urgent
