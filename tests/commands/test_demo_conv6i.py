"""Cancel words, 返回, 取消 at a check-in, and stray numbers and emoji, as people typed them in the demo (issue 6)."""

from __future__ import annotations

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"
QUESTION = "杨秀云这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助"


def test_suanle_while_answering_a_family_cancels_and_sends_nothing(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了，我腿脚不好\n:as 王老师\n1\n算了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "> 算了\n已取消，没有发送任何内容给张强。\n\n还在等您回答：" in out
    assert "“算了”" not in out and "已发送给张强" not in out


def test_buhuile_while_answering_a_family_cancels_too(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了\n:as 王老师\n1\n不回了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert "> 不回了\n已取消，没有发送任何内容给张强。" in out
    assert "“不回了”" not in out


def test_incident_report_goes_back_a_step_and_suanle_cancels_it(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n报告 杨秀云\n1\n返回\n1\n1\n算了\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert "> 返回\n关于杨秀云的突发事件：发生了什么？\n1. 受伤" in out
    # answers given: "要放弃吗？" first, as a talk asks (fix6ao); 1 drops it
    assert "> 算了\n您还没有完成杨秀云的事件报告，目前还没有保存。要放弃吗？" in out
    assert "> 1\n已取消关于杨秀云的突发事件报告，没有保存也没有发送任何内容。" in out
    assert "描述：算了" not in out and "请选择一个选项" not in out


def test_suanle_mid_talk_cancels_it_naming_the_child(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n谈心 杨秀云\n1\n返回\n算了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert "> 返回\n与杨秀云谈心。孩子的情绪怎么样？" in out
    assert "> 算了\n已取消与杨秀云的谈心记录，没有保存任何内容。" in out
    assert "请选择一个选项" not in out


def test_cancel_at_a_checkin_is_not_now_and_after_the_answer_it_is_kept(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n取消\n1\n取消\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert "> 取消\n好的，先不回答。关于杨秀云的这个问题会一直留着，这周内您方便时，随时回复它的编号就行。" in out
    assert "> 1\n谢谢！已记录：杨秀云这周很好。" in out  # the question stayed open
    assert "> 取消\n好的。您关于杨秀云的回答已经保存，不需要再做什么了。" in out
    assert "没有保存任何内容" not in out and "无需取消" not in out


def test_signed_numbers_and_a_lone_emoji_at_a_checkin_are_asked_again(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n0\n4\n-1\n😀\n/quit\n"  # 👍 is the week's everyday "fine" now (fix6g)
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    assert f"> -1\n请回复 1 到 3 之间的数字。\n\n{QUESTION}" in out
    assert f"> 😀\n“😀”不是这个问题的回答。请回复 1 很好、2 一般 或 3 需要帮助。\n\n{QUESTION}" in out
    assert "[→ 王老师（班主任）]" not in out.split("> -1", 1)[1]  # nothing forwarded as a family message
    assert "1. 回复" not in out
