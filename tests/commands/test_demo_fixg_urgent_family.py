"""Another family member's words while the child's 【紧急】 message is open go with it at once (fixg, issue 6).

A tester at 23:00: the grandfather's ``孩子发高烧抽筋了`` rang the class teacher, but the mother's ``孩子怎么了？``
five minutes later waited for 07:00 as an ordinary message — only the writer's own urgent message was followed.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to


def test_the_mothers_words_follow_the_grandfathers_urgent_message_at_night(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发高烧抽筋了\n:wait 5m\n:as #44\n孩子怎么了？\n:wait 2h\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 23:00", "--all")
    told = after(out, "孩子怎么了？")
    assert told.startswith("谢谢。您关于杨秀云的留言已作为张强所发紧急消息的补充马上转给王老师（班主任）")
    to_teacher = told_to(told, "王老师（班主任）")
    assert len(to_teacher) == 1
    assert to_teacher[0].startswith("【紧急·补充】（2026年12月2日 23:05）接2026年12月2日 23:00的紧急消息，杨杨")
    assert "“孩子怎么了？”" in to_teacher[0]
    # The reminder and the backups quote her words as hers, not as the grandfather's.
    later = after(out, ":wait 2h")
    assert any("随后（2026年12月2日 23:05），杨杨：“孩子怎么了？”" in m for m in told_to(later, "王老师（班主任）"))
    assert any("杨杨：“孩子怎么了？”" in m for m in told_to(later, "唐老师（帮扶教师）"))


def test_in_english_the_writer_of_the_urgent_message_is_named(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发高烧抽筋了\n:wait 5m\n:as #44\nwhat happened?\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 23:00", "--all", "--lang", "en")
    told = after(out, "what happened?")
    assert told.startswith("Thank you. Your message about 杨秀云 was sent at once to 王老师")
    assert "with the urgent message from 张强" in told
