"""A check-in answered in a sentence asking for help is "needs help", never a mere message (fix6x).

A breaker: 张强 answers Friday's "how is 杨秀云 this week?" with ``she needs help`` (or ``她需要帮助``, ``需要帮忙``,
``孩子需要老师帮助``). The words went to 王老师 as a message, the check-in stayed unanswered and the helper teacher
唐老师 was never told. ``help`` and ``bad`` already were "needs help".
"""

from __future__ import annotations

import pytest

from bot.flows.checkin_worry import is_worry
from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"


@pytest.mark.parametrize(("line", "lang", "recorded", "helper", "teacher"), [
    ("she needs help", "en", "Recorded: 杨秀云 this week: Needs help.", "唐老师 (helper teacher)",
     "王老师 (class teacher)"),
    ("她需要帮助", "zh_Hans", "已记录：杨秀云这周需要帮助。", "唐老师（帮扶教师）", "王老师（班主任）"),
    ("孩子需要老师帮助", "zh_Hans", "已记录：杨秀云这周需要帮助。", "唐老师（帮扶教师）", "王老师（班主任）"),
])
# A bare 需要帮忙 is the answer's own word: recorded with no note passed on (tests/commands/test_demo_conv6m.py).
def test_help_sentences_answer_needs_help(monkeypatch, tmp_path, sample_roster, line, lang, recorded, helper,
                                          teacher):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n:wait 2m\n{line}\n", FRIDAY, "--all",
                   "--lang", lang)
    said = after(out, line)
    assert recorded in said
    assert any(line in told for told in told_to(said, helper))  # the helper teacher has the words as the note
    assert any(f"“{line}”" in told for told in told_to(said, teacher))


def test_words_that_need_no_help_are_not_needs_help():
    for line in ("不需要帮助", "暂时不需要老师帮", "she does not need help", "no help needed", "谢谢老师帮忙",
                 "not so good", "好的"):
        assert not is_worry(line), line
    for line in ("she needs help", "我们需要你们帮忙", "求助", "he needs some help with homework"):
        assert is_worry(line), line


def test_not_so_good_is_so_so_and_a_help_sentence_is_not(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n:wait 2m\nnot so good, she needs help\n", FRIDAY,
                   "--all", "--lang", "en")
    said = after(out, "not so good, she needs help")
    assert "Recorded: 杨秀云 this week: Needs help." in said and "So-so" not in said
