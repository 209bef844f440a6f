"""Issue 6 trial by new users (fixh): night notes, everyday check-in sentences, English commands, 取消 at "drop it?".

Each test types as the person does on the console demo (``:as #43`` is 张强, grandfather of 杨秀云, whose class
teacher is 王老师; ``:wait 2m`` from 17:58 is Friday's 18:00 check-in).
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"
NIGHT = "现在是夜间：王老师将在2026年12月5日 07:00起看到您的留言。如果情况紧急，请马上拨打120（救护车）或110（报警）"
WORRY = "孩子晚上发烧了怎么办"


@pytest.mark.parametrize("answer", ["2", "1"])
def test_a_worry_written_at_night_as_the_check_in_note_gets_the_night_notice(monkeypatch, tmp_path, sample_roster,
                                                                           answer):
    script = f":as #43\n:wait 2m\n:wait 5h\n{answer}\n{WORRY}\n/quit\n"
    reply = after(run_demo(monkeypatch, tmp_path, sample_roster, script, AT), WORRY)
    assert reply.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
    assert NIGHT in reply
    assert "学校联系人刘主任：150 0013 4841" in reply  # the admin's mobile, never called the school's phone


def test_the_help_written_at_night_gets_the_night_notice_too(monkeypatch, tmp_path, sample_roster):
    script = f":as #43\n:wait 2m\n:wait 5h\n3\n{WORRY}\n/quit\n"
    reply = after(run_demo(monkeypatch, tmp_path, sample_roster, script, AT), WORRY)
    assert "会联系您的帮扶教师唐老师也已收到" in reply
    assert NIGHT in reply


def test_a_note_by_day_gets_no_night_notice(monkeypatch, tmp_path, sample_roster):
    script = f":as #43\n:wait 2m\n2\n{WORRY}\n/quit\n"
    reply = after(run_demo(monkeypatch, tmp_path, sample_roster, script, AT), WORRY)
    assert reply.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
    assert "现在是夜间" not in reply


def test_emergency_words_at_the_night_note_go_at_once(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n:wait 2m\n:wait 5h\n2\n孩子发高烧抽筋了\n/quit\n"
    reply = after(run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all"), "孩子发高烧抽筋了")
    assert reply.startswith("如果有人生病或受伤，请马上拨打120叫救护车。")
    assert any(m.startswith("【紧急】") for m in told_to(reply, "王老师（班主任）"))


@pytest.mark.parametrize("typed", ["都很好", "都挺好的", "好的很", "孩子都很好", "她挺好的"])
def test_an_everyday_good_for_one_child_is_recorded(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", AT, "--all")
    reply = after(out, typed)
    assert reply.startswith("谢谢！已记录：杨秀云这周很好。")
    assert f"“{typed}”" not in reply  # not passed on as a message


@pytest.mark.parametrize("typed", ["everything is fine", "she is fine", "he's fine", "all good", "She’s fine!"])
def test_an_everyday_good_in_english_is_recorded(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", AT, "--lang", "en")
    assert after(out, typed).startswith("Thank you! Recorded: 杨秀云 this week: All good.")


@pytest.mark.parametrize("typed", ["不太好", "她不太好"])
def test_not_so_good_is_so_so(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", AT)
    assert after(out, typed).startswith("谢谢！已记录：杨秀云这周一般。")


@pytest.mark.parametrize(("typed", "lang"), [("都不好", "zh_Hans"), ("not fine", "en"), ("she is not fine", "en")])
def test_a_negation_is_never_good(monkeypatch, tmp_path, sample_roster, typed, lang):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", AT, "--lang", lang)
    reply = after(out, typed)
    assert "很好" not in reply.split("\n", 1)[0] and "All good" not in reply.split("\n", 1)[0]
    assert "这周很好" not in out and "this week: All good" not in out


@pytest.mark.parametrize("typed", ["孩子没事吧？", "她好吗"])
def test_a_worried_question_is_no_answer(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", AT)
    assert after(out, typed).startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
    assert "已记录：杨秀云这周" not in out


@pytest.mark.parametrize("typed", ["收到", "好的", "ok"])  # asked back, naming the child (fix6q)
def test_an_acknowledgement_stays_no_answer(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{typed}\n/quit\n", AT)
    reply = after(out, typed)
    assert reply.startswith("是说杨秀云这周很好吗？\n1. 是，很好 2. 一般 3. 需要帮助") and "已记录" not in reply


def test_thanks_at_the_check_in_are_no_answer_and_reach_the_teacher(monkeypatch, tmp_path, sample_roster):
    # 谢谢 is words for the teacher (fix6n: never refused as "not one of the answers"); the week is not recorded.
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n:wait 2m\n谢谢\n/quit\n", AT)
    reply = after(out, "谢谢")
    assert reply.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）") and "已记录" not in reply


@pytest.mark.parametrize("typed", ["talk yangxiuyun", "talk yang xiuyun", "talk Yang Xiuyun", "talk 杨秀芸",
                                   "report 杨秀芸"])
def test_english_commands_without_the_slash_offer_the_closest_names(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 王老师\n{typed}\n/quit\n", AT, "--lang", "en")
    reply = after(out, typed)
    assert "Did you mean one of these?" in reply
    assert "1. 杨秀云 (一年级（1）班)" in reply
    assert "didn't understand" not in reply


@pytest.mark.parametrize("command", ["card", "talks"])
def test_english_card_words_without_the_slash_answer_as_the_slash_command(monkeypatch, tmp_path, sample_roster,
                                                                         command):
    script = f":as 王老师\n{command} 杨秀芸\n/{command} 杨秀芸\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert after(out, f"{command} 杨秀芸") == after(out, f"/{command} 杨秀芸")
    assert "didn't understand" not in after(out, f"{command} 杨秀芸")


def test_words_that_name_no_child_stay_no_command(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\ntalk to me\n/quit\n", AT, "--lang", "en")
    assert "Did you mean" not in after(out, "talk to me")


@pytest.mark.parametrize("word", ["继续", "返回"])
def test_continue_at_drop_it_goes_back_to_the_unfinished_talk(monkeypatch, tmp_path, sample_roster, word):
    """继续 resumes the talk (取消 here used to resume it too; fix6m made it abandon: test_demo_fix6m.py)."""
    script = f":as 王老师\n/talk 杨秀芸\n1\n2\n/talk 秀云\n{word}\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    reply = after(out, word)
    assert reply.startswith("继续记录与杨秀云的谈心：")
    assert "杨秀云的学习情况怎么样？" in reply  # where it was left: the first answer kept
    assert "没有保存任何内容" not in reply
    assert after(out, "1", word).startswith("杨秀云的")  # the talk goes on with the next question


def test_drop_still_drops_when_chosen(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n/talk 杨秀芸\n1\n2\n/talk 秀云\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    reply = after(out, "1", "/talk 秀云")
    # Told what was dropped first (fix6an), then the new /talk runs.
    assert reply.startswith("已放弃与杨秀云的谈心记录，没有保存任何内容。\n\n在您负责的班级里没有找到名叫秀云的孩子")
    assert "继续记录" not in reply


MISSING = "report 杨秀云\n3\nchild did not come home\n1\nclose\n4\n1\n"


@pytest.mark.parametrize("typed", ["确认结束", "Confirm close"])
def test_either_language_s_confirm_phrase_closes_in_english_mode(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 王老师\n{MISSING}{typed}\n/quit\n", "2026-12-02 10:00",
                   "--lang", "en")
    assert after(out, typed).startswith("The incident is closed.")


def test_a_bare_confirm_word_still_does_not_close(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 王老师\n{MISSING}确认\n/quit\n", "2026-12-02 10:00",
                   "--lang", "en")
    assert "The incident is closed." not in after(out, "确认")


def test_thanks_for_an_answer_followed_by_the_check_in_is_thanks(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧了\n:as 王老师\n1\n明天我去看看\n:wait 2m\n:as #43\n谢谢\n谢谢\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    reply = after(out, "谢谢", ":wait 2m")
    assert reply.startswith("谢谢。已记下您看过了王老师的回复。\n\n还在等您回答：\n\n"
                            "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    # Said again: no longer about the answer; thanks at the check-in are passed on, never refused (fix6n).
    assert out.split("> 谢谢\n")[-1].startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
