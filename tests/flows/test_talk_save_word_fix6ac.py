"""保存 / save typed at the talk card's questions, and which talk the card counts as (fix6ac).

王老师's talk with 杨秀云 while grandfather 张强's message waits behind it: ``保存`` at "needs follow-up?" got
"please choose an option" and ``save`` was kept as the note. Now the card is saved with what she gave (no
follow-up task, said so), and the grandfather's message comes with its Reply right after. Too early (at the
study question), she is told what is still missing. The card and the saved message say which talk it counts as:
the class teacher's monthly one for 王老师, the helper's weekly one for 唐老师.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
TALK = "/talk 杨秀云\n1\n:as #43\n孩子这两天咳嗽，麻烦老师留意一下\n:as 王老师\n保存\n1\n1\n1\n跳过\n"


def test_save_at_the_follow_up_saves_and_the_grandfathers_message_comes_next(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, TALK + "保存\n1\n", FRIDAY)
    early = after(out, "保存")
    assert early.startswith("还不能保存：与杨秀云的谈心还差学习、生活、安全隐患没有填写。请先回答：")
    assert "杨秀云的学习情况怎么样？" in early
    saved = out.split("> 保存")[2]
    assert "已保存：与杨秀云的谈心记录。" in saved
    assert "计入：杨秀云班主任本月的每月谈心" in saved
    assert "没有添加跟进任务" in saved
    assert "请选择一个选项" not in saved
    assert "孩子这两天咳嗽" in saved and "1. 回复" in saved  # his message, its Reply numbered, after the talk
    assert out.split("> 1\n")[-1].startswith("请写下给张强的回复（关于杨秀云）：")


def test_save_in_english_is_no_note(monkeypatch, tmp_path, sample_roster):
    script = "/talk 杨秀云\n1\n1\n1\n1\nskip\nsave\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--lang", "en")
    saved = after(out, "save")
    assert saved.startswith("Saved: the talk with 杨秀云.")
    assert "Counts as: this month's talk of 杨秀云's class teacher" in saved
    assert "No follow-up task was added" in saved
    assert "Kept as the note" not in saved


def test_the_helper_teachers_card_counts_as_the_weekly_talk(monkeypatch, tmp_path, sample_roster):
    script = ":as 唐老师\n/talk 杨秀云\n1\n1\n1\n1\n跳过\n1\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    card = out.split("> 1")[-1]
    assert "计入：杨秀云结对帮扶人（帮扶教师或爱心家长）本周的每周谈心" in card
    assert "1. 保存" in card
