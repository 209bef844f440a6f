"""Follow-ups to an open 【紧急】 family message, at night (found by a trial user; DESIGN.md "Outbox and sender").

``:as #43`` is 张强, grandfather of 杨秀云; her class teacher is 王老师. At 23:10 (quiet hours) he writes
``孩子發高燒抽筋了``: 王老师 gets 【紧急】 at once. His next words about her, while that message is open, must
reach her at once too (never held until 07:00), marked as its follow-up, and the reminder and the backups'
messages quote all his words, newest last.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

NIGHT = "2026-12-04 23:10"
FIRST = "孩子發高燒抽筋了"
TEACHER = "王老师（班主任）"
FOLLOW_UP = ("【紧急·补充】（2026年12月4日 23:10）接2026年12月4日 23:10的紧急消息，"
             "张强（杨秀云的外祖父，一年级（1）班）又留言：")


@pytest.mark.parametrize("second", ["孩子不见了", "孩子掉河里了", "报告杨秀云发高烧抽筋了"])
def test_emergency_words_after_an_urgent_message_reach_the_teacher_at_once_and_are_quoted_in_reminders(
        monkeypatch, tmp_path, sample_roster, second):
    script = f":as #43\n{FIRST}\n{second}\n:as 王老师\n:wait 10m\n:wait 10m\n:wait 8h\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--all")
    # At once, at 23:10, marked as a follow-up of the 【紧急】 message.
    now = told_to(after(out, second), TEACHER)
    assert len(now) == 1 and now[0].startswith(f"{FOLLOW_UP}\n“{second}”\n电话：138 0013 6956")
    assert "这条也一起转给老师了" in after(out, second)
    # The reminder ten minutes later quotes both, newest last.
    both = f"“{FIRST}”\n随后（2026年12月4日 23:10）：“{second}”\n电话：138 0013 6956"
    [reminder] = told_to(after(out, ":wait 10m"), TEACHER)
    assert reminder.startswith("【紧急·提醒】尚未回复") and both in reminder
    # The helper teacher and the principal, told after twenty minutes, read both too.
    backups = after(out, ":wait 10m", ":wait 10m")
    for reader in ("唐老师（帮扶教师）", "王校长（校领导）", "刘主任（管理员）"):
        [told] = told_to(backups, reader)
        assert "已经20分钟没有回复" in told and both in told
    # Nothing is left for the morning: the follow-up was not held by the quiet hours.
    assert f"“{second}”" not in "".join(told_to(after(out, ":wait 8h"), TEACHER))


def test_other_words_while_the_urgent_message_is_open_go_at_once_too(monkeypatch, tmp_path, sample_roster):
    """他现在在医院 is no emergency word, but it follows the fever message: the teacher must read it now."""
    script = f":as #43\n{FIRST}\n他现在在医院\n:wait 10m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--all")
    told = after(out, "他现在在医院")
    assert told.startswith("谢谢。您关于杨秀云的留言已作为紧急消息的补充马上转给王老师（班主任），"
                           "老师会给您打电话或在这里回复您。")
    assert "现在是夜间" not in told
    [now] = told_to(told, TEACHER)
    assert now.startswith(f"{FOLLOW_UP}\n“他现在在医院”")
    [reminder] = told_to(after(out, ":wait 10m"), TEACHER)
    assert f"“{FIRST}”\n随后（2026年12月4日 23:10）：“他现在在医院”\n" in reminder


def test_a_follow_up_in_english(monkeypatch, tmp_path, sample_roster):
    script = f":as #43\n{FIRST}\n孩子不见了\n:wait 10m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--all", "--lang", "en")
    assert "URGENT, FOLLOW-UP (" in after(out, "孩子不见了")
    assert f"“{FIRST}”\nThen (" in after(out, ":wait 10m")


def test_once_the_teacher_answered_new_emergency_words_are_a_new_urgent_message_with_its_reminder(
        monkeypatch, tmp_path, sample_roster):
    """王老师 answered the fever message; 孩子不见了 a minute later is a new emergency, reminded if unanswered."""
    script = f":as #43\n{FIRST}\n:as 王老师\n1\n我马上打电话\n:as #43\n孩子不见了\n:wait 10m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--all")
    [now] = told_to(after(out, "孩子不见了"), TEACHER)
    assert now.startswith("【紧急】（2026年12月4日 23:10）张强（杨秀云的外祖父，一年级（1）班）留言：\n“孩子不见了”")
    [reminder] = told_to(after(out, ":wait 10m"), TEACHER)
    assert reminder.startswith("【紧急·提醒】尚未回复") and "“孩子不见了”" in reminder and FIRST not in reminder
