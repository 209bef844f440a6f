"""Trial findings of the conv6m round (issue 6, DESIGN.md "Conversations"): everyday words understood as meant."""

from __future__ import annotations

import pytest

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"


def test_cannot_afford_medicine_at_what_kind_of_help_is_a_money_need(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n3\n钱不够买药\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "[→ 唐老师（帮扶教师）]\n张强（杨秀云的监护人）需要的帮助：经济困难。补充：钱不够买药" in out


def test_a_money_need_in_traditional_characters_and_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n3\n錢不夠買藥\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    assert "[→ 唐老师 (helper teacher)]\n张强 (guardian of 杨秀云) needs help with: Money. They add: 錢不夠買藥" in out


def test_no_money_worry_is_not_a_money_need(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n3\n不缺钱，孩子想妈妈了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "需要的帮助：其他。补充：不缺钱，孩子想妈妈了" in out


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("不太好", "一般"),
        ("不大好", "一般"),
        ("不怎么好", "一般"),
        ("不是很好", "一般"),
        ("一般", "一般"),
        ("还行", "一般"),
        ("不好", "需要帮助"),
        ("需要帮忙", "需要帮助"),
        ("挺好的", "很好"),
    ],
)
def test_a_grandparents_word_at_the_weekly_check_in(monkeypatch, tmp_path, sample_roster, typed, recorded):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", AT)
    assert out.split(f"> {typed}\n", 1)[1].startswith(f"谢谢！已记录：杨秀云这周{recorded}。")


def test_not_so_good_in_english_is_so_so_and_calls_nobody(monkeypatch, tmp_path, sample_roster):
    out = run_demo(
        monkeypatch, tmp_path, sample_roster, ":as #43\n:wait 2m\nnot so good\n/quit\n", AT, "--all", "--lang", "en"
    )
    after = out.split("> not so good\n", 1)[1]
    assert after.startswith("Thank you! Recorded: 杨秀云 this week: So-so.")
    assert 'answered "needs help"' not in after  # the helper teacher is not asked to phone


def test_received_under_a_family_message_is_taken_as_read(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了\n:as 王老师\n收到\n1\n明天家访\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    after = out.split("> 收到\n", 1)[1].split("> 1\n", 1)[0]
    assert after == "好的。以后想回复这条留言时，回复 1 即可。\n\n"  # no "please choose", nothing passed on
    assert "“收到”" not in out  # the word reached nobody
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n“明天家访”" in out  # still answerable


def test_ok_under_a_family_message_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了\n:as 王老师\nok\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    assert "> ok\nAll right. To answer this message later, reply 1.\n" in out
    assert "Please choose" not in out.split("> ok\n", 1)[1]


@pytest.mark.parametrize("typed", ["２", "2.", "２．", "2。", "2、"])
def test_a_full_width_or_listed_two_picks_choice_two(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", AT, "--all")
    after = out.split(f"> {typed}\n", 1)[1]
    assert after.startswith("谢谢！已记录：杨秀云这周一般。")
    assert "留言已转给" not in after  # never passed on to the teacher as a message


@pytest.mark.parametrize("typed", ["+2", "＋2"])
def test_plus_two_is_no_choice_and_the_question_is_asked_again(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", AT, "--all")
    after = out.split(f"> {typed}\n", 1)[1]
    assert after.startswith("请回复 1 到 3 之间的数字。\n\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert "已记录" not in after and "留言已转给" not in after


def test_plus_two_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n:wait 2m\n+2\n/quit\n", AT, "--lang", "en")
    assert "> +2\nPlease reply with a number from 1 to 3.\n\nHow is 杨秀云 this week?" in out


@pytest.mark.parametrize("typed", ["報告 楊秀雲", "報告楊秀雲", "报告 楊秀雲"])
def test_a_report_in_traditional_characters_needs_no_did_you_mean(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{typed}\n/quit\n", AT)
    after = out.split(f"> {typed}\n", 1)[1]
    assert after.startswith("关于杨秀云的突发事件：发生了什么？\n1. 受伤 2. 生病")
    assert "您是想发送" not in after and "您是指下面哪一位" not in after


def test_a_talk_in_traditional_characters_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "談心 楊秀雲\n/quit\n", AT, "--lang", "en")
    assert "> 談心 楊秀雲\nTalk with 杨秀云." in out


def test_each_reminder_of_an_alert_says_which_it_is_and_how_long_ago(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n1\n摔伤了膝盖\n1\n:as #43\n:wait 10m\n:wait 10m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    first = out.split("> :wait 10m\n", 2)[1]
    second = out.split("> :wait 10m\n", 2)[2]
    assert "第1次提醒，已过去10分钟：关于杨秀云（一年级（1）班）的突发事件（受伤，紧急）您尚未确认。" in first
    assert "第2次提醒，已过去20分钟：关于杨秀云（一年级（1）班）的突发事件（受伤，紧急）您尚未确认。" in second


def test_a_reminder_in_english(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n1\n摔伤了膝盖\n1\n:as #43\n:wait 10m\n:wait 10m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert "Reminder 2 — sent 20 minutes ago: the incident about 杨秀云" in out


def test_an_urgent_message_about_two_children_is_kept_for_each(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n婷婷和刘帅都发高烧了\n救命\n帅帅还在抽筋\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert out.count("【紧急】") == 1  # 救命 a minute later is no second URGENT message about 刘帅
    again = out.split("> 救命\n", 1)[1]
    assert "张老师（班主任）几分钟前已经收到您关于刘婷婷、刘帅的紧急消息，这条也一起转给老师了。" in again
    assert "您关于刘帅的留言已作为紧急消息" not in out
    assert "几分钟前已经收到您关于刘帅的紧急消息" in out.split("> 帅帅还在抽筋\n", 1)[1]  # 刘帅 alone, too


def test_an_urgent_message_about_two_children_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n婷婷和刘帅都发高烧了\n救命\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    assert out.count("URGENT (") == 1
