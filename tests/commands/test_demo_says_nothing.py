"""Emoji, spaces or zero-width characters alone are no message for a teacher (found by a breaker, fixf)."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-02 10:00"  # a Wednesday morning: no check-in waiting for #43
FRIDAY = "2026-12-04 17:58"  # the check-in is sent at 18:00


@pytest.mark.parametrize("typed", ["\u200b", "\u200b\u200d\u2060", "😀" * 3000, "🌹🌹 ❤️", "\u200b\u3000\u200b"])
def test_nothing_but_emoji_or_invisible_characters_reaches_no_teacher(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{typed}\n/quit\n", AT, "--all")
    assert after(out, typed).startswith("好的，谢谢！目前没有需要您回答的问题。")
    assert "留言" not in after(out, typed)
    assert told_to(after(out, typed), "王老师（班主任）") == []


def test_words_with_an_emoji_still_reach_the_class_teacher(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n孩子发烧了😢\n/quit\n", AT, "--all")
    assert "张强（杨秀云的外祖父，一年级（1）班）留言：\n“孩子发烧了😢”" in after(out, "孩子发烧了😢")


def test_emoji_at_what_kind_of_help_asks_again_and_thumbs_up_at_the_note_is_ok(monkeypatch, tmp_path,
                                                                               sample_roster):
    script = ":wait 2m\n:as #43\n3\n😀\n\u200b\n5\n😀😀\n👍\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    for typed in ("😀", "\u200b"):
        assert after(out, typed).startswith("请选择一个选项（也可以回复选项的编号）。\n\n杨秀云需要哪方面的帮助？")
    assert after(out, "😀😀").startswith("请写几句话，或选择“跳过”。\n\n关于杨秀云，还有什么想告诉老师的吗？")
    assert after(out, "👍").startswith("谢谢，不需要再做什么了。")  # the everyday "ok": no note
    assert "[→ 唐老师（帮扶教师）]\n张强（杨秀云的监护人）需要的帮助：其他。\n" in after(out, "👍")
    assert "王老师（班主任）]" not in out.split("> 3\n", 1)[1]  # nothing relayed to the class teacher
