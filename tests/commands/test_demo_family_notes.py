"""Nothing said is dropped, in the demo (issue 6 item 4): what a grandmother of two writes reaches the right teacher.

李雪 in the sample school is the entrusted guardian of 刘婷婷 and 刘帅 (both in
一年级（3）班, class teacher 张老师). At the Friday 18:00 check-in both
children's questions wait in her chat at once. A message naming neither goes
to 张老师 at once, naming both (conv6k); "which child?" is asked only when the
children have different class teachers: the ``split_roster`` moves 刘帅 to
一年级（1）班 (王老师).
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
TO_TEACHER = "[→ 张老师（班主任）]\n李雪（{child}的外祖母，一年级（3）班）留言：\n“{words}”"
TO_WANG = "[→ 王老师（班主任）]\n李雪（{child}的外祖母，一年级（1）班）留言：\n“{words}”"
WHICH = "您的留言是关于哪个孩子的？\n1. 刘帅（一年级（1）班） 2. 刘婷婷（一年级（3）班） 3. 都有关"


def test_a_note_after_a_good_checkin_reaches_the_class_teacher_at_once_and_she_answers_it(
        monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 李雪\n1\n孩子最近晚上咳嗽\n:as 张老师\n1\n知道了，明天我问问孩子\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    told = after(out, "孩子最近晚上咳嗽")
    # She is told who reads it: the class teacher now, the helper teacher in the daily digest.
    assert told.startswith("谢谢。您关于刘婷婷的留言已转给张老师（班主任），老师看到后会在这里回复您。\n"
                           "帮扶教师袁辉老师也会在每日汇总里看到。")
    # 刘帅's question, waiting in the same chat, is asked again with its numbers.
    assert "还在等您回答：\n\n刘帅这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in told
    assert (TO_TEACHER.format(child="刘婷婷", words="孩子最近晚上咳嗽")
            + "\n写于每周联系回答“很好”之后。\n电话：150 0013 1019\n1. 回复") in out
    assert "> 1\n请写下给李雪的回复（关于刘婷婷）：" in out  # 张老师's 1: the Reply under the note
    assert "> 知道了，明天我问问孩子\n已发送给李雪。" in out
    assert "[→ 李雪（委托监护人）]\n张老师（刘婷婷的班主任）回复了您的留言：\n“知道了，明天我问问孩子”" in out


def test_a_note_at_shuais_checkin_about_tingting_is_filed_under_tingting(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 李雪\n1\n跳过\n2\n婷婷发烧了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    assert "> 2\n谢谢！已记录：刘帅这周一般。\n\n关于刘帅，还有什么想告诉老师的吗？" in out
    assert after(out, "婷婷发烧了").startswith("谢谢。您关于刘婷婷的留言已转给张老师（班主任）")
    assert TO_TEACHER.format(child="刘婷婷", words="婷婷发烧了") in out
    assert TO_TEACHER.format(child="刘帅", words="婷婷发烧了") not in out
    # Filed under 刘婷婷: the message does not claim to follow 刘帅's "so-so" answer.
    assert "写于每周联系回答“一般”之后" not in out


def test_needs_help_for_shuai_keeps_the_kind_and_the_note_about_tingting_goes_to_her(
        monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as 李雪\n1\n跳过\n3\n1\n婷婷也在咳嗽\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    assert "刘帅需要哪方面的帮助？" in out
    assert after(out, "婷婷也在咳嗽").startswith("谢谢。您关于刘婷婷的留言已转给张老师（班主任）")
    assert TO_TEACHER.format(child="刘婷婷", words="婷婷也在咳嗽") in out


def test_a_message_naming_a_child_needs_no_which_child_question(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n帅帅今天没去上学\n小帅说肚子疼\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00")
    assert after(out, "帅帅今天没去上学").startswith("谢谢。您关于刘帅的留言已转给张老师（班主任）")
    assert after(out, "小帅说肚子疼").startswith("谢谢。您关于刘帅的留言已转给张老师（班主任）")
    assert "您的留言是关于哪个孩子的？" not in out


def test_words_at_which_child_are_added_to_the_message_and_a_typed_name_answers_it(
        monkeypatch, tmp_path, split_roster):
    # Changed in conv6k: asked only when her children have different class teachers (the split roster).
    script = ":as 李雪\n明天我不能去接孩子\n我要去镇上看病\n婷婷\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, split_roster, script, "2026-12-02 10:00")
    assert after(out, "明天我不能去接孩子").startswith(WHICH)
    assert after(out, "我要去镇上看病").startswith("已补充到您的留言里。\n\n您的留言是关于哪个孩子的？")
    assert after(out, "婷婷").startswith("谢谢。您关于刘婷婷的留言已转给张老师（班主任）")
    assert TO_TEACHER.format(child="刘婷婷", words="明天我不能去接孩子\n我要去镇上看病") in out


def test_a_name_with_more_words_at_which_child_answers_it_and_keeps_all_the_words(
        monkeypatch, tmp_path, split_roster):
    script = ":as 李雪\n明天我不能去接孩子\n是刘帅，他放学后在学校等我\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, split_roster, script, "2026-12-02 10:00")
    assert after(out, "是刘帅，他放学后在学校等我").startswith("谢谢。您关于刘帅的留言已转给王老师（班主任）")
    assert TO_WANG.format(child="刘帅", words="明天我不能去接孩子\n是刘帅，他放学后在学校等我") in out


def test_an_alert_reply_naming_her_other_grandchild_acknowledges_and_reaches_that_childs_teacher(
        monkeypatch, tmp_path, sample_roster):
    script = (":wait 2m\n:as 张老师\n报告 刘帅\n1\n1\n课间摔倒，膝盖擦伤\n1\n"
              ":as 李雪\n婷婷也发烧了\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    told = after(out, "婷婷也发烧了")
    # The words reach the teacher once, under 刘婷婷 — not as a reply on 刘帅's incident as well (fix6q).
    assert told.startswith("谢谢：已记录您对刘帅事件通知的确认。\n您关于刘婷婷的话已转给张老师（班主任）。")
    # The check-ins waiting behind the alert come back, with their own numbers.
    assert "还在等您回答：\n\n刘婷婷这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in told
    assert "李雪（委托监护人）已于2026年12月4日 18:00确认收到关于刘帅" in out
    # 张老师 reads them once, as 李雪's message about 刘婷婷 with its own 1. 回复 (no reply on 刘帅's alert first).
    assert TO_TEACHER.format(child="刘婷婷", words="婷婷也发烧了") + "\n电话：150 0013 1019\n1. 回复" in out
    assert "回复了关于刘帅" not in out


def test_words_never_match_another_familys_child(monkeypatch, tmp_path, sample_roster):
    """杨秀云 is 张强's granddaughter, not 李雪's: her name in 李雪's words names no child of hers."""
    script = ":as 李雪\n秀云的奶奶托我问问\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00")
    # Changed in conv6k: her two share a class teacher, so the words go to 张老师 at once, naming both of hers.
    told = after(out, "秀云的奶奶托我问问")
    assert told.startswith("谢谢。您关于刘婷婷、刘帅的留言已转给张老师（班主任）")
    assert "杨秀云" not in told


