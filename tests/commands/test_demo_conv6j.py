"""Trial and breaker findings of the conv6j round (issue 6, DESIGN.md "Conversations"): nothing said is lost."""

from __future__ import annotations

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"
LONG = "".join(f"第{i}句话，孩子最近不太好。" for i in range(150))  # about 1,900 characters


def test_a_long_family_message_reaches_the_teacher_whole(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{LONG}\n/quit\n", AT, "--all")
    to_teacher = out.split("[→ 王老师（班主任）]", 1)[1]
    assert "第0句话" in to_teacher and "第149句话，孩子最近不太好。" in to_teacher  # the end is not cut off
    assert "只保留了前" not in out  # nothing was cut, so the writer is told nothing of the kind


def test_a_message_over_the_cap_tells_the_writer_what_was_kept(monkeypatch, tmp_path, sample_roster):
    huge = "孩子" * 5_005 + "最后几个字"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{huge}\n/quit\n", AT, "--all")
    assert "您的留言很长：只保留了前10000个字，到“孩子孩子孩子孩子孩子孩子孩子孩子孩子孩子”为止。" in out


def test_a_long_teacher_answer_reaches_the_family_whole(monkeypatch, tmp_path, sample_roster):
    answer = "".join(f"第{i}点建议。" for i in range(120))  # over a talk note's 500 characters
    script = f":as #43\n孩子发烧两天了\n:as 王老师\n1\n{answer}\n:as #43\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "第119点建议。" in out.split("回复了您的留言", 1)[1]


def test_a_question_held_behind_a_family_message_is_named_in_plain_words(monkeypatch, tmp_path, sample_roster):
    # Two messages from 李雪 (a reply about 刘帅, then a note about 婷婷, which goes once, under 刘婷婷 — fix6q):
    # the second waits behind the first in 张老师's chat and names it.
    script = (":wait 2m\n:as 张老师\n报告 刘帅\n1\n1\n课间摔倒，膝盖擦伤\n1\n:as 李雪\n帅帅膝盖还疼吗\n婷婷也发烧了\n"
              "/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "关于李雪关于" not in out
    assert "请先回答上面的问题（李雪发来的关于刘帅的留言：2026年12月4日 18:00“" in out  # its time, first words


def test_close_incident_typed_with_two_open_asks_which(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n1\n摔伤了膝盖\n1\n报告 丁倩\n2\n2\n咳嗽\n1\n结束事件\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    asked = out.split("> 结束事件\n", 1)[1]
    assert asked.startswith("要结束哪一起突发事件？\n"
                            "1. 杨秀云（受伤，2026年12月4日 17:58） 2. 丁倩（生病，2026年12月4日 17:58）")


def test_a_second_reply_goes_to_the_family_answered_last(monkeypatch, tmp_path, sample_roster):
    script = (":as #43\n孩子发烧两天了\n:as 王老师\n回复 明天家访\n:as #43\n:as 王老师\n回复 我再问问\n"
              ":as 张老师\n回复 你好\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    second = out.split("> 回复 我再问问\n", 1)[1]
    assert second.startswith("已发送给张强。\n\n[→ 张强（委托监护人）]\n"
                             "王老师（杨秀云的班主任）回复了您的留言：\n“我再问问”")
    # A teacher with no family message to answer is told so, the words shown back: never dropped silently.
    assert "现在没有等您回复的家长留言，所以这些话没有发给任何人：“你好”。" in out


def test_a_guardians_second_reply_to_an_alert_reaches_the_reporter(monkeypatch, tmp_path, sample_roster):
    script = ("谈心 杨秀云\n1\n2\n:as 王校长\n报告 杨秀云\n1\n1\n操场摔倒\n1\n"
              ":as #43\n孩子发烧两天了\n好的我马上去\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    second = out.split("> 好的我马上去\n", 1)[1]
    # About the open incident (conv6p): to its reporter and to the class teacher, the report time named.
    assert second.startswith("谢谢。您关于杨秀云（2026年12月4日 17:58报告的突发事件）的留言已马上转给"
                             "王校长（事件报告人）、王老师（班主任），看到后会在这里回复您。")
    to_reporter = second.split("[→ 王校长（校领导）]\n", 1)[1].split("\n\n", 1)[0]
    assert "“好的我马上去”" in to_reporter
    assert "“好的我马上去”" in second.split("[→ 王老师（班主任）]\n", 1)[1]


def test_a_report_sets_a_half_done_talk_aside_and_brings_it_back(monkeypatch, tmp_path, sample_roster):
    script = "谈心 杨秀云\n1\n1\n报告 杨秀云\n1\n1\n摔倒\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert "要放弃吗" not in out
    assert out.split("> 报告 杨秀云\n", 1)[1].startswith(
        "已暂存与杨秀云的谈心记录：报告完成后，我会从您停下的地方接着问。\n\n关于杨秀云的突发事件：发生了什么？")
    after = out.split("已报告。已开始按联系链通知相关人员；有人确认后会通知您。\n", 1)[1]
    assert after.startswith("\n继续记录与杨秀云的谈心：\n\n"
                            "杨秀云的生活情况（饮食、睡眠、卫生）怎么样？\n1. 好 2. 一般 3. 较差")


def test_a_missing_child_is_always_an_emergency(monkeypatch, tmp_path, sample_roster):
    script = "谈心 杨秀云\n1\n1\n:as #43\n孩子不见了\n:as 王老师\n报告 杨秀云\n3\n在村口不见的\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    asked = out.split("> 3\n", 1)[1]
    assert asked.startswith("请简要描述杨秀云的情况")  # no 紧急/一般 question
    assert "类型：走失\n程度：紧急\n描述：在村口不见的" in out
