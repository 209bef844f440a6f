"""Trial findings of the conv6l round (issue 6): incident alerts and the family's replies around them."""

from __future__ import annotations

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"
REPORT_LIU_SHUAI = ":as 张老师\n报告 刘帅\n1\n1\n课间摔倒，膝盖擦伤\n1\n"


def test_words_after_confirming_an_alert_follow_its_child(monkeypatch, tmp_path, sample_roster):
    script = REPORT_LIU_SHUAI + ":as 李雪\n收到\n他现在好点了吗？我晚上去接他\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    after = out.split("> 他现在好点了吗？我晚上去接他\n", 1)[1]
    assert "哪个孩子" not in after  # 刘婷婷 is not offered first: the alert was about 刘帅
    # About the open incident (conv6p): to its reporter, the class teacher, with the report time.
    assert after.startswith("谢谢。您关于刘帅（2026年12月4日 17:58报告的突发事件）的留言已马上转给张老师（事件报告人）")
    to_teacher = after.split("[→ 张老师（班主任）]\n", 1)[1]
    assert to_teacher.startswith("李雪（委托监护人）于2026年12月4日 17:58回复了关于刘帅（一年级（3）班）的事件通知")
    assert "“他现在好点了吗？我晚上去接他”" in to_teacher


def test_words_after_confirming_an_alert_follow_its_child_in_english(monkeypatch, tmp_path, sample_roster):
    script = REPORT_LIU_SHUAI + ":as 李雪\n收到\nis he better now? I will fetch him tonight\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    after = out.split("> is he better now? I will fetch him tonight\n", 1)[1]
    assert "Which child" not in after.split("\n\n", 1)[0]
    assert "about 刘帅" in after.split("\n\n", 1)[0]


def _to(out: str, after: str, person: str) -> str:
    """What ``person``'s chat got after the line ``after`` (empty when nothing)."""
    part = out.split(after, 1)[1]
    return part.split(f"[→ {person}]\n", 1)[1].split("\n\n", 1)[0] if f"[→ {person}]\n" in part else ""


def test_a_late_answer_after_escalation_is_told_to_everyone_alerted(monkeypatch, tmp_path, sample_roster):
    script = (":as 王校长\n报告 刘帅\n1\n1\n课间摔倒，膝盖擦伤\n1\n:wait 31m\n:wait 31m\n"
              ":as #86\n收到\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    answered = "刘亮（父亲）已于2026年12月4日 19:00确认收到关于刘帅（一年级（3）班）的突发事件"
    assert _to(out, "> 收到\n", "张老师（班主任）").startswith(answered)  # the class teacher told at the report
    assert _to(out, "> 收到\n", "李雪（委托监护人）").startswith(answered)  # the guardian who missed her step
    official = _to(out, "> 收到\n", "镇教育办张科长（教育主管部门）")
    assert official.startswith("孩子的父亲已于2026年12月4日 19:00确认收到")  # the family by relation only
    assert _to(out, "> 收到\n", "王校长（校领导）").count("确认收到") == 1  # the reporter once, as before


def test_an_answer_in_time_tells_only_the_reporter(monkeypatch, tmp_path, sample_roster):
    script = REPORT_LIU_SHUAI + ":as 李雪\n收到\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "李雪（委托监护人）已于" not in _to(out, "> 收到\n", "刘亮（外出务工父母）")


def test_an_all_clear_after_confirming_reaches_everyone_alerted(monkeypatch, tmp_path, sample_roster):
    script = ":as 王校长\n报告 刘帅\n1\n1\n课间摔倒，膝盖擦伤\n1\n:wait 31m\n:as 李雪\n收到\n好了没事了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:00", "--all")
    after = "> 好了没事了\n"
    assert out.split(after, 1)[1].startswith("谢谢。您关于刘帅的话已转告收到这起突发事件通知的人：王校长、刘亮、张老师")
    for person in ("王校长（校领导）", "刘亮（外出务工父母）", "张老师（班主任）"):
        told = _to(out, after, person)
        # Read as the all clear it is (fixj).
        assert told.startswith("李雪说刘帅没事了。李雪（委托监护人）于2026年12月4日 17:31回复了关于刘帅"
                               "（一年级（3）班）的事件通知"), person
        assert "“好了没事了”" in told, person