def test_with_both_checkins_waiting_her_messages_go_to_the_child_named_and_the_checkin_comes_back(
        monkeypatch, tmp_path, split_roster):
    # Changed in conv6k: "which child?" needs children with different class teachers (the split roster).
    script = ":wait 2m\n:as 李雪\n帅帅今天没去上学\n明天也不去\n他说头疼\n刘帅\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, split_roster, script, FRIDAY)
    waiting = "还在等您回答：\n\n刘婷婷这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助"
    told = after(out, "帅帅今天没去上学")
    assert told.startswith("谢谢。您关于刘帅的留言已转给王老师（班主任）") and waiting in told
    assert after(out, "明天也不去").startswith(WHICH)
    assert after(out, "他说头疼").startswith("已补充到您的留言里。\n\n您的留言是关于哪个孩子的？")
    told = after(out, "刘帅")
    assert told.startswith("谢谢。您关于刘帅的留言已转给王老师（班主任）") and waiting in told
    assert TO_WANG.format(child="刘帅", words="明天也不去\n他说头疼") in out
    # Her 1 then answers the check-in shown last (刘婷婷's), not a child's name nor a message.
    assert "> 1\n谢谢！已记录：刘婷婷这周很好。" in out


def test_words_too_long_at_what_kind_of_help_choose_no_kind_and_the_question_is_asked_again(
        monkeypatch, tmp_path, sample_roster):
    long = "孩" * 600
    script = f":wait 2m\n:as #43\n3\n{long}\n2\n孩子作业跟不上\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    said = after(out, long)
    assert said.startswith("内容有点长，请控制在500字以内后重新发送。\n\n"
                           "杨秀云需要哪方面的帮助？\n1. 身体健康 2. 学习"), said
    # The kind picked afterwards is the one the helper teacher reads; never "其他" from the refused words.
    assert "需要的帮助：学习。补充：孩子作业跟不上" in out
    assert "需要的帮助：其他" not in out


@pytest.mark.parametrize("note", ["Liu Tingting has a fever", "Tingting has a fever"])
def test_an_english_note_naming_tingting_in_pinyin_is_filed_under_her(monkeypatch, tmp_path, sample_roster, note):
    # trial3: the pinyin name was not read, so the note was filed under 刘帅, the child of the question.
    script = f":wait 2m\n:as 李雪\n1\nskip\n2\n{note}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--lang", "en")
    told = after(out, note)
    assert "about 刘婷婷" in told and "about 刘帅" not in told, told
