"""Words about a child named after 隔壁 / 邻居家的, harm words naming another child, bullying said actively,
and the close of a suspected-abuse report (trial B, fix6am).

张强 (grandfather of 杨秀云) typing ``隔壁刘帅这周没去上学，他奶奶病了`` at the Friday check-in had "杨秀云 needs
help" recorded; 李雪 typing ``隔壁杨秀云被她爷爷打了`` at 22:30 had her teacher told it may be about 刘婷婷 or 刘帅,
while 杨秀云's class teacher waited until 07:00 for a plain message; ``帅帅在学校有人欺负他`` was a plain note.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
NIGHT = "2026-12-02 22:30"


@pytest.mark.parametrize("words", ["隔壁刘帅这周没去上学，他奶奶病了", "邻居家的刘帅发烧了", "我们村的刘帅需要帮助"])
def test_a_neighbours_child_at_the_checkin_records_nothing_for_his_own(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n1\n", FRIDAY, "--all")
    said = after(out, words)
    assert said.startswith("我只能记录您自己孩子（杨秀云）的情况；关于别人的话没有记录，已转给老师。")
    assert "杨秀云这周过得怎么样？" in said and "需要帮助" not in said.split("已转给老师。")[0]
    assert not told_to(said, "唐老师（帮扶教师）")  # no "needs help" alert for 杨秀云
    [to_zhang] = told_to(said, "张老师（班主任）")  # 刘帅's class teacher still reads the words
    assert to_zhang.startswith("张强（杨秀云的家长，不是刘帅的家人）留言：")
    assert after(out, "1").startswith("谢谢！已记录：杨秀云这周很好。")


def test_a_neighbours_child_in_english(monkeypatch, tmp_path, sample_roster):
    words = "隔壁刘帅这周没去上学，他奶奶病了"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":wait 2m\n:as #43\n{words}\n", FRIDAY, "--all",
                   "--lang", "en")
    said = after(out, words)
    assert not told_to(said, "唐老师 (helper teacher)")
    assert "needs help" not in said.split("\n\n")[0]


def _night(monkeypatch, tmp_path, sample_roster, name: str, *extra: str) -> str:
    (tmp_path / name).mkdir()
    return run_demo(monkeypatch, tmp_path / name, sample_roster, f":as 李雪\n隔壁{name}被她爷爷打了\n", NIGHT,
                    "--all", *extra)


def test_harm_to_a_named_child_goes_urgent_to_her_teacher_at_night(monkeypatch, tmp_path, sample_roster):
    real = _night(monkeypatch, tmp_path, sample_roster, "杨秀云")
    said = after(real, "隔壁杨秀云被她爷爷打了")
    [to_wang] = told_to(said, "王老师（班主任）")  # at once, at 22:30: an emergency never waits for quiet hours
    assert to_wang.startswith("【紧急】（2026年12月2日 22:30）李雪（刘婷婷、刘帅的家长，不是杨秀云的家人）留言：")
    assert "疑似虐待或忽视" in to_wang and "报告 杨秀云" in to_wang
    [to_zhang] = told_to(said, "张老师（班主任）")
    assert "可能是刘婷婷、刘帅" not in to_zhang and "报告突发事件" not in to_zhang
    assert "不是刘婷婷、刘帅" in to_zhang
    # what she reads is the same whatever the name (never tells her a child exists: fix6ad)
    nobody = _night(monkeypatch, tmp_path, sample_roster, "王小虎")
    mine = after(nobody, "隔壁王小虎被她爷爷打了")
    assert said.split("\n[→ ")[0] == mine.split("\n[→ ")[0]
    assert not told_to(mine, "王老师（班主任）")


def test_harm_to_a_named_child_in_english(monkeypatch, tmp_path, sample_roster):
    said = after(_night(monkeypatch, tmp_path, sample_roster, "杨秀云", "--lang", "en"), "隔壁杨秀云被她爷爷打了")
    [to_wang] = told_to(said, "王老师 (class teacher)")
    assert to_wang.startswith("URGENT (") and "not of 杨秀云" in to_wang
    [to_zhang] = told_to(said, "张老师 (class teacher)")
    assert "not one of 刘婷婷" in to_zhang and "may be about one of" not in to_zhang


@pytest.mark.parametrize(("words", "urgent"), [
    ("帅帅最近身上有伤，是不是学校有人欺负他", True),
    ("帅帅在学校有人欺负他", True),
    ("帅帅在学校没人欺负他，挺好的", False),
    ("帅帅今天去打针了", False),
])
def test_bullying_said_actively_is_urgent(monkeypatch, tmp_path, sample_roster, words, urgent):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n{words}\n", "2026-12-02 10:00", "--all")
    to_zhang = told_to(after(out, words), "张老师（班主任）")
    assert to_zhang and to_zhang[0].startswith("【紧急】") is urgent


def test_bullying_said_actively_in_english_demo(monkeypatch, tmp_path, sample_roster):
    words = "帅帅在学校有人欺负他"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 李雪\n{words}\n", "2026-12-02 10:00", "--all",
                   "--lang", "en")
    said = after(out, words)
    assert said.startswith("If a child has been hurt by someone")
    assert told_to(said, "张老师 (class teacher)")[0].startswith("URGENT (")


@pytest.mark.parametrize(("lang", "first", "home"), [
    ((), "1. 孩子在学校，安全 2. 已移交儿童保护部门或公安", "6. 孩子在家，安全"),
    (("--lang", "en"), "1. The child is safe at school 2. Handed to child protection or the police",
     "6. The child is safe at home"),
])
def test_a_suspected_abuse_close_offers_home_last(monkeypatch, tmp_path, sample_roster, lang, first, home):
    script = "报告 杨秀云\n5\n身上有伤，说是爷爷打的\n1\n结束事件\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", *lang)
    asked = after(out, "结束事件")
    assert first in asked and home in asked
