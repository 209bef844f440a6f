"""A card only looked at is no unfinished work (a new-user trial): /due after /card lists, and replies work.

王老师 reads 丁倩's card (its corrections offered as numbers), then types /due to see what is waiting: the
grandfather's message with its Reply. Before, the whole card came back under the list as "back to what you were
doing", its numbers taking the Reply's place, and the teacher could not answer the grandfather by number.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"


def test_due_after_a_card_shows_the_familys_message_with_its_reply(monkeypatch, tmp_path, sample_roster):
    script = ":as #43\n孩子发烧两天了\n:as 王老师\n/card 丁倩\n/due\n1\n明天我去家访\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    due = after(out, "/due")
    assert due.startswith("张强（杨秀云的外祖父，一年级（1）班）留言：\n“孩子发烧两天了”\n"
                          "电话：138 0013 6956\n1. 回复"), due
    assert "继续您刚才没做完的事" not in due and "丁倩的档案" not in due
    assert after(out, "1").startswith("请写下给张强的回复（关于杨秀云）：")
    assert "[→ 张强（委托监护人）]\n王老师（杨秀云的班主任）回复了您的留言：\n“明天我去家访”" in out


def test_me_and_due_after_a_card_do_not_bring_the_card_back(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/card 丁倩\n/me\n/due\n/quit\n", WEEKDAY, "--lang", "en")
    assert "Back to what you were doing" not in after(out, "/due")


def test_due_after_a_misspelt_card_does_not_ask_did_you_mean_again(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/card 杨秀芸\n/due\n/quit\n", WEEKDAY)
    assert "您是指" in after(out, "/card 杨秀芸")
    due = after(out, "/due")
    assert "继续您刚才没做完的事" not in due and "杨秀芸" not in due, due
