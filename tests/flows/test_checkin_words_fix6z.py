"""Check-in answers in people's own words, and family words for staff commands (issue 6 trial, fix6z).

张强 writes ``很好 谢谢老师👍`` or ``一般吧 就是不爱写作业``; 李雪 writes ``婷婷好 帅帅一般般``, ``both ok``,
``shuai has fever since tue``, ``档案 刘帅``, ``结束事件``; 王校长 writes ``数据``. Each was passed to a teacher as a
message (or asked "which child?") with the question asked again.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
WEEKDAY = "2026-12-02 10:00"
ZQ = ":as #43\n:wait 2m\n"
LX = ":as 李雪\n:wait 2m\n"


@pytest.mark.parametrize(("line", "lang", "recorded"), [
    ("很好 谢谢老师👍", "zh_Hans", "谢谢！已记录：杨秀云这周很好。"),
    ("很好，谢谢", "zh_Hans", "谢谢！已记录：杨秀云这周很好。"),
    ("good thanks 👍", "en", "Thank you! Recorded: 杨秀云 this week: All good."),
])
def test_answer_then_thanks_records_the_answer(monkeypatch, tmp_path, sample_roster, line, lang, recorded):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ZQ + line + "\n", FRIDAY, "--all", "--lang", lang)
    said = after(out, line)
    assert recorded in said
    assert not told_to(said, "王老师（班主任）") and not told_to(said, "王老师 (class teacher)")
    assert "跳过" in said or "Skip" in said  # the usual note question follows


def test_answer_then_words_records_it_and_keeps_the_words_as_the_note(monkeypatch, tmp_path, sample_roster):
    line = "一般吧 就是不爱写作业"
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, ZQ + line + "\n", FRIDAY, "--all"), line)
    assert "谢谢！已记录：杨秀云这周一般。" in said and "杨秀云这周过得怎么样" not in said
    [teacher] = told_to(said, "王老师（班主任）")
    assert "“就是不爱写作业”" in teacher and "写于每周联系回答“一般”之后" in teacher
    assert not told_to(said, "唐老师（帮扶教师）")


def test_answer_then_words_in_english(monkeypatch, tmp_path, sample_roster):
    line = "not bad, she does not like homework"
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, ZQ + line + "\n", FRIDAY, "--all", "--lang", "en"),
                 line)
    assert "Recorded: 杨秀云 this week: So-so." in said
    [teacher] = told_to(said, "王老师 (class teacher)")
    assert "“she does not like homework”" in teacher


def test_answer_then_worry_words_is_needs_help(monkeypatch, tmp_path, sample_roster):
    line = "一般吧 孩子发烧了"
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, ZQ + line + "\n", FRIDAY, "--all"), line)
    assert "已记录：杨秀云这周需要帮助。" in said and told_to(said, "唐老师（帮扶教师）")


@pytest.mark.parametrize("line", ["好的", "ok"])
def test_bare_acknowledgement_is_still_asked_back(monkeypatch, tmp_path, sample_roster, line):
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, ZQ + line + "\n", FRIDAY), line)
    assert "是说杨秀云这周很好吗？" in said and "已记录" not in said


def test_two_children_with_a_space_between(monkeypatch, tmp_path, sample_roster):
    line = "婷婷好 帅帅一般般"
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, LX + line + "\n", FRIDAY, "--all"), line)
    assert "已记录：刘帅这周一般。" in said and "已记录：刘婷婷这周很好。" in said
    assert not told_to(said, "张老师（班主任）")


@pytest.mark.parametrize("line", ["both ok", "both fine", "both good", "both okay"])
def test_both_ok_records_both(monkeypatch, tmp_path, sample_roster, line):
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, LX + line + "\n", FRIDAY, "--lang", "en"), line)
    assert "Recorded for 刘婷婷, 刘帅: All good this week." in said


def test_lower_case_given_name_of_her_own_child(monkeypatch, tmp_path, sample_roster):
    line = "shuai has fever since tue"
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, LX + line + "\n", FRIDAY, "--all", "--lang", "en"),
                 line)
    assert "Which child" not in said and "Your message about 刘帅 was passed to 张老师" in said
    [teacher] = told_to(said, "张老师 (class teacher)")
    assert "of 刘帅," in teacher and "刘婷婷" not in teacher


@pytest.mark.parametrize(("line", "lang"), [("档案 刘帅", "zh_Hans"), ("card 刘帅", "en")])
def test_guardian_sees_her_own_childs_card_without_slash(monkeypatch, tmp_path, sample_roster, line, lang):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n{line}\n", WEEKDAY, "--all", "--lang", lang)
    said = after(out, line)
    assert "刘帅的档案（一年级（3）班）" in said or "Card of 刘帅 (一年级（3）班)" in said
    assert "[→" not in said


def test_guardian_card_of_another_child_is_refused_not_passed_on(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n档案 杨秀云\n档案上的电话号码错了\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--all")
    said = after(out, "档案 杨秀云")
    assert "没有找到您可以查看档案的、名叫杨秀云的孩子。" in said and "[→" not in said
    assert told_to(after(out, "档案上的电话号码错了"), "张老师（班主任）")  # a sentence is still a message


@pytest.mark.parametrize(("line", "lang", "answer"), [
    ("结束事件", "zh_Hans", "突发事件由老师来结束。有什么想告诉老师的，直接在这里写就行。"),
    ("close", "en", "Only the teachers close an incident. To tell them anything, just write it here."),
])
def test_guardian_close_word_is_answered_not_passed_on(monkeypatch, tmp_path, sample_roster, line, lang, answer):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n{line}\n", WEEKDAY, "--all", "--lang", lang)
    said = after(out, line)
    assert answer in said and "[→" not in said


HELD = ":as #43\n:wait 2m\n:as 王老师\n报告 杨秀云\n1\n1\n头破了\n1\n:as #43\n收到\n"


def test_thumbs_up_while_the_check_in_is_held_is_no_skip(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, HELD + "👍\n好的\n", FRIDAY)
    assert "跳过" not in after(out, "👍")
    assert after(out, "👍").strip() == after(out, "好的", "👍").strip()


@pytest.mark.parametrize("line", ["数据", "统计数据"])
def test_principal_data_word_shows_the_figures(monkeypatch, tmp_path, sample_roster, line):
    said = after(run_demo(monkeypatch, tmp_path, sample_roster, f":as 王校长\n{line}\n", WEEKDAY), line)
    assert "统计数据，" in said and "留守儿童：" in said
