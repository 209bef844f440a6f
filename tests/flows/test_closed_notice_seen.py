"""``好的`` / ``谢谢老师`` / a number right after an incident's closing notice, the check-in waiting (issue 6 trial).

At 18:00 Friday the grandfather 张强 (``:as #43``) gets the week's check-in, then the missing-child alert about
杨秀云; he confirms it and the check-in is asked again. 王老师 closes the incident ("孩子已找到"): that notice is
the last thing on his screen. His ``好的`` sees the notice — it was saved as "这周很好" — and his ``谢谢老师``
reaches the teacher — it was refused as "not one of the answers". A number counts only once the check-in is
shown again after the notice — or carried by the notice itself, when the emergency held it until the close
(fix6o): then it is the question on screen and a number answers it.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-04 17:58"
TEACHER = "王老师（班主任）"
ZH = ":wait 2m\n报告 杨秀云\n3\n1\n放学后没回家\n1\n:as #43\n1\n:as 王老师\n结束事件\n1\n跳过\n确认结束\n:as #43\n"
MINOR_EN = (":wait 2m\nreport 杨秀云\n2\n2\n发烧了\n1\n:as #43\n1\n:as 王老师\nclose\n1\nskip\nconfirm close\n"
            ":as #43\n")
EN = ":wait 2m\nreport 杨秀云\n3\n1\n放学后没回家\n1\n:as #43\n1\n:as 王老师\nclose\n1\nskip\nconfirm close\n:as #43\n"


def test_ok_after_the_closing_notice_sees_it_and_the_check_in_is_asked_again(monkeypatch, tmp_path,
                                                                             sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ZH + "好的\n收到\n1\n", AT, "--all")
    seen = after(out, "好的", "确认结束")
    assert "已记下您看过了杨秀云的事件已结束的通知" in seen
    assert "这周很好" not in seen
    assert seen.rstrip().endswith("杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    # The check-in was shown again after the notice: now it is the question, 收到 is no answer to it, 1 is.
    assert "已记录" not in after(out, "收到", "确认结束")
    assert "已记录：杨秀云这周很好" in after(out, "1", "收到")


def test_ok_in_english_after_the_closing_notice_is_no_all_good(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, EN + "ok\n", AT, "--all", "--lang", "en")
    seen = after(out, "ok", "confirm close")
    assert "Noted that you have seen that the incident about 杨秀云 is closed." in seen
    assert "All good." not in seen and "Recorded" not in seen
    assert seen.rstrip().endswith("How is 杨秀云 this week?\n1. All good 2. So-so 3. Needs help")


def test_a_number_right_after_the_closing_notice_waits_for_the_check_in_to_be_shown(monkeypatch, tmp_path,
                                                                                   sample_roster):
    # A minor incident holds no check-in: it was asked again after the alert, so the plain notice is on screen.
    out = run_demo(monkeypatch, tmp_path, sample_roster, MINOR_EN + "2\n2\n", AT, "--all", "--lang", "en")
    notice = after(out, "confirm close")
    assert "Outcome: The child is safe at home." in notice and "How is 杨秀云 this week?" not in notice
    first = after(out, "2", "confirm close")
    assert "That number was not recorded" in first and "Recorded" not in first
    assert first.rstrip().endswith("How is 杨秀云 this week?\n1. All good 2. So-so 3. Needs help")
    assert "Recorded: 杨秀云 this week: So-so." in after(out, "2", "confirm close", nth=2)


def test_a_number_answers_the_check_in_the_closing_notice_brings_back(monkeypatch, tmp_path, sample_roster):
    # The emergency held the check-in (fix6o); the notice brings it back with its numbers: it is the question seen.
    out = run_demo(monkeypatch, tmp_path, sample_roster, EN + "2\n", AT, "--all", "--lang", "en")
    notice = after(out, "confirm close")
    assert "Outcome: The child has been found.\nStill waiting for your answer:\nHow is 杨秀云 this week?\n" \
           "1. All good 2. So-so 3. Needs help" in notice
    answered = after(out, "2", "confirm close")
    assert answered.startswith("Thank you! Recorded: 杨秀云 this week: So-so.")
    assert "That number was not recorded" not in answered


def test_thanks_after_the_closing_notice_reaches_the_class_teacher(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ZH + "谢谢老师\n", AT, "--all")
    thanked = after(out, "谢谢老师", "确认结束")
    assert "不是这个问题的回答" not in thanked
    assert "已记下您看过了杨秀云的事件已结束的通知" in thanked and "已转给王老师" in thanked
    assert any("“谢谢老师”" in m for m in told_to(thanked, TEACHER))
    assert "杨秀云这周过得怎么样？" in thanked


def test_thanks_in_english_after_the_closing_notice_reaches_the_class_teacher(monkeypatch, tmp_path,
                                                                             sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, EN + "thanks\n", AT, "--all", "--lang", "en")
    thanked = after(out, "thanks", "confirm close")
    assert "is not one of the answers" not in thanked
    assert "passed to 王老师" in thanked
    assert any("thanks" in m for m in told_to(thanked, "王老师 (class teacher)"))


def test_thanks_at_a_plain_check_in_is_passed_on_not_refused(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n谢谢老师\n", AT, "--all")
    thanked = after(out, "谢谢老师")
    assert "不是这个问题的回答" not in thanked
    assert "已转给王老师" in thanked and any("“谢谢老师”" in m for m in told_to(thanked, TEACHER))
    assert thanked.split("[→")[0].rstrip().endswith("杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")


def test_thanks_in_english_at_a_plain_check_in_is_passed_on(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\nthank you\n", AT, "--all",
                   "--lang", "en")
    thanked = after(out, "thank you")
    assert "is not one of the answers" not in thanked and "passed to 王老师" in thanked
    assert thanked.split("[→")[0].rstrip().endswith("How is 杨秀云 this week?\n1. All good 2. So-so 3. Needs help")
