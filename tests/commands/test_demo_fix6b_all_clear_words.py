"""All clears new users wrote during an open incident reach everyone alerted, or ask which child (fix6b, issue 6).

Found by new users: ``杨秀云 is fine``, ``she is fine now``, ``we found her, she was at the neighbour's``,
``找到了，在邻居家``, ``回来了`` reached the reporting teacher only, while the parents far away kept worrying; a
grandmother of two children both missing had ``找到了`` passed as the all clear of whichever alert she
confirmed last; ``两个孩子都没事了`` from a guardian of three was applied to every child of hers. Questions and
negations still go to the teacher only, as before.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.support.all_clear_world import AFTERNOON, BOTH_MISSING, MISSING_XIUYUN
from tests.support.demo import after, run_demo, told_to

EVERYONE_ZH = "谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师、杨杨、谢冬梅。"
EVERYONE_EN = ("Thank you. Your words about 杨秀云 were passed to those alerted about the incident: "
               "王老师, 杨杨, 谢冬梅.")


# 杨秀云 is fine rates her like 杨秀云很好 (fix6ab): to the reporting teacher only; "is safe" is the news.
@pytest.mark.parametrize("words", ["杨秀云 is safe", "Xiuyun is fine now", "she is fine now",
                                   "we found her, she was at the neighbour's"])
def test_english_all_clears_reach_the_parents_too_questions_and_negations_do_not(monkeypatch, tmp_path,
                                                                                sample_roster, words):
    script = f"{MISSING_XIUYUN}she is fine?\nnot found\n{words}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AFTERNOON, "--all", "--lang", "en")
    for asked in ("she is fine?", "not found"):  # to the reporting teacher only, as before
        told = after(out, asked)
        assert "王老师" in told and EVERYONE_EN not in told
        assert not told_to(told, "杨杨 (parent working away)"), asked
    told = after(out, words)
    assert told.startswith(EVERYONE_EN)
    for parent in ("杨杨 (parent working away)", "谢冬梅 (parent working away)"):
        assert any(f"“{words}”" in m for m in told_to(told, parent)), parent


@pytest.mark.parametrize("words", ["找到了，在邻居家", "回来了", "人回来了"])
def test_chinese_all_clears_without_the_name_reach_the_parents_too(monkeypatch, tmp_path, sample_roster, words):
    script = f"{MISSING_XIUYUN}找到了吗\n还没找到\n没回来\n{words}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AFTERNOON, "--all")
    for asked in ("找到了吗", "还没找到", "没回来"):  # a question or a negation: the reporting teacher only
        told = after(out, asked)
        assert EVERYONE_ZH not in told and not told_to(told, "杨杨（外出务工父母）"), asked
    told = after(out, words)
    assert told.startswith(EVERYONE_ZH)
    assert any(f"“{words}”" in m and "张强说杨秀云没事了" in m for m in told_to(told, "杨杨（外出务工父母）"))


def test_two_children_missing_she_is_asked_which_child_is_found(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}找到了\n2\n/quit\n", AFTERNOON, "--all")
    asked = after(out, "找到了")
    assert asked.startswith("您说的“找到了”是关于哪个孩子的？收到这个孩子事件通知的人都会被告知。\n"
                            "1. 刘婷婷 2. 刘帅 3. 都有关")
    assert "转告" not in asked  # nothing passed on by a guess
    told = after(out, "2", "找到了")
    assert told.startswith("谢谢。您关于刘帅的话已转告收到这起突发事件通知的人：张老师")
    assert "您关于刘婷婷的话" not in told


def test_two_children_missing_english_she_is_fine_asks_which_child(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{BOTH_MISSING}she is fine now\n3\n/quit\n", AFTERNOON,
                   "--all", "--lang", "en")
    asked = after(out, "she is fine now")
    assert asked.startswith("Which child are your words “she is fine now” about?")
    assert "1. 刘婷婷 2. 刘帅 3. All of them" in asked
    told = after(out, "3", "she is fine now")
    assert "Your words about 刘婷婷 were passed" in told and "Your words about 刘帅 were passed" in told


@pytest.fixture
def three_roster(sample_roster: Path, tmp_path: Path) -> Path:
    """The sample roster with 田成 (一年级（3）班) also in 李雪's care: a guardian of three."""
    book = openpyxl.load_workbook(sample_roster)
    for row in book.worksheets[0].iter_rows(min_row=2):
        if row[1].value == "田成":
            row[19].value, row[20].value, row[21].value = "李雪", "外祖母", "15000131019"
    path = tmp_path / "roster-three.xlsx"
    book.save(path)
    return path


def test_two_of_three_with_one_missing_asks_which_child(monkeypatch, tmp_path, three_roster):
    script = ":as 张老师\n报告 刘帅\n3\n1\n放学后没回家\n1\n:wait 2m\n:as 李雪\n1\n两个孩子都没事了\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, three_roster, script, AFTERNOON, "--all")
    asked = after(out, "两个孩子都没事了")
    assert asked.startswith("您说的“两个孩子都没事了”是关于哪个孩子的？")
    assert "转告" not in asked
    assert after(out, "1", "两个孩子都没事了").startswith("谢谢。您关于刘帅的话已转告收到这起突发事件通知的人：张老师")


def test_two_of_three_with_exactly_two_missing_clears_those_two(monkeypatch, tmp_path, three_roster):
    script = (":as 张老师\n报告 刘帅\n3\n1\n放学后没回家\n1\n报告 田成\n3\n1\n放学后没回家\n1\n:wait 2m\n"
              ":as 李雪\n1\n1\n两个孩子都没事了\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, three_roster, script, AFTERNOON, "--all")
    told = after(out, "两个孩子都没事了")
    assert "您关于刘帅的话已转告" in told and "您关于田成的话已转告" in told
    assert "刘婷婷" not in told.split("\n\n")[0]
