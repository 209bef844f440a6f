"""A talk begun in the morning keeps its numbers when a grandfather's message arrives in the afternoon (fix6w).

Wednesday 08:00: 王老师 starts ``/talk 杨秀云`` and is called away with the mood question on screen. At 15:00 张强
(``#43``) writes that 杨秀云 coughs at night. Before, the talk having waited more than six hours
(:data:`bot.domain.agenda.HOLD`), his message came numbered ``1. 回复``: her ``1`` for the mood began a reply to him,
and ``/due`` showed his message with no word of the talk. Now his message comes without numbers, saying the talk
begun earlier comes first and how to see its question again; ``1`` answers the mood, ``/due`` brings the talk back,
and his message is asked, with its Reply, once the talk is saved.

fix6ac changed this on purpose: a talk left unanswered 45 minutes (one lesson, :data:`bot.domain.agenda.TALK_IDLE`)
no longer holds his message — it comes numbered with its Reply and a line saying the talk is set aside, kept, and
that 取消 goes back to it at once. Her 取消 brings the mood question back; the rest is as before.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

WEDNESDAY = "2026-12-02 08:00"
SCRIPT = "/talk 杨秀云\n:wait 7h\n:as #43\n{words}\n:as 王老师\n取消\n1\n/due\n1\n1\n{skip}\n1\n1\n"


def test_her_1_answers_the_talk_and_his_message_comes_after_it(monkeypatch, tmp_path, sample_roster):
    script = SCRIPT.format(words="孩子晚上咳嗽得厉害，怎么办？", skip="1\n跳过")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEDNESDAY, "--all")
    [passed] = told_to(after(out, "孩子晚上咳嗽得厉害，怎么办？"), "王老师（班主任）")
    assert "“孩子晚上咳嗽得厉害，怎么办？”" in passed and "1. 回复" in passed
    assert "已暂存与杨秀云的谈心记录（您从2026年12月2日 08:00起没有再回答）" in passed
    assert "与杨秀云谈心。孩子的情绪怎么样？" in after(out, "取消")
    assert after(out, "1", ":as 王老师").startswith("杨秀云的学习情况怎么样？")
    due = after(out, "/due")
    assert "继续记录与杨秀云的谈心：\n\n杨秀云的生活情况" not in due  # the study question is the one still open
    assert due.rstrip().endswith("继续记录与杨秀云的谈心：\n\n杨秀云的学习情况怎么样？\n1. 好 2. 一般 3. 较差")
    saved = out.split("> 1\n")[-1]
    assert saved.startswith("已保存：与杨秀云的谈心记录。")
    assert "“孩子晚上咳嗽得厉害，怎么办？”\n电话：138 0013 6956\n1. 回复" in saved


def test_in_english_the_message_waits_for_the_talk_too(monkeypatch, tmp_path, sample_roster):
    script = SCRIPT.format(words="The child coughs a lot at night", skip="1\nskip")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEDNESDAY, "--all", "--lang", "en")
    [passed] = told_to(after(out, "The child coughs a lot at night"), "王老师 (class teacher)")
    assert "1. Reply" in passed
    assert "Set aside: your talk with 杨秀云, left unanswered since" in passed
    assert after(out, "1", ":as 王老师").startswith("How is 杨秀云 doing with study?")
    assert "Back to your talk with 杨秀云:" in after(out, "/due")
    assert "1. Reply" in out.split("> 1\n")[-1]
