"""The teacher side of the demo as a new user tried it (issue 6 trial, from a clone): what 王老师 types, what she
and the grandfather read."""

from __future__ import annotations

import re

from tests.support.demo import run_demo

FEVER = ":as #43\n孩子发烧两天了\n:as 王老师\n"


def test_the_word_reply_at_the_reply_prompt_is_never_sent_as_the_reply(monkeypatch, tmp_path, sample_roster):
    """The trial's case: a 2 got "reply 1 or the words of the answer", and 回复 reached the grandfather as the reply."""
    script = FEVER + "回复\n2\n回复\n好的，明天我去家访\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00")
    asked = "请写下给张强的回复（关于杨秀云）：\n1. 取消"
    hint = "您正在写给张强的回复：请直接输入回复的内容，会原样发给对方。如要取消，请回复 1 或发送“取消”。"
    assert f"> 2\n{hint}\n\n{asked}" in out
    assert f"> 回复\n{hint}\n\n{asked}" in out.split("> 2\n", 1)[1]
    assert "请回复 1，或直接回复答案的文字" not in out
    assert "“回复”" not in out  # never sent to 张强
    assert ("> 好的，明天我去家访\n已发送给张强。\n\n[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n"
            "“好的，明天我去家访”") in out
    assert "抱歉，我没有看懂" not in out


def test_cancel_at_the_reply_prompt_cancels_and_the_message_is_asked_again(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, FEVER + "回复\n取消\n回复\n明天去家访\n/quit\n",
                "2026-12-02 10:00")
    assert ("> 取消\n已取消，没有发送任何内容给张强。\n\n还在等您回答：\n\n"
            "张强（杨秀云的外祖父，一年级（1）班）留言：") in out
    assert "“取消”" not in out
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n“明天去家访”" in out


def test_the_english_teacher_typing_reply_at_the_reply_prompt(monkeypatch, tmp_path, sample_roster):
    script = FEVER + "Reply\n2\nreply\nI will visit tomorrow\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--lang", "en")
    hint = ("You are writing your answer to 张强 now: type the answer itself, and it is sent as you write it. "
            "To cancel, reply 1 or send /cancel.")
    assert f"> 2\n{hint}" in out and f"> reply\n{hint}" in out
    assert "“reply”" not in out and "“Reply”" not in out
    assert "> I will visit tomorrow\nSent to 张强." in out


def test_english_command_words_without_space_or_slash(monkeypatch, tmp_path, sample_roster):
    script = "talk杨秀云\n/cancel\nreport 杨秀云\n/cancel\nreport杨秀云\n/cancel\nclose\nreport\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--lang", "en")
    assert "> talk杨秀云\nTalk with 杨秀云. How was the child's mood?" in out
    assert "> report 杨秀云\nIncident about 杨秀云: what happened?" in out
    assert "> report杨秀云\nIncident about 杨秀云: what happened?" in out
    assert "> close\nYou have no open incident you can close." in out
    assert "> report\nWhich child is it about? Send the name." in out  # a class teacher reads no figures
    assert "didn't understand" not in out


def test_report_alone_asks_an_admin_which_one_is_meant(monkeypatch, tmp_path, sample_roster):
    script = ":as 刘主任\nreport\n2\nreport\nincident\nreport 杨秀云\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--lang", "en")
    which = "> report\n“report” can mean two things here. Which do you mean?\n1. Report an incident 2. See the figures"
    assert out.count(which) == 2
    assert "> 2\nFigures for 示例县清溪镇中心小学 (school), 2026-12:" in out
    assert "> incident\nWhich child is it about? Send the name." in out  # no "Dropped …": nothing was begun
    assert "> report 杨秀云\nIncident about 杨秀云: what happened?" in out


def test_the_demo_speaks_the_language_of_the_person_it_acts_as(monkeypatch, tmp_path, sample_roster):
    script = "/lang\n2\n:wait 1m\n:as #43\n:as 王老师\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00")
    assert "> 2\nLanguage changed." in out
    assert "> :wait 1m\nDemo time is now Dec 2, 2026" in out  # 王老师 now reads English
    assert "> :as #43\n您现在是张强（委托监护人）。" in out  # the grandfather reads Chinese
    assert "> :as 王老师\nYou are now 王老师 (class teacher). Type /help to see what you can do." in out


