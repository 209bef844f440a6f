"""`guanai demo` read from a pipe: the sample school, a talk, an incident chain, a numbered answer."""

from __future__ import annotations

from bot.cli import main
from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"


def test_demo_talk_incident_and_acknowledge_by_number(monkeypatch, tmp_path, sample_roster):
    script = "\n".join([
        "谈心 杨秀云", "1", "2", "1", "1", "聊了学习", "1", "1",  # safety: 1. 没有; follow-up: 1. 不需要跟进
        "报告 杨秀云", "1", "1", "放学路上摔伤了膝盖", "1",
        ":as #43", "1",
        ":wait 31m",
        "/quit",
    ]) + "\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert "留守儿童：新增 122" in out
    assert "已保存：与杨秀云的谈心记录。" in out
    # The guardian (张强, #43) gets the alert at once and acknowledges by replying "1".
    assert "[→ 张强（委托监护人）]\n突发事件：杨秀云（一年级（1）班），受伤，紧急。" in out
    assert "谢谢：已记录您对杨秀云事件通知的确认。" in out
    # Acknowledged, so the parents are told at once and nobody reports the guardian as missed.
    assert "[→ 杨杨（外出务工父母）]" in out and "[→ 谢冬梅（外出务工父母）]" in out
    assert "未能按时联系到：张强" not in out


def test_demo_in_english_and_unknown_persona(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/help\n:as 没有这个人\n/quit\n", AT, "--lang", "en")
    assert "You are now 王老师 (class teacher)." in out
    assert "Nobody called 没有这个人 in the demo school. You are still 王老师." in out


def test_demo_as_a_part_of_a_name_a_tester_read_in_a_message(monkeypatch, tmp_path, sample_roster):
    # The tester read "张科长" in a message; the roster has "镇教育办张科长". A part naming too many
    # people ("老师") says who you still are, so nobody believes they are someone else.
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 张科长\n:as 老师\n/quit\n", AT)
    assert "您现在是镇教育办张科长（教育主管部门）。" in out
    assert "演示学校里没有叫老师的人。您仍是镇教育办张科长。" in out


def test_demo_without_a_roster_says_how_to_give_one(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUANAI_SAMPLE_ROSTER", raising=False)
    monkeypatch.setattr("bot.commands.demo.find_sample_roster", lambda explicit: None)
    assert main(["demo"]) == 2
    assert "--roster" in capsys.readouterr().err


def test_demo_guardian_answers_alert_and_checkin_by_words(monkeypatch, tmp_path, sample_roster):
    script = "\n".join([
        "报告 杨秀云", "1", "1", "放学路上摔伤了膝盖", "1",
        ":wait 5m",  # Friday 18:00: the weekly check-in arrives too
        ":as #43", "确认收到", "很好",
        # The check-in about a child in an open emergency waits for the close (fix6o, deliberate); the close
        # notice brings it back; 很好 right after the notice sees the notice (fix6n), the next 很好 answers.
        ":as 王老师", "结束事件", "2", "跳过", "确认结束", ":as #43", "很好", "很好", "/quit",
    ]) + "\n"
    text = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:55")
    assert "> 确认收到\n谢谢：已记录您对杨秀云事件通知的确认。" in text
    assert "> 很好\n这没有记录为杨秀云这周情况的回答：每周问题要等杨秀云的突发事件结束后再问。" in text
    assert "> 很好\n谢谢。已记下您看过了杨秀云的事件已结束的通知。" in text
    assert "> 很好\n谢谢！已记录：杨秀云这周很好。" in text


def test_demo_grandfathers_1_acknowledges_the_alert_shown_last_then_the_checkin_comes_back(
        monkeypatch, tmp_path, sample_roster):
    # The README's Friday-evening script (issue 6, item 1): on the console as on WeChat, "1" answers
    # only the question shown last; the check-in the alert interrupted waits while the emergency is open
    # (fix6o, deliberate: his second 1 records no good week) and comes back with the close notice.
    script = (":wait 2m\n报告 杨秀云\n1\n1\n放学路上摔伤了膝盖\n1\n:as #43\n1\n1\n"
              ":as 王老师\n结束事件\n1\n跳过\n确认结束\n:as #43\n1\n跳过\n/quit\n")
    text = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:58")
    # Acting as 张强, the demo shows his messages in the order they reached him: the check-in, then the alert.
    his = text[text.index("您现在是张强"):]
    checkin, alert = his.index("杨秀云这周过得怎么样？"), his.index("突发事件：杨秀云")
    assert checkin < alert and "1. 确认收到" in his[alert:]
    first = text.index("> 1\n", text.index("您现在是张强"))
    acked = text[first:text.index("> 1\n", first + 1)]
    assert "谢谢：已记录您对杨秀云事件通知的确认。" in acked
    assert "关于杨秀云的每周问题先等一等，等杨秀云的突发事件结束后我再问您。" in acked
    assert "1. 很好 2. 一般 3. 需要帮助" not in acked
    assert "> 1\n这没有记录为杨秀云这周情况的回答" in text
    closed = text[text.index("> 确认结束"):]
    assert "结果：孩子在家，安全。\n还在等您回答：\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助" in closed
    assert "> 1\n谢谢！已记录：杨秀云这周很好。" in closed
    assert "关于杨秀云，还有什么想告诉老师的吗？" in closed


def test_data_in_english_is_the_figures_for_a_principal_and_an_official(monkeypatch, tmp_path, sample_roster):
    # Chinese 数据 already worked; a new-user trial typed its English twin and was not understood.
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\ndata\n:as 镇教育办张科长\ndata\n/quit\n", AT,
                   "--lang", "en")
    assert after(out, "data").startswith("Figures for 示例县清溪镇中心小学 (school), 2026-12:")
    assert after(out, "data", nth=2).startswith("Figures for the 1 school you oversee (示例县清溪镇中心小学)")
