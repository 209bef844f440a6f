"""``No, she needs help`` a moment after answering "All good" is offered as a change (a new-user trial, fix6ao).

张强 answers the Friday check-in ``1`` (很好) for 杨秀云 and at once writes ``No, she needs help`` — no correction
word (``wrong``, ``I meant``), so before it stayed a note and the week stayed "All good". Within the minute after
the answer, a plain no (``No,`` / ``不是，`` / ``没有，``) before words naming another answer is asked about, as
fix6ak asks about a number: 「您是要把杨秀云这周改成“需要帮助”吗？」, never changed silently. ``没有`` or ``no`` alone
is the note, as before; so are the same words later than a minute after the answer.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
OFFER_EN = "Do you mean to change 杨秀云 this week to “Needs help”?\n1. Yes 2. No"
OFFER_ZH = "您是要把杨秀云这周改成“需要帮助”吗？\n1. 是 2. 不是"


def test_no_she_needs_help_is_offered_as_a_change_and_yes_changes_it(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n1\nNo, she needs help\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert after(out, "No, she needs help").startswith(OFFER_EN), after(out, "No, she needs help")
    changed = after(out, "1", "No, she needs help")
    assert changed.startswith("Changed: 杨秀云 this week: Needs help."), changed
    assert "What kind of help does 杨秀云 need?" in changed
    assert "[→ 唐老师 (helper teacher)]" in changed and "No, she needs help" in changed  # her words kept


def test_bu_shi_is_asked_and_no_keeps_the_answer_with_the_words_as_the_note(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n1\n不是，她需要帮助\n2\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert after(out, "不是，她需要帮助").startswith(OFFER_ZH), after(out, "不是，她需要帮助")
    kept = after(out, "2", "不是，她需要帮助")
    assert kept.startswith("好的，没有更改：杨秀云这周很好。"), kept
    assert "“不是，她需要帮助”\n写于每周联系回答“很好”之后。" in kept  # nothing she said is dropped


def test_meiyou_before_worry_words_is_asked_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n1\n没有，孩子发烧了\n/quit\n", AT)
    assert after(out, "没有，孩子发烧了").startswith(OFFER_ZH), after(out, "没有，孩子发烧了")


def test_no_alone_and_meiyou_alone_stay_as_before(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n1\n没有\n/quit\n", AT)
    assert "改成" not in after(out, "没有")
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n1\nno\n/quit\n", AT, "--lang", "en")
    assert "Do you mean to change" not in after(out, "no")


def test_a_minute_later_the_words_are_the_note(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n1\n:wait 2m\nNo, she needs help\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    late = after(out, "No, she needs help")
    assert "Do you mean to change" not in late and "Changed:" not in late, late
