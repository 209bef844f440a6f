"""What a grandmother types about her grandson's emergency, or about someone else's child (fix6ai, issue 6).

Found in the last trial: ``he is fine`` (no name) from 李雪 during 刘帅's open emergency went to the father far away
as "李雪 says 刘帅 is all right", while ``他很好`` went to the reporting teacher only; after ``Liu Shuai is fine``
the held check-in asked her to "tell me 刘帅 is safe"; on a weekday ``杨秀云需要帮助`` was answered "your message
about 刘婷婷、刘帅 was passed on"; ``小军``, ``军军`` and ``Yang Xiuyun`` were not read as someone else.
"""

from __future__ import annotations

import pytest

from bot.domain import child_mentions, name_like
from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
WEEKDAY = "2026-12-02 10:00"
HURT_SHUAI = ":as 张老师\n报告 刘帅\n1\n1\n在操场摔倒了头破了\n1\n:wait 2m\n:as 李雪\n1\n"
OWN = {f for n in ("刘婷婷", "刘帅") for f in (*child_mentions.forms(n), *child_mentions.latin_forms(n))}


@pytest.mark.parametrize(("words", "lang"), [("he is fine", "en"), ("he's fine", "en"), ("she is fine", "en"),
                                             ("他很好", "zh_Hans")])
def test_fine_without_a_name_is_no_all_clear_in_either_language(monkeypatch, tmp_path, sample_roster, words, lang):
    # A weekday: no check-in shown in her chat, so the words are about the open emergency alone.
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{HURT_SHUAI}{words}\n", WEEKDAY, "--all", "--lang", lang)
    said_now = after(out, words)
    assert "is all right" not in said_now and "没事了" not in said_now
    assert not told_to(said_now, "刘亮 (parent working away)") and not told_to(said_now, "刘亮（外出务工父母）")
    reporter = told_to(said_now, "张老师 (class teacher)") or told_to(said_now, "张老师（班主任）")
    assert any(f"“{words}”" in m for m in reporter)  # the words still reach the reporting teacher


def test_fine_now_is_still_the_news_and_reaches_the_father(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{HURT_SHUAI}he is fine now\n", WEEKDAY, "--all",
                   "--lang", "en")
    assert any("“he is fine now”" in m for m in told_to(after(out, "he is fine now"), "刘亮 (parent working away)"))


@pytest.mark.parametrize(("words", "lang", "riddle"), [
    ("Liu Shuai is fine", "en", "If you tell me 刘帅 is safe"), ("刘帅很好", "zh_Hans", "如果您告诉我刘帅已经平安")])
def test_the_held_checkin_does_not_ask_her_to_say_again_he_is_fine(monkeypatch, tmp_path, sample_roster, words, lang,
                                                                   riddle):
    # She told the reporter he is fine, then answered 刘婷婷's check-in (1) and skipped its note (1).
    script = f"{HURT_SHUAI}{words}\n1\n1\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", lang)
    held = after(out, "1", words, nth=2)
    assert "刘帅" in held and riddle not in held
    assert not told_to(after(out, words), "刘亮 (parent working away)")  # no all clear for the father
    assert not told_to(after(out, words), "刘亮（外出务工父母）")


def test_without_her_words_the_held_checkin_still_says_how_to_lift_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{HURT_SHUAI}1\n1\n", FRIDAY, "--all", "--lang", "en")
    assert "If you tell me 刘帅 is safe" in after(out, "1", ":as 李雪", nth=3)


@pytest.mark.parametrize("words", ["杨秀云需要帮助", "王小军需要帮助", "小军需要帮助", "军军需要帮助",
                                   "Yang Xiuyun needs help"])
def test_words_about_someone_else_get_one_reply_whoever_is_named(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n{words}\n", WEEKDAY, "--all")
    said_now = after(out, words)
    assert said_now.startswith("谢谢。您的留言已转给张老师（班主任），老师看到后会在这里回复您。")
    assert "刘婷婷、刘帅的留言" not in said_now.split("[→")[0]
    assert any(f"“{words}”" in m for m in told_to(said_now, "张老师（班主任）"))


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n杨秀云需要帮助\n", WEEKDAY, "--all", "--lang", "en")
    assert after(out, "杨秀云需要帮助").startswith(
        "Thank you. Your message was passed to 张老师 (class teacher), who will read it and answer you here.")


def test_her_own_childs_words_still_name_the_child(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n婷婷发烧了\n小帅需要帮助\n", WEEKDAY, "--all")
    assert after(out, "婷婷发烧了").startswith("谢谢。您关于刘婷婷的留言已转给张老师")
    assert after(out, "小帅需要帮助").startswith("谢谢。您关于刘帅的留言已转给张老师")


@pytest.mark.parametrize(("clause", "other"), [
    ("小军发烧了", True), ("军军需要帮助", True), ("Yang Xiuyun needs help", True), ("yang xiuyun is sick", True),
    ("婷婷很好", False), ("帅帅发烧了", False), ("小帅需要帮助", False), ("Liu Shuai is fine", False),
    ("tingting is sick", False), ("小孩发烧了", False), ("天天哭", False), ("妈妈打电话了", False),
    ("He can come", False), ("she is fine", False)])
def test_nicknames_and_pinyin_names_are_someone_else_hers_stay_hers(clause, other):
    assert name_like.other_subject(clause, OWN) is other
