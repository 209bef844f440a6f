"""The teacher side of the demo as a new user tried it (issue 6 trial, from a clone): what 王老师 types, what she
and the grandfather read."""

from __future__ import annotations

from tests.commands.test_demo_guardian import _demo

FEVER = ":as #43\n孩子发烧两天了\n:as 王老师\n"


def test_the_word_reply_at_the_reply_prompt_is_never_sent_as_the_reply(monkeypatch, tmp_path, sample_roster):
    """The trial's case: a 2 got "reply 1 or the words of the answer", and 回复 reached the grandfather as the reply."""
    script = FEVER + "回复\n2\n回复\n好的，明天我去家访\n/quit\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00")
    asked = "请写下给张强的回复（关于杨秀云）：\n1. 取消"
    hint = "您正在写给张强的回复：请直接输入回复的内容，会原样发给对方。如要取消，请回复 1 或发送“取消”。"
    assert f"> 2\n{hint}\n\n{asked}" in out
    assert f"> 回复\n{hint}\n\n{asked}" in out.split("> 2\n", 1)[1]
    assert "请回复 1，或直接回复答案的文字" not in out
    assert "“回复”" not in out  # never sent to 张强
    assert ("> 好的，明天我去家访\n已发送给张强。\n\n[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n"
            "“好的，明天我去家访”") in out
    assert "抱歉，我没有看懂" not in out


def test_cancel_at_the_reply_prompt_cancels_and_the_message_is_asked_again(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, FEVER + "回复\n取消\n回复\n明天去家访\n/quit\n",
                "2026-12-02 10:00")
    assert "> 取消\n已取消，没有保存任何内容。\n\n还在等您回答：\n\n张强（杨秀云的外祖父，一年级（1）班）留言：" in out
    assert "“取消”" not in out
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n“明天去家访”" in out


def test_the_english_teacher_typing_reply_at_the_reply_prompt(monkeypatch, tmp_path, sample_roster):
    script = FEVER + "Reply\n2\nreply\nI will visit tomorrow\n/quit\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--lang", "en")
    hint = ("You are writing your answer to 张强 now: type the answer itself, and it is sent as you write it. "
            "To cancel, reply 1 or send /cancel.")
    assert f"> 2\n{hint}" in out and f"> reply\n{hint}" in out
    assert "“reply”" not in out and "“Reply”" not in out
    assert "> I will visit tomorrow\nSent to 张强." in out
