"""Trial findings of the conv6m round (issue 6, DESIGN.md "Conversations"): everyday words understood as meant."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


def _answer(monkeypatch, tmp_path, sample_roster, before: str, typed: str, lang: str) -> str:
    """What the demo printed right after ``typed`` (``--all``: every reader's messages), ``before`` typed first.

    ``lang`` is ``"zh"`` (the demo's default) or ``"en"``.
    """
    extra = ("--lang", "en") if lang == "en" else ()
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{before}{typed}\n/quit\n", AT, "--all", *extra)
    return after(out, typed)


@pytest.mark.parametrize(
    ("typed", "lang", "told"),
    [
        # The words as written, never a kind read out of them (fix6i: a guess shown as the guardian's choice).
        pytest.param("钱不够买药", "zh", "[→ 唐老师（帮扶教师）]\n张强（杨秀云的监护人）需要帮助，原话：“钱不够买药”",
                     id="cannot-afford-medicine-quoted"),
        pytest.param("錢不夠買藥", "en", "[→ 唐老师 (helper teacher)]\n张强 (guardian of 杨秀云) needs help and wrote, "
                     "in their own words: “錢不夠買藥”", id="en-traditional-cannot-afford-medicine-quoted"),
        pytest.param("不缺钱，孩子想妈妈了", "zh", "需要帮助，原话：“不缺钱，孩子想妈妈了”",
                     id="no-money-worry-quoted"),
    ],
)
def test_the_words_after_needs_help_name_the_kind_of_help(monkeypatch, tmp_path, sample_roster, typed, lang, told):
    assert told in _answer(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n3\n", typed, lang)


def test_received_under_a_family_message_is_taken_as_read(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了\n:as 王老师\n收到\n1\n明天家访\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    answer = out.split("> 收到\n", 1)[1].split("> 1\n", 1)[0]
    assert answer == "好的。以后想回复这条留言时，回复 1 即可。\n\n"  # no "please choose", nothing passed on
    assert "“收到”" not in out  # the word reached nobody
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n“明天家访”" in out  # still answerable


def test_ok_under_a_family_message_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了\n:as 王老师\nok\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    assert "> ok\nAll right. To answer this message later, reply 1.\n" in out
    assert "Please choose" not in out.split("> ok\n", 1)[1]


SO_SO, NEEDS_HELP = "谢谢！已记录：杨秀云这周一般。", "谢谢！已记录：杨秀云这周需要帮助。"
NOT_A_NUMBER = "请回复 1 到 3 之间的数字。\n\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助"
WHAT_HAPPENED = "关于杨秀云的突发事件：发生了什么？\n1. 受伤 2. 生病"
PASSED_ON = "留言已转给"  # the check-in answered is never also passed to the teacher as a message


@pytest.mark.parametrize(
    ("typed", "lang", "reply", "never"),
    [
        pytest.param("不太好", "zh", SO_SO, PASSED_ON, id="not-too-good-is-so-so"),
        pytest.param("不大好", "zh", SO_SO, PASSED_ON, id="not-very-good-is-so-so"),
        pytest.param("不怎么好", "zh", SO_SO, PASSED_ON, id="not-that-good-is-so-so"),
        pytest.param("不是很好", "zh", SO_SO, PASSED_ON, id="not-really-good-is-so-so"),
        pytest.param("一般", "zh", SO_SO, PASSED_ON, id="so-so-is-so-so"),
        pytest.param("还行", "zh", SO_SO, PASSED_ON, id="alright-is-so-so"),
        pytest.param("不好", "zh", NEEDS_HELP, PASSED_ON, id="not-good-needs-help"),
        pytest.param("需要帮忙", "zh", NEEDS_HELP, PASSED_ON, id="need-a-hand-needs-help"),
        pytest.param("挺好的", "zh", "谢谢！已记录：杨秀云这周很好。", PASSED_ON, id="quite-good-is-good"),
        pytest.param("２", "zh", SO_SO, PASSED_ON, id="full-width-2-is-so-so"),
        pytest.param("2.", "zh", SO_SO, PASSED_ON, id="2-dot-is-so-so"),
        pytest.param("２．", "zh", SO_SO, PASSED_ON, id="full-width-2-dot-is-so-so"),
        pytest.param("2。", "zh", SO_SO, PASSED_ON, id="2-ideographic-full-stop-is-so-so"),
        pytest.param("2、", "zh", SO_SO, PASSED_ON, id="2-enumeration-comma-is-so-so"),
        pytest.param("not so good", "en", "Thank you! Recorded: 杨秀云 this week: So-so.", 'answered "needs help"',
                     id="en-not-so-good-is-so-so-and-calls-nobody"),
        pytest.param("+2", "zh", NOT_A_NUMBER, "已记录", id="plus-2-is-no-choice-asked-again"),
        pytest.param("＋2", "zh", NOT_A_NUMBER, "已记录", id="full-width-plus-2-is-no-choice-asked-again"),
        pytest.param("+2", "en", "Please reply with a number from 1 to 3.\n\nHow is 杨秀云 this week?", "Recorded",
                     id="en-plus-2-is-no-choice-asked-again"),
    ],
)
def test_a_grandfathers_word_at_the_weekly_check_in(monkeypatch, tmp_path, sample_roster, typed, lang, reply, never):
    answer = _answer(monkeypatch, tmp_path, sample_roster, ":as #43\n:wait 2m\n", typed, lang)
    assert answer.startswith(reply)
    assert never not in answer and PASSED_ON not in answer


@pytest.mark.parametrize(
    ("typed", "lang", "reply"),
    [
        pytest.param("報告 楊秀雲", "zh", WHAT_HAPPENED, id="report-traditional"),
        pytest.param("報告楊秀雲", "zh", WHAT_HAPPENED, id="report-traditional-no-space"),
        pytest.param("报告 楊秀雲", "zh", WHAT_HAPPENED, id="report-simplified-name-traditional"),
        pytest.param("談心 楊秀雲", "en", "Talk with 杨秀云.", id="en-talk-traditional"),
    ],
)
def test_a_command_in_traditional_characters_needs_no_did_you_mean(monkeypatch, tmp_path, sample_roster, typed, lang,
                                                                   reply):
    answer = _answer(monkeypatch, tmp_path, sample_roster, "", typed, lang)
    assert answer.startswith(reply)
    assert "您是想发送" not in answer and "您是指下面哪一位" not in answer and "Did you mean" not in answer


def test_each_reminder_of_an_alert_says_which_it_is_and_how_long_ago(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n1\n摔伤了膝盖\n1\n:as #43\n:wait 10m\n:wait 10m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    first = out.split("> :wait 10m\n", 2)[1]
    second = out.split("> :wait 10m\n", 2)[2]
    about = "关于杨秀云（一年级（1）班）的突发事件（受伤，紧急）您尚未确认。"
    assert f"第1次提醒（首次通知已发出10分钟）：{about}" in first  # "sent" alone read as the reminder's own sending
    assert f"第2次提醒（首次通知已发出20分钟）：{about}" in second


def test_a_reminder_in_english(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n1\n摔伤了膝盖\n1\n:as #43\n:wait 10m\n:wait 10m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert "Reminder 2 — the first alert was sent 20 minutes ago: the incident about 杨秀云" in out


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
