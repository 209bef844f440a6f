"""/help never shows again a check-in held for the child's open incident (fix6ax).

王老师 reports 刘帅 hurt by a car at the school gate; at the Friday check-in 李雪 acknowledges the alert, answers
刘婷婷's week and skips the note. She is told 刘帅's weekly question waits for his incident. /help (or /start)
then showed 「刘帅这周过得怎么样？」 with its numbers, and her ``1`` recorded 「刘帅这周很好」 minutes after the
injury. Now /help says the question waits, and a ``1`` records nothing.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
SCRIPT = ":wait 2m\n报告 刘帅\n1\n1\n{hurt}\n1\n:as 李雪\n1\n1\n{skip}\n{command}\n1\n"


@pytest.mark.parametrize("command", ["/help", "/start"])
def test_help_does_not_bring_back_the_held_week(monkeypatch, tmp_path, sample_roster, command):
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   SCRIPT.format(hurt="校门口被车擦伤", skip="跳过", command=command), FRIDAY, "--all")
    shown = after(out, command, "跳过")
    assert "刘帅这周过得怎么样" not in shown
    assert "1. 很好" not in shown
    assert "关于刘帅的每周问题先等一等" in shown
    answer = after(out, "1", command)
    assert "已记录：刘帅这周很好" not in answer
    assert answer.startswith("这没有记录为刘帅这周情况的回答")


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   SCRIPT.format(hurt="hit by a car at the school gate", skip="skip", command="/help"), FRIDAY,
                   "--all", "--lang", "en")
    shown = after(out, "/help", "skip")
    assert "How is 刘帅 this week?" not in shown
    assert "All good" not in shown
    assert "Recorded" not in after(out, "1", "/help")