def test_messages_shown_by_as_read_in_one_language_with_their_header(monkeypatch, tmp_path, sample_roster):
    """Issue 9 re-trial: 王老师 reads English; the grandfather's check-in, shown when the demo became him, was
    headed "[→ 张强 (entrusted guardian)]" above Chinese text, under a Chinese replay header."""
    script = "/lang\n2\n:wait 2m\n:as #43\n:who\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:58")
    assert ("> :as #43\n您现在是张强（委托监护人）。发送 /help 查看可以做什么。\n\n"
            "您扮演其他人时张强收到的消息（1 条，按时间先后）：\n\n"
            "[→ 张强（委托监护人）]\n杨秀云这周过得怎么样？") in out
    assert "entrusted guardian" not in out
    english = run_demo(monkeypatch, tmp_path, sample_roster, ":who\n/quit\n", "2026-12-04 17:58", "--lang", "en")
    assert "> :who\nTry :as with one of: 王老师, " in english  # an English list, not 、


def test_the_demo_has_its_own_help(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":help\n:oops\n/quit\n", "2026-12-02 10:00")
    assert "> :help\n演示命令（不会发给机器人）：\n:as 姓名 或 :as #编号" in out and ":wait 30m、:wait 2h" in out
    assert "> :oops\n没有 :oops 这个演示命令。\n\n演示命令（不会发给机器人）：" in out
    assert "抱歉，我没有看懂" not in out


def test_only_the_demo_persons_messages_are_printed_in_full(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":all\n:wait 2m\n:mine\n/quit\n", "2026-12-04 17:58")
    start = out[:out.index("> :all")]
    assert start.count("[→ ") == 1 and "[→ 王老师（班主任）]\n今天待完成的谈心（7）：" in start  # her digest only
    assert re.search(r"（另有 \d+ 条消息发给其他人，如.+：用 :as 姓名 查看，:all 显示全部消息。）", start)
    shown = out[out.index("> :all"):out.index("> :mine")]
    assert "> :all\n从现在起完整显示所有消息（:mine：只显示您的）。" in shown
    assert shown.count("[→ ") > 100 and "[→ 张强（委托监护人）]\n杨秀云这周过得怎么样？" in shown  # every check-in
    assert "另有" not in shown
    assert "> :mine\n从现在起只完整显示发给您的消息" in out


def test_namesakes_in_as_are_asked_until_one_is_chosen(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 张强\n谈心 杨秀云\n2\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:58")
    listed = ("有几个人叫张强，您要换成哪一个？请回复编号（或用 :as #编号）。"
              "您现在仍是王老师：选好之前，输入的内容不会发出。\n1. #38 张强（爱心家长）")
    friday = out[out.index("> :wait 2m"):out.index("> :as 张强")]
    assert friday.count("[→ ") == 0 and re.search(r"（另有 1[0-4]\d 条消息发给其他人", friday)  # ~120 check-ins
    assert f"> :as 张强\n{listed}" in out and f"> 谈心 杨秀云\n{listed}" in out
    assert "2. #43 张强（委托监护人）138****6956 杨秀云\n3. 仍是王老师" in out
    assert "与杨秀云谈心" not in out  # never sent as 王老师
    assert ("> 2\n您现在是张强（委托监护人）。发送 /help 查看可以做什么。\n\n"
            "您扮演其他人时张强收到的消息（1 条，按时间先后）：\n\n"
            "[→ 张强（委托监护人）]\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助") in out
    assert "> 1\n谢谢！已记录：杨秀云这周很好。" in out


def test_staying_the_same_person_at_namesakes(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 张强\n3\n/due\n/quit\n", "2026-12-02 10:00")
    assert "> 3\n您仍是王老师。" in out and "> /due\n" in out
