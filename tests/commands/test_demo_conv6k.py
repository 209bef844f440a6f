"""Trial-user findings of the conv6k round (issue 6, DESIGN.md "Conversations").

1. A grandfather typing an emergency word (``救命``, ``120``) while an incident
   alert is on screen, his Friday check-in waiting under it: he gets the
   emergency advice, the class teacher gets 【紧急】, the alert is acknowledged
   (he was reached: no reminders, no "not reached" notice), and a panicked
   ``1`` that follows records no check-in answer.
2. A grandmother of two whose message names no child: both children have the
   same class teacher, so the note goes on at once naming both.
"""

from __future__ import annotations

import pytest

from tests.support.demo import URGENT_TOLD, after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
# 王老师 reports 杨秀云's fever at 18:00 as an emergency; the alert reaches grandfather 张强 (#43), whose Friday
# check-in is waiting in the same chat.
FEVER = ":wait 2m\n报告 杨秀云\n2\n1\n发烧\n1\n:as #43\n"
FEVER_EN = ":wait 2m\nreport 杨秀云\n2\n1\nfever\n1\n:as #43\n"


@pytest.mark.parametrize(("word", "advice"), [
    ("救命", "紧急情况请马上拨打120（急救）或110（报警）。"),
    ("120", "如果有人生病或受伤，请马上拨打120叫救护车。"),
])
def test_an_emergency_word_at_an_alert_gets_the_advice_and_acknowledges_it(
        monkeypatch, tmp_path, sample_roster, word, advice):
    script = f"{FEVER}{word}\n1\n:wait 1h\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = after(out, word)
    # What to do now, who was told, whom to phone — and the alert counts as answered: he was reached.
    assert told.startswith(f"{advice}\n{URGENT_TOLD}\n学校联系人刘主任：150 0013 4841\n"
                           "杨秀云的班主任王老师：138 0013 0739\n\n谢谢：已记录您对杨秀云事件通知的确认。")
    # The check-in is not offered under the advice: no "1. 很好" to tap in a panic.
    assert "杨秀云这周过得怎么样？" not in told.split("[→ ", 1)[0]
    # The class teacher gets the urgent message, and the acknowledgement on the incident's timeline.
    assert ("[→ 王老师（班主任）]\n【紧急】（2026年12月4日 18:00）张强（杨秀云的外祖父，一年级（1）班）留言：\n"
            f"“{word}”") in told
    # conv6n: the reporter reads the words that acknowledged it, never a bare "confirmed" under the 【紧急】.
    # Changed in fix6ab: the reporter is the class teacher, so she reads them once, in the 【紧急】 (no second
    # "replied to the alert" copy of the same words).
    assert "确认收到关于杨秀云" not in told
    assert [m.startswith("【紧急】") for m in told_to(told, "王老师（班主任）") if f"“{word}”" in m] == [True]
    # It does not ask her to report what she reported herself a moment ago.
    assert "请马上给家人打电话。杨秀云的突发事件已经在处理中（王老师于2026年12月4日 18:00报告），不需要再报告。" in told
    assert "报告突发事件：发送“报告 杨秀云”" not in told
    # A panicked 1 records nothing: the check-in comes back, with its numbers, to be answered when he can.
    assert after(out, "1", word).startswith("这个数字没有作为回答记录。方便时请回答这个问题：\n\n"
                                       "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert "已记录：杨秀云这周很好" not in out
    # The chain stopped at him: no reminder of the alert, no "could not reach" notice to the reporter.
    later = after(out, ":wait 1h")
    assert "[→ 张强（委托监护人）]\n提醒：关于杨秀云" not in later
    assert "未能按时联系到：张强" not in later


def test_an_emergency_word_at_an_alert_in_english(monkeypatch, tmp_path, sample_roster):
    script = f"{FEVER_EN}SOS\n1\n:wait 1h\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en")
    told = after(out, "SOS")
    assert told.startswith("In an emergency call 120 (ambulance) or 110 (police) now.\n"
                           "Your message about 杨秀云 was sent to 王老师 (class teacher) as urgent, just now: "
                           "they will phone you or answer here.\n")
    assert "\n\nThank you: your acknowledgement of the alert about 杨秀云 is recorded." in told
    assert "[→ 王老师 (class teacher)]\nURGENT (Dec 4, 2026 18:00) — 张强 (" in told
    assert ("Please phone them now. An incident about 杨秀云 is open already (reported by 王老师 at Dec 4, 2026 "
            "18:00): no new report is needed.") in told
    assert "How is 杨秀云 this week?" not in told.split("[→ ", 1)[0]
    assert after(out, "1", "SOS").startswith("That number was not recorded as an answer. When you can, please answer "
                                       "this question:\n\nHow is 杨秀云 this week?")
    assert "[→ 张强 (entrusted guardian)]\nReminder" not in after(out, ":wait 1h")


