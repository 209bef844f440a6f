"""Emergency words in the demo, as the issue 6 trial typed them at night (``--at 2026-12-04 23:10``: quiet hours).

``:as #43`` is 张强, grandfather (entrusted guardian) of 杨秀云; her class teacher is 王老师.
"""

from __future__ import annotations

import pytest

from tests.support.demo import URGENT_TOLD, run_demo

NIGHT = "2026-12-04 23:10"
PHONES = "学校联系人刘主任：150 0013 4841\n杨秀云的班主任王老师：138 0013 0739"
URGENT_TO_TEACHER = "[→ 王老师（班主任）]\n【紧急】（2026年12月4日 23:10）张强（杨秀云的外祖父，一年级（1）班）留言："


@pytest.mark.parametrize(("typed", "first"), [
    ("紧急", "紧急情况请马上拨打120（急救）或110（报警）。"),
    ("救命", "紧急情况请马上拨打120（急救）或110（报警）。"),
    ("孩子发高烧抽筋了", "如果有人生病或受伤，请马上拨打120叫救护车。"),
    ("SOS", "紧急情况请马上拨打120（急救）或110（报警）。"),
    ("emergency", "紧急情况请马上拨打120（急救）或110（报警）。"),
    ("help! urgent", "紧急情况请马上拨打120（急救）或110（报警）。"),
    ("秀云不见了，到处找不到", "如果孩子走失或有危险，请马上拨打110报警。"),
])
def test_the_grandfathers_emergency_words_at_night_reach_the_class_teacher_at_once(
        monkeypatch, tmp_path, sample_roster, typed, first):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{typed}\n/quit\n", NIGHT)
    assert f"> {typed}\n{first}\n{URGENT_TOLD}\n{PHONES}\n" in out
    assert f"{URGENT_TO_TEACHER}\n“{typed}”\n电话：138 0013 6956\n" in out  # at 23:10, not in the morning
    assert "请马上给家人打电话。报告突发事件：发送“报告 杨秀云”。" in out
    assert "老师看到后会在这里回复您" not in out  # not the ordinary "your message will go to the teacher"


