"""Slips of the finger in the demo (issue 6 item 3): ``/hlep``, ``帮主``, ``谈心很顺利``, ``回复：好的``.

What a teacher or a grandfather types by mistake, with other questions waiting in the same chat (the Friday
check-in, a talk half done, a family's message), and what they read.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

CHECKIN = "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助"
SLIP = "您是想发送“帮助”吗？\n1. 是 2. 否"
GRANDPA = ":wait 2m\n:as #43\n"  # the check-in goes out at 18:00 and waits in his chat
FRIDAY = "2026-12-04 17:58"


def test_an_unknown_slash_command_offers_the_closest_of_the_teachers_commands(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/hlep\n/takl 杨秀云\n/unknown\n/quit\n", FRIDAY)
    assert after(out, "/hlep").startswith("没有 /hlep 这个命令。您是想用 /help 吗？\n您可以用的命令：谈心（/talk）、")
    assert after(out, "/takl 杨秀云").startswith("没有 /takl 这个命令。您是想用 /talk 杨秀云 吗？")
    unknown = after(out, "/unknown")
    assert unknown.startswith("没有 /unknown 这个命令。\n您可以用的命令：") and "您是想用" not in unknown
    assert "报告（/incident）" in unknown and "发送 /help 查看每个命令的用途。" in unknown
    assert "没有看懂" not in out


def test_a_guardian_is_never_offered_a_staff_command_and_the_checkin_comes_back(monkeypatch, tmp_path,
                                                                                 sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, GRANDPA + "/takl\n/incdent\n/hlep\n1\n/quit\n", FRIDAY)
    for typed in ("/takl", "/incdent"):
        said = after(out, typed)
        assert said.startswith(f"没有 {typed} 这个命令。\n您可以用的命令：亲情电话（/call）、我的（/me）"), said
        assert "/talk" not in said and "/incident" not in said and "/card" not in said and "紧急情况" in said
        assert said.rstrip().endswith(f"还在等您回答：\n\n{CHECKIN}")  # the check-in waits, with its numbers
    assert after(out, "/hlep").startswith("没有 /hlep 这个命令。您是想用 /help 吗？")
    assert after(out, "1").startswith("谢谢！已记录：杨秀云这周很好。")  # the 1 answers the check-in
    assert "“/takl”" not in out and "“/hlep”" not in out  # nothing relayed to the teacher


def test_a_same_sounding_word_is_asked_about_and_yes_runs_it_then_the_checkin_returns(monkeypatch, tmp_path,
                                                                                     sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, GRANDPA + "帮主\n是\n1\n/quit\n", FRIDAY)
    assert after(out, "帮主") == SLIP + "\n"
    yes = after(out, "是")
    assert yes.startswith("我可以帮您：\n/call（亲情电话）") and yes.endswith(f"还在等您回答：\n\n{CHECKIN}\n")
    assert after(out, "1").startswith("谢谢！已记录：杨秀云这周很好。")
    assert "“帮主”" not in out  # the slip itself is no message to the teacher


def test_the_slip_question_takes_one_two_or_its_words_and_nothing_else(monkeypatch, tmp_path, sample_roster):
    """``1`` and ``好的`` say yes; ``3`` is no answer to a yes/no question and never reaches the check-in."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, GRANDPA + "帮主\n3\n好的\n/quit\n", FRIDAY)
    assert after(out, "3") == f"请回复 1 到 2 之间的数字。\n\n{SLIP}\n"
    assert after(out, "好的").startswith("我可以帮您：")
    assert "已记录：杨秀云这周" not in out


def test_no_to_the_slip_passes_the_grandfathers_words_on_and_the_checkin_returns(monkeypatch, tmp_path,
                                                                                sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, GRANDPA + "帮主\n不是\n/quit\n", FRIDAY)
    no = after(out, "不是")
    assert no.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
    assert f"还在等您回答：\n\n{CHECKIN}" in no
    assert "[→ 王老师（班主任）]\n张强（杨秀云的外祖父，一年级（1）班）留言：\n“帮主”" in out


def test_other_words_at_the_slip_question_are_handled_as_usual(monkeypatch, tmp_path, sample_roster):
    """``很好`` after ``帮主``: the question is dropped and the words answer the check-in waiting under it."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, GRANDPA + "帮主\n很好\n/quit\n", FRIDAY)
    assert after(out, "很好").startswith("谢谢！已记录：杨秀云这周很好。")


def test_a_slip_in_the_middle_of_a_talk_keeps_the_talk(monkeypatch, tmp_path, sample_roster):
    script = "谈心杨婷\n好\n谈新\n否\n帮主\n是的\n一般\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    learning = "继续记录与杨婷的谈心：\n\n杨婷的学习情况怎么样？\n1. 好 2. 一般 3. 较差\n"
    assert after(out, "谈新") == "您是想发送“谈心”吗？\n1. 是 2. 否\n"
    assert after(out, "否") == f"好的，那就不执行了。发送“帮助”查看我能做什么。\n\n{learning}"
    assert after(out, "帮主") == SLIP + "\n"
    yes = after(out, "是的")
    assert yes.startswith("我可以帮您：\n谈心 姓名（/talk 姓名）") and yes.endswith(learning)
    assert after(out, "一般").startswith("杨婷的生活情况（饮食、睡眠、卫生）怎么样？")  # the talk went on


def test_a_glued_keyword_is_a_command_only_with_a_childs_name(monkeypatch, tmp_path, sample_roster):
    script = "谈心很顺利\n谈心杨亭\n/cancel\n谈心杨婷\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    assert "很顺利的孩子" not in out
    assert after(out, "谈心很顺利").startswith("抱歉，我没有看懂。")
    assert "1. 杨婷（一年级（1）班）" in after(out, "谈心杨亭")  # nearly a name: the closest is offered
    assert after(out, "谈心杨婷").startswith("与杨婷谈心。孩子的情绪怎么样？")


def test_a_guardians_sentence_after_a_keyword_reaches_the_teacher(monkeypatch, tmp_path, sample_roster):
    # 报告老师 alone calls the teacher: her message is asked for, and the sentence after it is passed on (fix6ad).
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n报告老师\n孩子咳嗽\n/quit\n", "2026-12-02 10:00")
    assert "您想告诉老师什么？" in after(out, "报告老师")
    assert after(out, "孩子咳嗽").startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
    assert "“孩子咳嗽”" in out and "“报告老师”" not in out


FEVER = ":as #43\n孩子发烧两天了\n:as 王老师\n"


def test_reply_colon_answers_the_family_message_shown_without_the_word(monkeypatch, tmp_path, sample_roster):
    script = FEVER + "回复：好的\n:as #43\n还在咳嗽\n:as 王老师\n1\n回复: 明天去卫生院\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00")
    assert after(out, "回复：好的").startswith("已发送给张强。")
    assert "王老师（杨秀云的班主任）回复了您的留言：\n“好的”" in out
    assert after(out, "回复: 明天去卫生院").startswith("已发送给张强。")
    assert "回复了您的留言：\n“明天去卫生院”" in out
    assert "“回复" not in out


def test_reply_colon_in_english(monkeypatch, tmp_path, sample_roster):
    script = FEVER + "Reply: I will visit tomorrow\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--lang", "en")
    assert "\n“I will visit tomorrow”" in out and "“Reply" not in out


def test_an_answer_that_starts_with_the_word_is_kept_whole(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, FEVER + "1\n回复晚了，抱歉\n/quit\n", "2026-12-02 10:00")
    assert "回复了您的留言：\n“回复晚了，抱歉”" in out
