"""A check-in answer corrected in words right after it is changed, never only passed on as a note (fix6ak).

A new-user trial (trialA HIGH-1, MED-2, MED-3, MED-4): 李雪 tapped ``1`` for 刘婷婷 and wrote
``刚才按错了应该是需要帮助``; 张强 wrote ``不对，是一般``; ``Tingting has a fever`` at "what should the answer
be?" made the question vanish; ``3`` right after ``1`` was "please reply 1 to 2". Each answer stood.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
LI_XUE = ":wait 2m\n:as 李雪\n"
ZHANG_QIANG = ":wait 2m\n:as #43\n"
HELPER_ALERT = "[→ 袁辉老师（帮扶教师）]\n刘婷婷的监护人李雪在每周联系中选择了“需要帮助”。"


def _demo(monkeypatch, tmp_path, sample_roster, script: str, *extra: str) -> str:
    return run_demo(monkeypatch, tmp_path, sample_roster, script + "/quit\n", FRIDAY, *extra)


def test_pressed_wrong_should_be_needs_help_changes_it_and_alerts_the_helper(monkeypatch, tmp_path,
                                                                             sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "1\n刚才按错了应该是需要帮助\n1\n")
    fixed = after(out, "刚才按错了应该是需要帮助")
    assert fixed.startswith("已改为：刘婷婷这周需要帮助。\n已通知帮扶老师，老师会尽快联系您。")
    assert "刘婷婷需要哪方面的帮助？\n1. 身体健康" in fixed  # as after a 需要帮助 answer
    assert HELPER_ALERT in fixed
    assert "“刚才按错了应该是需要帮助”" not in out  # no note "written after 很好" for the class teacher
    assert after(out, "1", nth=2).startswith("关于刘婷婷，还有什么想告诉老师的吗？")  # the kind picked, as after 3


def test_not_right_it_is_so_so_changes_his_answer(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ZHANG_QIANG + "1\n不对，是一般\n")
    fixed = after(out, "不对，是一般")
    assert fixed.startswith("已改为：杨秀云这周一般。\n\n关于杨秀云，还有什么想告诉老师的吗？")
    assert "“不对，是一般”" not in out


def test_after_the_note_is_sent_a_correction_still_changes_the_answer(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ZHANG_QIANG + "1\n孩子挺好\n不对，是一般\n")
    assert after(out, "不对，是一般").startswith("已改为：杨秀云这周一般。")
    assert "“不对，是一般”" not in out


def test_in_english_wrong_i_meant_needs_help(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "1\nsorry, wrong button. I meant needs help\n",
                "--lang", "en")
    fixed = after(out, "sorry, wrong button. I meant needs help")
    assert fixed.startswith("Changed: 刘婷婷 this week: Needs help.\nThe helper teacher has been told")
    assert "What kind of help does 刘婷婷 need?" in fixed
    assert "answered \"needs help\" in the weekly check-in" in fixed


def test_correction_words_naming_no_answer_ask_which_and_keep_the_words(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ZHANG_QIANG + "1\n不对，孩子这周去外婆家了\n2\n")
    asked = after(out, "不对，孩子这周去外婆家了")
    assert asked.startswith("要改成哪一个？现在记录的是：杨秀云这周很好。\n1. 很好 2. 一般 3. 需要帮助 4. 不做更改")
    assert "[→ 王老师" not in asked  # passed on once he has picked, under the answer picked
    picked = after(out, "2")
    assert picked.startswith("已改为：杨秀云这周一般。")
    assert "“不对，孩子这周去外婆家了”\n写于每周联系回答“一般”之后。" in picked


def test_words_about_the_child_are_no_correction(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ZHANG_QIANG + "1\n孩子最近不对劲，作业也写错了很多\n")
    told = after(out, "孩子最近不对劲，作业也写错了很多")
    assert "已改为" not in told and "要改成哪一个" not in told
    assert "“孩子最近不对劲，作业也写错了很多”\n写于每周联系回答“很好”之后。" in told


def test_free_words_at_change_my_answer_are_read_as_the_answer(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "fine\n2\nTingting has a fever\n", "--lang", "en")
    fixed = after(out, "Tingting has a fever")
    assert fixed.startswith("Changed: 刘婷婷 this week: Needs help.")
    assert "What kind of help does 刘婷婷 need?" in fixed
    assert "“Tingting has a fever”\nWritten after the weekly check-in answer “needs help”." in fixed


def test_free_words_at_change_my_answer_are_the_note_and_it_is_asked_again(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "很好\n2\n她这周去姑姑家住了\n")
    told = after(out, "她这周去姑姑家住了")
    assert "您关于刘婷婷的留言已转给张老师（班主任）" in told
    assert "要改成哪一个？现在记录的是：刘婷婷这周很好。\n1. 很好 2. 一般 3. 需要帮助 4. 不做更改" in told


def test_a_check_in_number_at_the_note_question_is_offered_as_a_change(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ZHANG_QIANG + "1\n3\n1\n")
    assert after(out, "3").startswith("您是要把杨秀云这周改成“需要帮助”吗？\n1. 是 2. 不是")
    fixed = after(out, "1", nth=2)
    assert fixed.startswith("已改为：杨秀云这周需要帮助。")
    assert "[→ 唐老师（帮扶教师）]\n杨秀云的监护人张强在每周联系中选择了“需要帮助”" in fixed


def test_no_to_the_offered_change_keeps_the_answer(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ZHANG_QIANG + "1\n3\n不是\n", )
    kept = after(out, "不是")
    assert kept.startswith("好的，没有更改：杨秀云这周很好。\n\n关于杨秀云，还有什么想告诉老师的吗？")
    assert "需要帮助”" not in kept


def test_in_english_the_number_is_offered_too(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ZHANG_QIANG + "1\n2\n", "--lang", "en")
    # 2 is the note question's own "Change my answer": it is that, never offered as "So-so"
    assert after(out, "2").startswith("Change it to which one? Recorded now: 杨秀云 this week: All good.")
    out = _demo(monkeypatch, tmp_path, sample_roster, ZHANG_QIANG + "1\n3\n", "--lang", "en")
    assert after(out, "3").startswith("Do you mean to change 杨秀云 this week to “Needs help”?\n1. Yes 2. No")


def test_a_number_long_after_the_answer_is_not_offered(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ZHANG_QIANG + "1\n:wait 2m\n3\n")
    told = after(out, "3")
    assert "改成" not in told and told.startswith("请直接输入要写的文字")


def test_a_mild_complaint_says_what_was_recorded_and_how_to_change_it(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "孩子挺好的就是有点咳嗽\n不对，是很好\n")
    recorded = after(out, "孩子挺好的就是有点咳嗽")
    assert recorded.startswith("谢谢！已记录：刘婷婷这周一般。\n因为您说了孩子有点小毛病，所以记为“一般”。"
                               "如果不对，请回复“改一下”")
    fixed = after(out, "不对，是很好")  # 刘帅's question is on screen: the correction is 刘婷婷's
    assert fixed.startswith("已改为：刘婷婷这周很好。")


def test_in_english_a_mild_complaint_says_so_too(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, LI_XUE + "she is fine but has a bit of a cough\n"
                "wrong, all good\n", "--lang", "en")
    assert "Recorded: 刘婷婷 this week: So-so.\nI recorded “So-so” because you wrote of a small complaint." in out
    assert after(out, "wrong, all good").startswith("Changed: 刘婷婷 this week: All good.")
