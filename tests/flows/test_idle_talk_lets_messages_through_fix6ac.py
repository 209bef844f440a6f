"""A talk walked away from no longer holds a grandfather's message: after 45 minutes it comes through (fix6ac).

Wednesday 10:00: 王老师 starts ``/talk 杨秀云``, answers the mood and is called to her class. At 10:05 张强 (#43)
writes; his message is held behind the talk (she is at it). fix6w held it however long: a teacher who forgot the
talk never got his Reply. Now, once the talk has had no answer for 45 minutes (:data:`bot.domain.agenda.TALK_IDLE`,
one lesson), his message comes again, numbered, with its Reply, and a line says the talk is set aside, kept where
she left it, and how to go back to it. The talk stays on /due; it comes back once she has answered him, or at once
with 取消. A message arriving after the talk idled is shown at once the same way.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

WEDNESDAY = "2026-12-02 10:00"
HELD = "/talk 杨秀云\n1\n:wait 5m\n:as #43\n孩子这两天咳嗽，麻烦老师留意一下\n:wait 30m\n:wait 15m\n:as 王老师\n"
ASIDE = ("已暂存与杨秀云的谈心记录（您从2026年12月2日 10:00起没有再回答）。"
         "它停在您离开的地方：回答完这条消息后会回来；回复“取消”可马上回到它。")


def test_the_held_message_comes_through_and_the_talk_comes_back_after(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, HELD + "/due\n1\n好的，我会留意\n1\n", WEDNESDAY, "--all")
    [held] = told_to(after(out, "孩子这两天咳嗽，麻烦老师留意一下"), "王老师（班主任）")
    assert "1. 回复" not in held  # 10:05: she is at the talk
    assert "王老师" not in after(out, ":wait 30m")  # 10:35: not yet
    [through] = told_to(after(out, ":wait 15m"), "王老师（班主任）")  # 10:50
    assert "“孩子这两天咳嗽，麻烦老师留意一下”" in through
    assert ASIDE + "\n1. 回复" in through
    due = after(out, "/due")
    assert "您与杨秀云的谈心还没做完" in due and "• 杨秀云（一年级（1）班）：每月谈心" in due
    assert after(out, "1", ":as 王老师").startswith("请写下给张强的回复（关于杨秀云）：")
    sent = after(out, "好的，我会留意")
    assert sent.startswith("已发送给张强。\n\n继续记录与杨秀云的谈心：\n\n杨秀云的学习情况怎么样？")
    assert out.split("> 1\n")[-1].startswith("杨秀云的生活情况")


def test_cancel_goes_back_to_the_talk_at_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, HELD + "取消\n", WEDNESDAY, "--all")
    back = after(out, "取消")
    assert "继续记录与杨秀云的谈心：\n\n杨秀云的学习情况怎么样？" in back


def test_a_message_arriving_after_the_talk_idled_is_shown_at_once(monkeypatch, tmp_path, sample_roster):
    script = "/talk 杨秀云\n1\n:wait 50m\n:as #43\nThe child coughs at night\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEDNESDAY, "--all", "--lang", "en")
    [shown] = told_to(after(out, "The child coughs at night"), "王老师 (class teacher)")
    assert "Set aside: your talk with 杨秀云, left unanswered since" in shown
    assert shown.rstrip().endswith("1. Reply")
