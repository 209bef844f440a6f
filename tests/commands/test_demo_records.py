"""`guanai demo` as a new English-reading class teacher tried it (issue 6 trial): a talk logged twice, the card."""

from __future__ import annotations

import re

from tests.support.demo import run_demo

AT = "2026-12-04 16:00"
CARD = "Good\nGood\nGood\nNo\n{note}\nYes\nSave\n"


def test_a_second_talk_is_asked_about_and_the_two_tasks_read_apart(monkeypatch, tmp_path, sample_roster):
    script = ("/talk 杨秀云\n" + CARD.format(note="Talked about missing her mother") + ":wait 10m\n"
              "/talk 杨秀云\nyes\n" + CARD.format(note="Skip") + "/tasks\n2\nDone\nVisited the grandfather\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    # The demo's clock runs on from 16:00 while the script is read: the minute is matched, not fixed.
    asked = re.search(r"> /talk 杨秀云\nYou already recorded this month's talk with 杨秀云 on Dec 4, 2026 16:0\d\. "
                      r"Record another one\?\n1\. Yes 2\. No\n", out)
    assert asked, out
    assert "> yes\nTalk with 杨秀云. How was the child's mood?" in out
    listed = out[out.index("> /tasks"):]
    first = re.search(r"• 杨秀云: follow up the talk of Dec 4, 2026 (16:0\d), by Dec 11, 2026 16:0\d\n", listed)
    second = re.search(r"• 杨秀云: follow up the talk of Dec 4, 2026 (16:1\d), by Dec 11, 2026 16:1\d\n", listed)
    assert first and second, listed
    assert re.search(r"> 2\nWhat about this task\?\n• 杨秀云: follow up the talk of Dec 4, 2026 16:1\d", out)
    assert "Done: the task is closed with your outcome." in out


def test_the_card_in_english_reads_the_forms_words_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/card 杨秀云\n/quit\n", AT, "--lang", "en")
    card = out[out.index("Card of 杨秀云"):]
    for line in ("• gender: female", "• ethnicity: Bouyei", "• schooling: primary school", "• boarding: no",
                 "• health: healthy", "• left-behind type: both parents away", "• guardianship assessment: fairly good",
                 "• family income: wages from work away", "• aid: temporary assistance",
                 "• address: 示例县清溪镇青山村2组27号"):  # the address is the school's own words
        assert line in card, line
    assert not re.search(r"• (gender|ethnicity|health|left-behind type|guardianship assessment|family income|aid): "
                         r"[\u4e00-\u9fff]", card)
