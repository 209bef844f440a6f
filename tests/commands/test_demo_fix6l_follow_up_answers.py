"""The talk card's follow-up question says what each answer does, the harmless one first (fix6l).

王老师 taps ``1`` down the card, answers the safety question ``2`` (有) and skips the note: the follow-up question
was still ``1. 是 2. 否``, so her next ``1`` filed a follow-up task she never meant. Now it reads
``1. 不需要跟进 2. 需要跟进：给我加一项跟进任务`` (English alike), and ``1`` adds no task of its own.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"
CARD = "谈心 杨秀云\n1\n1\n1\n2\n跳过\n"
ASKED = "杨秀云需要后续跟进吗？\n1. 不需要跟进 2. 需要跟进：给我加一项跟进任务\n"


def test_after_a_safety_concern_the_follow_up_answers_say_what_they_do(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{CARD}1\n/quit\n", WEEKDAY)
    assert after(out, "跳过").endswith(ASKED)
    summary = after(out, "1", "跳过")
    assert "安全隐患：有\n" in summary and "需要跟进：否\n" in summary


def test_tapping_1_down_the_card_files_no_follow_up_task(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "谈心 杨秀云\n1\n1\n1\n1\n1\n1\n1\n/quit\n", WEEKDAY)
    saved = after(out, "1", nth=7)
    assert saved.startswith("已保存：与杨秀云的谈心记录。")
    assert "已为您添加一项后续跟进任务" not in saved and "跟进任务" not in saved


def test_typed_words_still_answer_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{CARD}需要\n1\n/quit\n", WEEKDAY)
    assert "需要跟进：是\n" in after(out, "需要")


def test_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/talk 杨秀云\n1\n1\n1\n2\nskip\n1\n/quit\n", WEEKDAY,
                   "--lang", "en")
    assert "Does 杨秀云 need follow-up?\n1. No follow-up needed 2. Needs follow-up: add a task for me\n" in out
    assert "Follow-up needed: No\n" in after(out, "1", "skip")
