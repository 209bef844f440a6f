"""/help and /start halfway through a talk show the talk's question again (fix6ae; README "One question at a time").

A breaker sent /help while the mood question of a talk with 杨秀云 waited: the help list came alone, and the
next "1" answered the hidden mood question. Like /due, help and a greeting are information: the talk is named
and its question shown again under them, numbered from 1.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

SCRIPT = "{talk}\n/help\n1\n/start\n/start ABCDEF12\n2\n/quit\n"


@pytest.mark.parametrize(("lang", "talk", "back", "mood", "study", "daily"), [
    ("zh_Hans", "谈心 杨秀云", "继续记录与杨秀云的谈心：", "孩子的情绪怎么样？", "杨秀云的学习情况怎么样？",
     "生活情况（饮食、睡眠、卫生）"),
    ("en", "talk 杨秀云", "Back to your talk with 杨秀云:", "mood", "How is 杨秀云 doing with study?",
     "daily life"),
])
def test_help_and_start_mid_talk_ask_the_talks_question_again(monkeypatch, tmp_path, sample_roster, lang, talk,
                                                              back, mood, study, daily):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT.format(talk=talk), "2026-12-02 10:00",
                   "--lang", lang)
    helped = after(out, "/help")
    assert back in helped and mood in helped.split(back, 1)[1], helped
    assert study in after(out, "1", "/help")  # the "1" answered the mood question it showed
    for typed in ("/start", "/start ABCDEF12"):  # a greeting; a wrong code (someone else's QR, mistyped)
        shown = after(out, typed)
        assert back in shown and study in shown.split(back, 1)[1], shown
    assert daily in after(out, "2", "/start ABCDEF12")
