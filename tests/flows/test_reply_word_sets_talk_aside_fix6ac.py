"""``回复`` typed during a talk answers 张强's message waiting behind it; the talk is set aside, not dropped (fix6ac).

王老师 is at the study question of her talk with 杨秀云 when grandfather 张强's message arrives without numbers.
Her ``回复`` asked "drop the unfinished talk?". Now the talk is set aside (said so), the answer is asked for, and
the talk comes back at the study question once the answer is sent, or cancelled.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
START = "/talk 杨秀云\n1\n:as #43\n孩子这两天咳嗽，麻烦老师留意一下\n:as 王老师\n回复\n"
BACK = "继续记录与杨秀云的谈心：\n\n杨秀云的学习情况怎么样？\n1. 好 2. 一般 3. 较差"


def test_reply_sets_the_talk_aside_and_it_comes_back_after_the_answer(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, START + "好的，我会留意\n1\n", FRIDAY)
    asked = after(out, "回复")
    assert "要放弃吗" not in asked
    assert asked.startswith("已暂存与杨秀云的谈心记录：您的回复发出或取消后，我会从您停下的地方接着问。")
    assert "请写下给张强的回复（关于杨秀云）：" in asked
    sent = after(out, "好的，我会留意")
    assert sent.startswith("已发送给张强。\n\n" + BACK)
    assert out.split("> 1\n")[-1].startswith("杨秀云的生活情况")  # her 1 answers the talk again


def test_a_cancelled_reply_brings_the_talk_back(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, START + "取消\n", FRIDAY)
    cancelled = after(out, "取消")
    assert cancelled.startswith("已取消，没有发送任何内容给张强。")
    assert BACK in cancelled


def test_in_english(monkeypatch, tmp_path, sample_roster):
    script = START.replace("回复", "reply") + "ok, I will keep an eye on her\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--lang", "en")
    assert after(out, "reply").startswith("Set aside your talk with 杨秀云")
    assert "Back to your talk with 杨秀云:" in after(out, "ok, I will keep an eye on her")
