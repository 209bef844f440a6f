"""Emoji sequences keep their zero-width joiners when typed text is cleaned (fix9e).

Typed text is cleaned of control and invisible characters that would break the exports or reorder a message
(``bot.flows.common.cleaned``). The zero-width joiner went with them, so the grandfather's 👨‍👩‍👧 (👨, joiner, 👩,
joiner, 👧) reached the class teacher as three people, 👨👩👧. The joiner inside an emoji sequence now stays;
a right-to-left override, a NUL and a joiner between letters still go.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"
FAMILY = "👨\u200d👩\u200d👧"
COOK = "👩🏽\u200d🍳"  # with a skin tone between the woman and the joiner


def test_the_grandfathers_family_emoji_reaches_the_teacher_whole(monkeypatch, tmp_path, sample_roster):
    typed = f"孩子想爸妈了{FAMILY}，\u202e奶奶{COOK}做了饭\x00，a\u200db"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{typed}\n:as 王老师\n/due\n/quit\n", WEEKDAY)
    due = after(out, "/due")
    assert f"“孩子想爸妈了{FAMILY}，奶奶{COOK}做了饭，ab”" in due, ascii(due)
    assert "👨👩👧" not in due and "\u202e" not in due and "\x00" not in due


def test_a_lone_joiner_still_says_nothing(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n\u200d\n/quit\n", WEEKDAY, "--lang", "en")
    said = after(out, "\u200d")
    assert "didn't understand" not in said.lower() and "\u200d" not in said, said