def test_not_urgent_is_an_ordinary_message_that_waits_for_the_morning(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n不紧急，明天再说\n/quit\n", NIGHT)
    assert "> 不紧急，明天再说\n谢谢。您关于杨秀云的留言已转给王老师（班主任），老师看到后会在这里回复您。" in out
    assert "【紧急】" not in out and "紧急情况请马上拨打" not in out and "叫救护车" not in out
    assert "现在是夜间：王老师将在2026年12月5日 07:00起看到您的留言。如果情况紧急，请马上拨打120" in out


def test_a_teacher_typing_help_words_is_pointed_to_120_110_and_the_incident_report(
        monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "救命\n孩子溺水了\n/quit\n", NIGHT)
    staff = ("紧急情况请先拨打120（急救）或110（报警）。然后在这里报告：发送“报告”加孩子的姓名，"
             "孩子的家人和学校领导会马上收到通知。")
    assert f"> 救命\n{staff}" in out and f"> 孩子溺水了\n{staff}" in out
    assert "没有看懂" not in out


def test_a_teachers_incident_description_with_emergency_words_is_the_description(
        monkeypatch, tmp_path, sample_roster):
    script = "/incident 杨秀云\n2\n1\n孩子在家抽筋昏迷，已打120送医院\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT)
    assert "> 孩子在家抽筋昏迷，已打120送医院\n紧急情况请先拨打" not in out
    assert "孩子在家抽筋昏迷，已打120送医院" in out.split("> 孩子在家抽筋昏迷，已打120送医院\n", 1)[1]  # on the confirm


def test_the_friday_checkin_waiting_is_not_answered_by_the_emergency_and_comes_back(
        monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:wait 5h\n:wait 10m\n:as #43\n救命\n1\n1\n跳过\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:58")
    question = "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助"
    first = "紧急情况请马上拨打120（急救）或110（报警）。"
    # Not asked again under the 120/110 advice (a panicked 1 is no "all good"); it comes back on the next message.
    later = "等您方便时再说：杨秀云这周的情况。您下次发消息时，我会再问一次并附上选项，不着急。"  # said (fix6h)
    assert f"> 救命\n{first}\n{URGENT_TOLD}\n{PHONES}\n\n{later}\n\n[→ 王老师" in out
    assert "[→ 王老师（班主任）]\n【紧急】（2026年12月4日 23:10）" in out
    assert f"> 1\n这个数字没有作为回答记录。方便时请回答这个问题：\n\n{question}" in out
    assert "> 1\n谢谢！已记录：杨秀云这周很好。" in out
    assert "这周需要帮助" not in out  # 救命 never picked "needs help" on the check-in


def test_an_english_grandfather_reads_it_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\nemergency\n/quit\n", NIGHT, "--lang", "en")
    assert ("> emergency\nIn an emergency call 120 (ambulance) or 110 (police) now.\nYour message about 杨秀云 was "
            "sent to 王老师 (class teacher) as urgent, just now: they will phone you or answer here.") in out
    assert "URGENT (Dec 4, 2026 23:10) — 张强 (grandfather (maternal) of 杨秀云, 一年级（1）班) writes:" in out
    assert "Please phone them now. To report an incident: /incident 杨秀云" in out


def test_a_grandmother_of_two_names_the_child_or_both_are_told(monkeypatch, tmp_path, sample_roster):
    """李雪 looks after 刘婷婷 and 刘帅: no "which child?" first in an emergency."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n婷婷抽筋了\n救命\n/quit\n", NIGHT)
    named, both = out.split("> 婷婷抽筋了\n", 1)[1].split("> 救命\n", 1)
    assert named.startswith("如果有人生病或受伤，请马上拨打120叫救护车。\n"
                            "您关于刘婷婷的留言已作为紧急消息马上转给张老师（班主任）")
    assert "李雪（刘婷婷的外祖母，一年级（3）班）留言：\n“婷婷抽筋了”" in named and "刘帅" not in named
    # 婷婷's teacher already has the first one (a repeat within 15 minutes): 刘帅's is new, so URGENT
    assert "张老师（班主任）几分钟前已经收到您关于刘婷婷的紧急消息" in both
    assert "您关于刘帅的留言已作为紧急消息马上转给张老师（班主任）" in both
    assert "李雪（刘婷婷的外祖母，一年级（3）班）留言：\n“救命”" not in both
    assert "李雪（刘帅的外祖母，一年级（3）班）留言：\n“救命”" in both
    assert "您的留言是关于哪个孩子的" not in out


def test_a_nickname_names_only_that_child(monkeypatch, tmp_path, sample_roster):
    """帅帅 is 刘帅 at home: his grandmother's words reach his teacher about him alone."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 李雪\n帅帅抽筋了\n/quit\n", NIGHT)
    answer = out.split("> 帅帅抽筋了\n", 1)[1]
    assert answer.startswith("如果有人生病或受伤，请马上拨打120叫救护车。\n您关于刘帅的留言已作为紧急消息")
    assert "李雪（刘帅的外祖母，一年级（3）班）留言：\n“帅帅抽筋了”" in answer and "刘婷婷" not in answer


def test_thirty_cries_for_help_ring_the_teacher_once_then_again_after_a_quarter_of_an_hour(
        monkeypatch, tmp_path, sample_roster):
    """A frightened grandfather types 救命 again and again: one URGENT message, the rest added as ordinary ones."""
    script = ":as #43\n" + "救命\n" * 30 + ":wait 16m\n救命\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT)
    again = ("王老师（班主任）几分钟前已经收到您关于杨秀云的紧急消息，这条也一起转给老师了。"
             "如果还没有人给您打电话，请拨打下面的电话。")
    assert out.count(f"> 救命\n紧急情况请马上拨打120（急救）或110（报警）。\n{again}\n{PHONES}") == 29
    assert out.count("【紧急】") == 2  # the first, and the one sixteen minutes later
    assert out.count(URGENT_TOLD) == 2


def test_emergency_words_at_the_note_question_are_the_note_too_and_it_is_not_asked_again(
        monkeypatch, tmp_path, sample_roster):
    """Needs help → health → 孩子发高烧抽筋了: URGENT to the class teacher, and the helper's note has the words."""
    script = ":wait 2m\n:wait 5h\n:wait 10m\n:as #43\n3\n1\n孩子发高烧抽筋了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:58")
    after = out.split("> 孩子发高烧抽筋了\n", 1)[1]
    assert after.startswith(f"如果有人生病或受伤，请马上拨打120叫救护车。\n{URGENT_TOLD}\n{PHONES}\n")
    assert "【紧急】（2026年12月4日 23:10）" in after
    assert "[→ 唐老师（帮扶教师）]\n张强（杨秀云的监护人）需要的帮助：身体健康。补充：孩子发高烧抽筋了" in after
    assert "还有什么想告诉老师的吗" not in after and "还在等您回答" not in after
