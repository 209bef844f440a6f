"""In English: the "which child?" re-asked in the close notice of one child's incident (fix6l, fix6p item 5).

李雪 looks after 刘帅 and 刘婷婷; 张老师 reports both missing and 李雪 acknowledges both alerts. Her ``found her``
is asked "which child?"; before she answers, 张老师 closes 刘帅's incident. The close notice asks again, for
刘婷婷 only, by words: a number typed from the old list is no answer, ``yes`` or her name passes the all clear to
those alerted about 刘婷婷, ``no`` takes it back. Her father 刘亮, with his alert about 刘婷婷 still waiting, reads
that alert again under the notice (:mod:`bot.services.agenda_return`).
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-02 16:00"
SCRIPT = (":as 张老师\nreport 刘帅\n3\n1\n放学后没回家\n1\nreport 刘婷婷\n3\n1\n放学后没回家\n1\n:wait 2m\n"
          ":as 李雪\n1\n1\nfound her\n:as 张老师\nclose\n1\n1\nskip\nconfirm close\n:as 李雪\n")
ASKED_AGAIN = ("Your words “found her” are still waiting: are they about 刘婷婷? If so, everyone alerted about "
               "刘婷婷's incident will be told.\n“Yes, about 刘婷婷” / “No, take it back”")


def _demo(monkeypatch, tmp_path, sample_roster, answers: str) -> str:
    return run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT + answers, AT, "--all", "--lang", "en")


def test_the_close_notice_asks_her_again_in_english(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "1\nyes\n")
    assert "1. 刘婷婷 2. 刘帅" in after(out, "found her")
    closed = after(out, "confirm close")
    [notice] = told_to(closed, "李雪 (entrusted guardian)")
    assert notice.startswith("The incident about 刘帅 (一年级（3）班)")
    assert "Outcome: The child has been found." in notice
    assert notice.rstrip().endswith(ASKED_AGAIN)  # the old list (2. 刘帅) is no longer the question
    [father] = told_to(closed, "刘亮 (parent working away)")
    assert father.rstrip().endswith("1. Acknowledge")  # his alert about 刘婷婷 is still his question
    stale = after(out, "1", "confirm close")
    assert "cannot be answered with a number" in stale and stale.rstrip().endswith(ASKED_AGAIN)
    assert "[→" not in stale  # nobody told anything
    passed = after(out, "yes", "confirm close")
    assert "Your words about 刘婷婷 were passed to those alerted about the incident: 张老师, 刘亮." in passed
    assert any("“found her”" in m for m in told_to(passed, "刘亮 (parent working away)"))


@pytest.mark.parametrize("typed", ["刘婷婷", "Yes, about 刘婷婷"])
def test_her_name_or_the_answer_words_pass_the_all_clear(monkeypatch, tmp_path, sample_roster, typed):
    out = _demo(monkeypatch, tmp_path, sample_roster, f"{typed}\n")
    assert told_to(after(out, typed, "confirm close"), "刘亮 (parent working away)")


def test_no_takes_it_back_in_english(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "No, take it back\n")
    answered = after(out, "No, take it back", "confirm close")
    assert answered.startswith("Your all clear was taken back: nothing was passed on as an all clear.")
    assert not told_to(answered, "刘亮 (parent working away)")  # no all clear about 刘婷婷 by guess
    assert any("“found her”" in m for m in told_to(answered, "张老师 (class teacher)"))  # her words still reach one
