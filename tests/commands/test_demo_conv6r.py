"""Issue 6 trial (conv6r): traditional nicknames, a guardian's 报告, thanks after a reply, copied option labels."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


def test_a_traditional_nickname_at_a_check_in_note_is_filed_under_that_child(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as 李雪\n1\n帥帥發燒了\n/quit\n", AT, "--all")
    reply = after(out, "帥帥發燒了")
    assert reply.startswith("谢谢。您关于刘帅的留言已转给张老师（班主任）")
    assert "李雪（刘帅的外祖母，一年级（3）班）留言：\n“帥帥發燒了”" in reply
    assert "刘婷婷的留言" not in reply


@pytest.mark.parametrize("typed", ["帥帥發燒了", "小帥咳嗽", "劉帥肚子疼"])
def test_a_traditional_nickname_outside_any_question_names_one_child(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n{typed}\n/quit\n", "2026-12-04 10:00", "--all")
    reply = after(out, typed)
    assert reply.startswith("谢谢。您关于刘帅的留言已转给张老师（班主任）")
    assert f"李雪（刘帅的外祖母，一年级（3）班）留言：\n“{typed}”" in reply


@pytest.mark.parametrize("typed", ["报告 杨秀云发烧了", "/incident 杨秀云发烧了"])
def test_a_guardian_s_words_after_the_report_command_reach_the_class_teacher(monkeypatch, tmp_path, sample_roster,
                                                                          typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{typed}\n/quit\n", "2026-12-04 10:00", "--all")
    reply = after(out, typed)
    assert reply.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任），老师看到后会在这里回复您。")
    assert "突发事件由学校教职工报告。" in reply  # and the emergency numbers, as before
    assert "[→ 王老师（班主任）]\n张强（杨秀云的外祖父，一年级（1）班）留言：\n“杨秀云发烧了”" in reply


@pytest.mark.parametrize("typed", ["好的", "收到", "谢谢"])
def test_an_acknowledgement_of_a_teacher_s_answer_is_thanks_and_the_check_in_is_asked_again(
        monkeypatch, tmp_path, sample_roster, typed):
    script = f":wait 2m\n:as #43\n我想问问老师作业的事\n:as 王老师\n1\n明天我去看看\n:as #43\n{typed}\n{typed}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    reply = after(out, typed, ":as #43")
    assert reply.startswith("谢谢。已记下您看过了王老师的回复。\n\n还在等您回答：\n\n"
                            "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert "不是这个问题的回答" not in reply
    # Said again to the check-in itself (the answer is no longer the last thing shown): 好的 / 收到 ask back,
    # naming the child (fix6q: never recorded as "good"); thanks are words for the teacher, passed on (fix6n).
    again = out.split(f"> {typed}\n")[-1]
    asked = "是说杨秀云这周很好吗？\n1. 是，很好 2. 一般 3. 需要帮助"
    expected = {"好的": asked, "收到": asked,
                "谢谢": "谢谢。您关于杨秀云的留言已转给王老师（班主任）"}
    assert again.startswith(expected.get(typed, f"“{typed}”不是这个问题的回答。"))


@pytest.mark.parametrize("typed", ["2.一般", "2、一般", "2 一般", "２．一般"])
def test_an_option_copied_with_its_number_picks_that_option(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{typed}\n/quit\n", AT, "--all")
    reply = after(out, typed)
    assert reply.startswith("谢谢！已记录：杨秀云这周一般。")
    assert f"“{typed}”" not in reply  # not passed on as a message


@pytest.mark.parametrize("typed", ["两个孩子都很好", "都很好", "俩孩子都挺好的"])
def test_a_grandmother_answers_both_children_s_check_ins_at_once(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as 李雪\n{typed}\n1\n/quit\n", AT, "--all")
    reply = after(out, typed)
    assert reply.startswith("谢谢！已记录：刘婷婷、刘帅这周都很好。")
    assert f"“{typed}”" not in reply and "还在等您回答" not in reply
    assert not after(out, "1").startswith("谢谢！已记录")  # nothing left to answer


def test_a_teacher_s_answer_to_a_message_about_both_children_names_both(monkeypatch, tmp_path, sample_roster):
    # Written before the check-in (17:58): at the check-in question worry words naming no child ask which child
    # first since fix6m (test_demo_fix6m.py); outside it they go to the teacher about both children.
    script = ":as 李雪\n孩子发烧了\n:as 张老师\n1\nI will call you\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    assert after(out, "1", ":as 张老师").startswith("Write your answer to 李雪 about 刘婷婷, 刘帅:")
    assert "张老师 (class teacher of 刘婷婷, 刘帅) answers your message:\n“I will call you”" in after(
        out, "I will call you")