def test_a_word_after_the_advice_is_no_checkin_answer_either(monkeypatch, tmp_path, sample_roster):
    """救命 then 好 (good): not recorded as "good week"; the check-in is shown again to be answered."""
    script = f"{FEVER}救命\n好\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    assert "已记录：杨秀云这周很好" not in out
    assert "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in after(out, "好", "救命")


def test_a_grandmothers_note_naming_no_child_goes_to_their_one_teacher_naming_both(
        monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n孩子咳嗽好几天了\n:wait 3d\n:as 张老师\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    told = after(out, "孩子咳嗽好几天了")
    assert told.startswith("谢谢。您关于刘婷婷、刘帅的留言已转给张老师（班主任），老师看到后会在这里回复您。")
    assert "您的留言是关于哪个孩子的？" not in out
    # The class teacher reads ONE message naming both children (never two copies).
    seen = after(out, ":as 张老师")
    note = "李雪（刘婷婷、刘帅的外祖母，一年级（3）班）留言：\n“孩子咳嗽好几天了”\n电话：150 0013 1019\n1. 回复"
    assert note in seen
    assert out.count("“孩子咳嗽好几天了”") == 2  # her copy as she sent it, and 张老师's as she reads it later


def test_a_grandmothers_note_naming_no_child_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\nThe children have been coughing for days\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--lang", "en")
    told = after(out, "The children have been coughing for days")
    assert told.startswith("Thank you. Your message about 刘婷婷, 刘帅 was passed to 张老师 (class teacher)")
    assert "[→ 张老师 (class teacher)]\n李雪 (" in told and "of 刘婷婷, 刘帅, 一年级（3）班) writes:" in told
    assert "Which child is your message about?" not in out


def test_with_different_class_teachers_both_passes_it_to_each_childs_teacher(monkeypatch, tmp_path, split_roster):
    script = ":as 李雪\n孩子咳嗽好几天了\n3\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, split_roster, script, FRIDAY, "--all")
    assert after(out, "孩子咳嗽好几天了").startswith(
        "您的留言是关于哪个孩子的？\n1. 刘帅（一年级（1）班） 2. 刘婷婷（一年级（3）班） 3. 都有关")
    told = after(out, "3")
    # Changed in fix6b: one line names both class teachers (it used to be one "passed to" per teacher).
    assert told.startswith("谢谢。您关于刘帅、刘婷婷的留言已转给王老师（班主任）和张老师（班主任），"
                           "老师们看到后会在这里回复您。")
    assert "[→ 王老师（班主任）]\n李雪（刘帅的外祖母，一年级（1）班）留言：\n“孩子咳嗽好几天了”" in told
    assert "[→ 张老师（班主任）]\n李雪（刘婷婷的外祖母，一年级（3）班）留言：\n“孩子咳嗽好几天了”" in told


def test_with_different_class_teachers_both_typed_in_english(monkeypatch, tmp_path, split_roster):
    script = ":as 李雪\nThe children are coughing\nboth\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, split_roster, script, FRIDAY, "--lang", "en")
    assert after(out, "The children are coughing").startswith(
        "Which child is your message about?\n1. 刘帅 (一年级（1）班) 2. 刘婷婷 (一年级（3）班) 3. Both")
    told = after(out, "both")
    assert ("Your message about 刘帅, 刘婷婷 was passed to 王老师 (class teacher) and 张老师 (class teacher), "
            "who will read it and answer you here.") in told  # one line, both teachers (fix6b)
