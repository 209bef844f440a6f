"""Leftovers of issue 6 (fix6m), tried as the people type, with other questions waiting in the same chat."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
LI_XUE = ":as 李雪\n:wait 2m\n"  # 18:00: 刘婷婷's check-in shown, 刘帅's waiting behind it


def test_a_grandmother_of_two_writing_hai_zi_bing_le_is_asked_which_child_then_it_is_needs_help(
        monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "孩子病了\n刘帅\n2\n/quit\n", FRIDAY, "--all")
    asked = after(out, "孩子病了")
    assert asked.startswith("“孩子病了”说的是哪个孩子？请回复序号或孩子的名字。\n1. 刘婷婷 2. 刘帅\n")
    assert "转给" not in asked  # not passed on as a plain message before she says which child
    named = after(out, "刘帅")
    assert named.startswith("谢谢！已记录：刘帅这周需要帮助。")
    assert "刘帅需要哪方面的帮助？" in named
    helper = told_to(named, "唐老师（帮扶教师）")
    assert any(m.startswith("李雪（刘帅的监护人）补充：孩子病了") for m in helper)
    [teacher] = told_to(named, "张老师（班主任）")
    assert "“孩子病了”\n写于每周联系回答“需要帮助”之后。" in teacher and "刘婷婷" not in teacher
    # 刘婷婷's check-in was not answered by her words: it is asked again once 刘帅's follow-up is done.
    assert "刘婷婷这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in after(out, "2")


def test_not_so_good_always_crying_in_english_picks_the_child_by_number_and_keeps_every_word(
        monkeypatch, tmp_path, sample_roster):
    script = LI_XUE + "不太好，老是哭\n好的\n晚上也不睡\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--lang", "en", "--all")
    assert after(out, "不太好，老是哭").startswith(
        "Which child is “不太好，老是哭” about? Reply with the number or the child's name.\n1. 刘婷婷 2. 刘帅\n")
    assert "Which child is" in after(out, "好的")  # an acknowledgement is no answer: asked again
    assert after(out, "晚上也不睡").startswith("Added to your message.")
    picked = after(out, "1")
    assert picked.startswith("Thank you! Recorded: 刘婷婷 this week: Needs help.")
    [teacher] = told_to(picked, "张老师 (class teacher)")
    assert "“不太好，老是哭\n晚上也不睡”" in teacher
    assert "What kind of help does 刘婷婷 need?" in picked


def test_cancel_at_which_child_still_passes_her_words_on(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "孩子病了\n取消\n/quit\n", FRIDAY, "--all")
    cancelled = after(out, "取消")
    assert cancelled.startswith("谢谢。您关于刘婷婷、刘帅的留言已转给张老师（班主任）")
    assert "“孩子病了”" in told_to(cancelled, "张老师（班主任）")[0]
    assert "刘婷婷这周过得怎么样？" in cancelled  # the check-in still waits


TALK_HALF_DONE = ":as 王老师\n/talk 杨秀芸\n1\n2\n/talk 秀云\n"  # mood and studies answered, then another command


@pytest.mark.parametrize(("word", "lang", "told"), [
    ("取消", "zh_Hans", "已取消与杨秀云的谈心记录，没有保存任何内容，也没有开始别的操作。"),
    ("算了", "zh_Hans", "已取消与杨秀云的谈心记录，没有保存任何内容，也没有开始别的操作。"),
    ("/cancel", "zh_Hans", "已取消与杨秀云的谈心记录，没有保存任何内容，也没有开始别的操作。"),
    ("cancel", "en", "Cancelled your talk with 杨秀云; nothing of it was saved, and nothing else was started."),
])
def test_cancel_at_do_you_want_to_abandon_it_abandons_the_talk(monkeypatch, tmp_path, sample_roster, word, lang, told):
    script = TALK_HALF_DONE + f"{word}\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--lang", lang)
    asked = after(out, "/talk 秀云")
    assert "要放弃吗？" in asked or "Drop it?" in asked
    assert after(out, word).startswith(told)
    assert "1. " not in after(out, word)  # neither the talk's question nor a new talk is shown
    assert "继续记录" not in out and "Back to your talk" not in out
    stray = after(out, "1", word)
    assert stray.startswith(("现在没有需要回复数字的问题", "No question"))  # nothing half-saved is waiting


def test_continue_in_english_at_drop_it_resumes_the_talk(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, TALK_HALF_DONE + "continue\n/quit\n", FRIDAY, "--lang", "en")
    resumed = after(out, "continue")
    assert resumed.startswith("Back to your talk with 杨秀云:\n\nHow is 杨秀云 doing with study?\n"
                              "1. Good 2. Fair 3. Poor")
    assert "Cancelled" not in resumed


WEEKDAY = "2026-12-02 10:00"
FELL = ":as 张老师\n报告 刘帅\n1\n1\n摔了\n1\n:as 李雪\n3\n:as 张老师\n/due\n/quit\n"  # 李雪 acknowledges (3), 刘亮 not


def test_due_says_acknowledged_for_one_state_in_english(monkeypatch, tmp_path, sample_roster):
    due = after(run_demo(monkeypatch, tmp_path, sample_roster, FELL, WEEKDAY, "--lang", "en"), "/due")
    assert ("reported at Dec 2, 2026 10:00 — someone has acknowledged\n  Not acknowledged yet: 刘亮 (father)\n"
            "  Acknowledged: 李雪 (entrusted guardian)\n") in due
    assert "onfirm" not in due


def test_due_says_queren_for_one_state_in_chinese(monkeypatch, tmp_path, sample_roster):
    due = after(run_demo(monkeypatch, tmp_path, sample_roster, FELL, WEEKDAY), "/due")
    assert "报告于2026年12月2日 10:00——已有人确认\n  尚未确认：刘亮（父亲）\n  已确认：李雪（委托监护人）\n" in due
    assert "收到" not in due.split("待完成的谈心")[0]


@pytest.mark.parametrize(("typed", "lang", "line"), [
    ("统计 上个月", "zh_Hans", "为保护儿童隐私，不到5（1至4）的数字显示为<5，"
                             "会透露这类数字的比率显示为区间、(<5)或*。"),
    ("report last month", "en", "To protect the children's privacy, counts under 5 (1 to 4) are shown as <5, and "
                                "rates that would reveal them as a range, (<5) or *."),
])
def test_the_officials_monthly_report_ends_with_one_plain_privacy_line(monkeypatch, tmp_path, sample_roster, typed,
                                                                       lang, line):
    script = f":as 镇教育办张科长\n{typed}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--lang", lang)
    figures = after(out, typed).split("\n\n")[1]  # the full figures, after the summary of what needs action
    assert figures.endswith("\n" + line)
    assert "≤Y%" not in out and "(0 is shown as 0)" not in out and "0照常显示为0" not in out


VOLUNTEER = ":as #38\n她奶奶住院了没人管她做作业\n"  # 张强 (爱心家长), paired with 21 children


def test_a_volunteer_with_21_children_is_asked_to_type_the_name_and_the_name_answers(
        monkeypatch, tmp_path, sample_roster):
    script = VOLUNTEER + "好的\n婷华\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--all")
    asked = after(out, "她奶奶住院了没人管她做作业")
    assert asked.startswith("您的留言是关于哪个孩子的？请直接写孩子的名字。")
    assert "1. " not in asked and "丁倩" not in asked  # no line of 21 numbered names on a small screen
    assert after(out, "好的").startswith("您的留言是关于哪个孩子的？请直接写孩子的名字。")
    passed = after(out, "婷华")
    assert passed.startswith("谢谢。您关于张婷华的留言已转给丁老师（班主任）")
    [teacher] = told_to(passed, "丁老师（班主任）")
    assert "“她奶奶住院了没人管她做作业”" in teacher


def test_a_volunteer_types_the_full_name_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, VOLUNTEER + "张婷华\n/quit\n", WEEKDAY, "--lang", "en")
    assert after(out, "她奶奶住院了没人管她做作业").startswith(
        "Which child is your message about? Please type the child's name.")
    assert after(out, "张婷华").startswith("Thank you. Your message about 张婷华 was passed to 丁老师 (class teacher)")


FOLLOW_UP = ":as #38\n/talk 张婷华\n1\n1\n1\n2\n奶奶住院\n1\n1\n2\n"  # a talk with a follow-up task about 张婷华


@pytest.mark.parametrize(("lang", "question"), [
    ("zh_Hans", "您的留言是关于哪个孩子的？请回复序号，或直接写孩子的名字。\n1. 张婷华（二年级（3）班）\n"),
    ("en", "Which child is your message about? Reply with the number, or type the child's name.\n"
           "1. 张婷华 (二年级（3）班)\n"),
])
def test_a_volunteer_is_offered_only_the_child_with_something_open_for_him(monkeypatch, tmp_path, sample_roster,
                                                                         lang, question):
    script = FOLLOW_UP + "她最近不开心\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--lang", lang, "--all")
    assert after(out, "她最近不开心").startswith(question)
    assert "丁老师" in after(out, "1", "她最近不开心").split("\n", 1)[0]