def test_an_all_clear_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as 王校长\n报告 刘帅\n1\n1\n课间摔倒，膝盖擦伤\n1\n:wait 31m\n:as 李雪\n收到\nall clear\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:00", "--all", "--lang", "en")
    reply = out.split("> all clear\n", 1)[1].split("\n\n", 1)[0]
    assert reply.startswith("Thank you. Your words about 刘帅 were passed to those alerted about the incident: "
                            "王校长, 刘亮")
    assert "“all clear”" in _to(out, "> all clear\n", "刘亮 (parent working away)")


def test_reply_answers_the_family_message_shown_last(monkeypatch, tmp_path, sample_roster):
    script = (":as 王老师\n谈心 杨秀云\n1\n:as #43\n孩子发烧两天了\n我腿脚不好带不去医院\n"
              ":as 王老师\n回复\n好的我来安排\n1\n1\n1\n跳过\n1\n1\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    sent = out.split("> 好的我来安排\n", 1)[1]
    assert sent.startswith("已发送给张强。")
    # 回复 set the talk aside (fix6ac: no longer "drop it?"): it comes back first, and the older message is the one
    # still waiting, asked again with its own Reply once the talk is saved.
    assert "继续记录与杨秀云的谈心" in sent.split("> ", 1)[0]
    saved = out.split("> 1\n")[-1]
    assert saved.startswith("已保存：与杨秀云的谈心记录。")
    assert saved.split("还在等您回答：\n\n", 1)[1].split("\n1. 回复", 1)[0].endswith(
        "“孩子发烧两天了”\n电话：138 0013 6956")


CLOSE_AFTER_CHECKIN = REPORT_LIU_SHUAI + ":wait 2m\n:as 张老师\n结束事件\n1\n1\n确认结束\n:as 李雪\n1\n/quit\n"


def test_closing_an_incident_brings_the_held_check_in_back_at_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, CLOSE_AFTER_CHECKIN, AT, "--all")
    notice = _to(out, "> 确认结束\n", "李雪（委托监护人）")
    assert notice.startswith("关于刘帅（一年级（3）班）的突发事件")
    assert notice.endswith("结果：孩子在学校，安全。\n还在等您回答：\n"
                           "刘婷婷这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    # Her 1 answers the check-in she sees, not the closed alert.
    assert out.split("> 1\n")[-1].startswith("谢谢！已记录：刘婷婷这周很好。")


def test_closing_an_incident_brings_the_held_check_in_back_in_english(monkeypatch, tmp_path, sample_roster):
    script = CLOSE_AFTER_CHECKIN.replace("确认结束", "Confirm close")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    notice = out.split("> Confirm close\n", 1)[1].split("[→ 李雪 (entrusted guardian)]\n", 1)[1].split("\n\n", 1)[0]
    assert notice.endswith("Still waiting for your answer:\nHow is 刘婷婷 this week?\n"
                           "1. All good 2. So-so 3. Needs help")
    assert out.split("> 1\n")[-1].startswith("Thank you")
    assert "刘婷婷" in out.split("> 1\n")[-1].split("\n", 1)[0]


def test_cancel_at_an_alert_means_received_and_nothing_more(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT_LIU_SHUAI + ":as 李雪\n取消\n/quit\n", AT, "--all")
    answer = out.split("> 取消\n", 1)[1].split("\n\n", 1)[0]
    assert answer == "已记录：您已收到关于刘帅的突发事件通知。通知不能取消，在这里也不用再回复什么；请按通知说的去做。"
    to_reporter = out.split("> 取消\n", 1)[1].split("[→ 张老师（班主任）]\n", 1)[1]
    assert to_reporter.startswith("李雪（委托监护人）已于2026年12月4日 17:58确认收到关于刘帅")
    assert "“取消”" not in out  # never passed on as if it were a message
    assert "报告人张老师会看到您的留言" not in out


def test_cancel_at_an_alert_in_english(monkeypatch, tmp_path, sample_roster):
    script = REPORT_LIU_SHUAI + ":as 李雪\n/cancel\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    answer = out.split("> /cancel\n", 1)[1].split("\n\n", 1)[0]
    assert answer.startswith("Noted: you have received the alert about 刘帅. An alert cannot be cancelled")
