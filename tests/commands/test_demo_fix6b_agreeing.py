"""``好吧``, ``行吧``, ``那好吧``, ``好的吧``: agreement, never a question for their 吧 (fix6b, issue 6).

Since a trailing 吧 made a sentence a question (``没事吧``), a new user's ``那好吧`` at the Friday check-in was
passed to the class teacher as a message, and read as a worry. Now the words agree: to an alert they acknowledge
it; at a check-in they say nothing of the week, so — when unsure, ask, never guess — the check-in is asked again,
naming the child, while the other child's check-in still waits in the same chat.
"""

from __future__ import annotations

import pytest

from bot.flows.words import is_question
from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"


@pytest.mark.parametrize("words", ["那好吧", "那行吧"])
def test_agreement_at_the_check_in_asks_it_again_naming_the_child(monkeypatch, tmp_path, sample_roster, words):
    script = f":wait 2m\n:as 李雪\n{words}\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    told = after(out, words)
    # An agreement word is not recorded as "good": she is asked back, naming the child (fix6q).
    assert told.startswith("是说刘婷婷这周很好吗？\n1. 是，很好 2. 一般 3. 需要帮助")
    assert "留言已转给" not in told  # no message to the teacher, no worry
    # Her 1 answers the question shown (刘婷婷's confirmation), and 刘帅's, waiting in the same chat, is asked next.
    answered = after(out, "1", words)
    assert answered.startswith("谢谢！已记录：刘婷婷这周很好。")


@pytest.mark.parametrize("words", ["那好吧", "那行吧"])
def test_agreement_to_an_alert_acknowledges_it(monkeypatch, tmp_path, sample_roster, words):
    script = f":as 张老师\n报告 刘帅\n1\n1\n课间摔倒\n1\n:as 李雪\n{words}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    told = after(out, words)
    assert told.startswith("谢谢：已记录您对刘帅事件通知的确认。")
    assert "留言" not in told.split("\n\n")[0]


@pytest.mark.parametrize("words", ["好吧", "行吧", "那好吧", "好的吧", "那好吧。"])
def test_agreement_is_no_question_while_questions_with_ba_still_ask(words):
    assert not is_question(words)
    assert all(is_question(asked) for asked in ("好吧？", "没事吧", "没事了吧", "是吧"))
