"""A child beaten or hurt by someone is urgent, whoever writes it and however (fix6af, a new-user trial).

``孩子被打了`` from 杨秀云's grandfather went to 王老师 as an ordinary message, and at the Friday check-in it was
"needs help" followed by "what kind of help?"; only ``孩子被人打了，脸上都是血`` was 【紧急】.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"
FRIDAY = "2026-12-04 17:58"


@pytest.mark.parametrize("words", ["孩子被打了", "杨秀云被打了", "秀云挨打了", "孩子被他爸揍了", "孩子在学校被欺负了"])
def test_beaten_in_any_wording_is_urgent(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{words}\n/quit\n", WEEKDAY, "--all")
    reply = after(out, words)
    assert reply.startswith("如果孩子被人打伤或还有危险，请马上拨打110报警")
    assert "已作为紧急消息马上转给王老师（班主任）" in reply
    assert "[→ 王老师（班主任）]\n【紧急】（2026年12月2日 10:00）张强" in reply
    assert "疑似虐待或忽视（成人所为）" in reply  # harm at home is reported so the family is not told


@pytest.mark.parametrize("words", ["孩子打针了", "孩子没被打", "同学老欺负他", "孩子打架了", "给孩子打电话没人接"])
def test_everyday_words_with_a_blow_in_them_are_no_emergency(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{words}\n/quit\n", WEEKDAY, "--all")
    assert "【紧急】" not in after(out, words)


def test_beaten_at_the_check_in_records_needs_help_and_goes_urgent(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n孩子被打了\n1\n/quit\n", FRIDAY, "--all")
    reply = after(out, "孩子被打了")
    assert "【紧急】（2026年12月4日 18:00）张强" in reply
    assert "已记录：杨秀云这周需要帮助。" in reply
    assert "杨秀云的监护人张强在每周联系中选择了“需要帮助”" in reply  # the helper teacher calls
    assert "需要哪方面的帮助" not in reply  # told what to do now; no question about the kind of help
    assert "1. 很好" not in after(out, "1")  # the week was answered: a stray 1 records nothing


def test_beaten_in_english_is_urgent(monkeypatch, tmp_path, sample_roster):
    words = "my granddaughter was beaten by older kids"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\nhello teacher\n{words}\n/quit\n", WEEKDAY,
                   "--all", "--lang", "en")
    reply = after(out, words)
    assert reply.startswith("If a child has been hurt by someone and is in danger, call 110")
    assert "URGENT (Dec 2, 2026 10:00)" in reply
    assert "Please first answer" not in reply  # never held behind the earlier ordinary message


def test_words_about_another_family_s_child_are_urgent_too(monkeypatch, tmp_path, sample_roster):
    words = "隔壁王家小军被他爸打了，身上都是伤"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n今天天冷\n{words}\n/quit\n", WEEKDAY, "--all")
    reply = after(out, words)
    assert "已作为紧急消息马上转给张老师（班主任）" in reply
    assert "[→ 张老师（班主任）]\n【紧急】" in reply
    assert "请先回答上面的问题" not in reply  # not held behind her earlier message


def test_beaten_naming_neither_of_two_children_records_no_guess(monkeypatch, tmp_path, sample_roster):
    # 李雪 has 刘婷婷 and 刘帅: which child was beaten is never guessed onto a check-in; the words go urgent.
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as 李雪\n孩子被打了\n/quit\n", FRIDAY, "--all")
    reply = after(out, "孩子被打了")
    assert "[→ 张老师（班主任）]\n【紧急】" in reply
    assert "已记录" not in reply


def test_beaten_in_english_at_the_check_in_records_needs_help(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\nshe was beaten\n/quit\n", FRIDAY,
                   "--all", "--lang", "en")
    reply = after(out, "she was beaten")
    assert "URGENT (Dec 4, 2026 18:00)" in reply
    assert "Recorded: 杨秀云 this week: Needs help." in reply
    assert "What kind of help" not in reply
