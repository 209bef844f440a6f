"""One question at a time with two urgent ones in a chat (issue 6, DESIGN.md "Conversations"): the conv6g trial."""

from __future__ import annotations

from tests.support.demo import run_demo as _demo

TWO_URGENT = ":as #43\n救命\n:as #44\n孩子出事了救命\n:as 王老师\n"
HELD = "），然后再回答这个（到时我会再发一次，并附上选项）。"
TWO_ALERTS = ":as 张老师\n报告 刘帅\n1\n1\n课间摔倒，膝盖擦伤\n1\n报告 刘婷婷\n1\n1\n发高烧\n1\n:as 李雪\n"


def _to(out: str, name: str, start: str) -> str:
    """The message to ``name`` that starts with ``start``."""
    return out.split(f"[→ {name}]\n{start}", 1)[1].split("\n\n", 1)[0]


def test_a_second_urgent_family_message_waits_named_behind_the_first(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, TWO_URGENT + "/quit\n", "2026-12-04 17:58", "--all")
    second = _to(out, "王老师（班主任）", "【紧急】（2026年12月4日 17:58）杨杨")
    assert "1. 回复" not in second
    assert "请先回答上面的问题（张强发来的关于杨秀云的留言：2026年12月4日 17:58“" in second and second.endswith(HELD)


def test_reply_answers_the_urgent_message_shown_and_the_second_is_asked_after(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, TWO_URGENT + "回复 我马上打过来\n1\n好\n/quit\n",
                "2026-12-04 17:58", "--all")
    assert "> 回复 我马上打过来\n已发送给张强。\n\n还在等您回答：\n\n【紧急】（2026年12月4日 17:58）杨杨" in out
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n“我马上打过来”" in out
    assert "> 1\n请写下给杨杨的回复（关于杨秀云）：" in out
    assert "[→ 杨杨（外出务工父母）]\n王老师（杨秀云的班主任）回复了您的留言：\n“好”" in out


def test_two_alerts_to_one_grandmother_one_at_a_time(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, TWO_ALERTS + "/quit\n", "2026-12-04 10:00", "--all")
    second = _to(out, "李雪（委托监护人）", "突发事件：刘婷婷")
    assert "1. 确认收到" not in second
    assert second.endswith(f"请先回答上面的问题（刘帅的事件通知{HELD}")


def test_received_acknowledges_every_alert_delivered_to_her(monkeypatch, tmp_path, sample_roster):
    # 收到 is true of both alerts she was sent: both are acknowledged (fix6aa; issue 6: a reply of any kind while a
    # step waits proves she was reached), and the teacher is told of each; nothing is left to answer.
    out = _demo(monkeypatch, tmp_path, sample_roster, TWO_ALERTS + "收到\n好的\n/quit\n", "2026-12-04 10:00", "--all")
    assert "> 收到\n谢谢：已记录您对刘帅、刘婷婷事件通知的确认。" in out
    assert "李雪（委托监护人）已于2026年12月4日 10:00确认收到关于刘帅" in out
    assert "李雪（委托监护人）已于2026年12月4日 10:00确认收到关于刘婷婷" in out
    assert "> 好的\n好的，谢谢！目前没有需要您回答的问题。" in out


def test_a_grandmothers_words_at_the_alert_reach_the_teacher_with_a_reply(monkeypatch, tmp_path, sample_roster):
    script = TWO_ALERTS.split("报告 刘婷婷")[0] + ":as 李雪\n孩子现在在哪里？\n:as 张老师\n1\n在医务室，不严重\n/quit\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 10:00", "--all")
    relayed = _to(out, "张老师（班主任）", "李雪（委托监护人）于2026年12月4日 10:00回复了关于刘帅")
    assert relayed.endswith("“孩子现在在哪里？”\n电话：150 0013 1019\n1. 回复")  # the writer's phone (conv6p)
    assert "> 1\n请写下给李雪的回复（关于刘帅）：" in out
    assert "[→ 李雪（委托监护人）]\n张老师（刘帅的班主任）回复了您的留言：\n“在医务室，不严重”" in out


ALERT = TWO_ALERTS.split("报告 刘婷婷")[0] + ":as 李雪\n"


def test_a_slip_for_help_at_the_alert_shows_help_and_the_alert_again_unacknowledged(
        monkeypatch, tmp_path, sample_roster):
    """Rule: a slip (帮主) and its "did you mean" answer acknowledge nothing; the alert is asked again after help."""
    out = _demo(monkeypatch, tmp_path, sample_roster, ALERT + "帮主\n是\n收到\n/quit\n", "2026-12-04 10:00", "--all")
    assert "> 帮主\n您是想发送“帮助”吗？\n1. 是 2. 否" in out
    helped = out.split("> 是\n", 1)[1].split("\n\n> ", 1)[0]
    assert helped.startswith("我可以帮您：") and "还在等您回答：\n\n突发事件：刘帅（一年级（3）班）" in helped
    assert helped.endswith("1. 确认收到") and "已记录您对" not in helped and "“帮主”" not in out
    assert "> 收到\n谢谢：已记录您对刘帅事件通知的确认。" in out


def test_meeting_words_while_the_checkin_is_shown_answer_the_invitation_waiting(monkeypatch, tmp_path,
                                                                               sample_roster):
    script = ":wait 2m\n/meeting\n1\n12月9日 15:00\n一年级教室\n1\n:as #43\n不去了\n能去\n1\n/quit\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:58", "--all")
    checkin = "还在等您回答：\n\n杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助"
    assert f"> 不去了\n您对2026年12月9日 15:00监护人会议的回答已记录：不能参加。谢谢您告知。\n\n{checkin}" in out
    assert f"> 能去\n已改为：参加2026年12月9日 15:00在一年级教室的监护人会议。谢谢！\n\n{checkin}" in out
    assert "> 1\n谢谢！已记录：杨秀云这周很好。" in out
    assert "“不去了”" not in out and "“能去”" not in out  # nothing passed on to the teacher as a message


def test_a_slip_of_talk_with_a_name_is_offered_with_the_name(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\n谈新 杨秀云\n是\n/cancel\n谈新杨秀云\n1\n/quit\n",
                "2026-12-04 10:00")
    assert "> 谈新 杨秀云\n您是想发送“谈心 杨秀云”吗？\n1. 是 2. 否" in out
    assert "> 是\n与杨秀云谈心。孩子的情绪怎么样？" in out
    assert "> 谈新杨秀云\n您是想发送“谈心 杨秀云”吗？" in out


def test_a_held_family_message_names_the_one_reply_answers_first(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了\n:as #44\n孩子这周怎么样\n:as 王老师\n回复 明天带去卫生院\n/quit\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--all")
    held = _to(out, "王老师（班主任）", "杨杨（杨秀云的父亲，一年级（1）班）留言：")
    assert held.endswith(f"请先回答上面的问题（张强发来的关于杨秀云的留言：2026年12月2日 10:00“孩子发烧两天了”{HELD}")
    assert ("> 回复 明天带去卫生院\n已发送给张强。\n\n还在等您回答：\n\n杨杨（杨秀云的父亲，一年级（1）班）留言：\n"
            "“孩子这周怎么样”\n电话：138 0013 7614\n1. 回复") in out
