"""Tester findings of the aid9c round (issue 9): a double aid entry after a save, and a left child's aid.

A bare ``1`` after "资助已登记。" reopens 登记资助, and the same answers typed again would record the same aid
twice: the same aid (child, kind, amount or items, day) asks before it is saved again, "no" first. A child
who left the school: the principal reads her aid ledger, marked 已离校（date）as her card is, and adds only aid
given before she left (issue 9).
"""

from __future__ import annotations

from pathlib import Path

from tests.support.demo import after, left_school, run_demo

AT = "2026-12-02 10:00"  # a Wednesday, school time
WAITING = ":as #43\n孩子发烧两天了\n:as 王老师\n"  # the grandfather's message waits for 王老师 in the same chat
CASH_500 = "1\n1\n500\n县教育局\n1\n"  # 登记资助 → 现金 → 500 → 县教育局 → 今天
SAVE = "保存\n"  # what will be saved is shown first, then saved (fix6ad)
LINE = "• 2026年12月2日 现金：¥500.00——来源：县教育局，发放人：王老师"


def _tail(out: str, marker: str) -> str:
    """Everything the demo printed after the last ``marker``."""
    return out.rsplit(marker, 1)[1]


def test_the_same_aid_again_asks_before_it_is_saved(monkeypatch, tmp_path, sample_roster):
    # The save, then the same five answers by habit: asked, and a bare 1 keeps the ledger as it is.
    script = WAITING + "/aid 杨秀云\n" + CASH_500 + SAVE + CASH_500 + "1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert out.count("资助已登记。") == 1
    asked = _tail(out, "什么时候发放的？日期如11月20日，或：\n1. 今天\n\n> 1\n")
    assert asked.startswith("已登记过一笔相同的资助，还要再登记吗？\n1. 不用了，不再登记 2. 还要再登记一笔\n\n> 1\n"
                            "好的，没有再登记。\n\n杨秀云的资助记录：\n" + LINE + "\n1. 登记资助")
    assert out.count(LINE) == 2  # the ledger after the save, and after "not again": one record


def test_the_same_aid_is_recorded_again_when_the_teacher_says_so(monkeypatch, tmp_path, sample_roster):
    script = WAITING + "/aid 杨秀云\n" + CASH_500 + SAVE + "/aid 杨秀云\n" + CASH_500 + "2\n" + SAVE + "/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert _tail(out, "> 保存\n").startswith(f"资助已登记。\n\n杨秀云的资助记录：\n{LINE}\n{LINE}\n1. 登记资助")


def test_other_aid_the_same_day_is_not_asked_about(monkeypatch, tmp_path, sample_roster):
    # 300 yuan after 500 the same day: different aid, saved at once.
    script = WAITING + "/aid 杨秀云\n" + CASH_500 + SAVE + "1\n1\n300\n县教育局\n1\n" + SAVE + "/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert out.count("资助已登记。") == 2 and "已登记过一笔相同的资助" not in out


def test_the_same_aid_again_asks_in_english(monkeypatch, tmp_path, sample_roster):
    script = "/aid 杨秀云\n" + CASH_500 + "Save\n" + CASH_500 + "1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert out.count("Aid recorded.") == 1
    assert _tail(out, "> 县教育局\n").split("> 1\n", 1)[1].startswith(
        "The same aid is already recorded. Record it again?\n"
        "1. No, don't record it again 2. Yes, record it again\n\n> 1\nNot recorded again.\n\nAid given to 杨秀云:")


# 王老师 records 500 yuan for 杨秀云 on 18 November; on the 20th the school re-imports its roster without her and
# applies the removals (tests.support.demo.left_school); on 2 December the principal opens her aid.
def _left_school(monkeypatch, tmp_path, sample_roster) -> tuple[str, Path]:
    return left_school(monkeypatch, tmp_path, sample_roster, "/aid 杨秀云\n" + CASH_500 + SAVE, "资助已登记。")


def test_the_principal_records_a_left_childs_aid_given_before_she_left(monkeypatch, tmp_path, sample_roster):
    """Aid given while she was at school is still recorded (issue 9); none dated after she left."""
    url, roster = _left_school(monkeypatch, tmp_path, sample_roster)
    script = (":as 王校长\n/aid 杨秀云\n1\n1\n100\n跳过\n12月1日\n1\n11月19日\n保存\n"
              ":as 王老师\n/aid 杨秀云\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, roster, script, AT, "--database", url)
    ledger = after(out, "/aid 杨秀云")
    assert ledger.startswith("已离校（2026-11-20）\n杨秀云的资助记录：\n"
                             "• 2026年11月18日 现金：¥500.00——来源：县教育局，发放人：王老师")
    assert "1. 登记资助" in ledger  # aid given before she left may still be recorded
    assert after(out, "12月1日").startswith("杨秀云已于2026年11月20日离校，不能登记离校之后的资助\n\n什么时候发放的？")
    assert after(out, "1", nth=3).startswith("杨秀云已于2026年11月20日离校，不能登记离校之后的资助")  # 今天 neither
    saved = after(out, "保存")
    assert saved.startswith("资助已登记。\n\n已离校（2026-11-20）\n杨秀云的资助记录：\n• 2026年11月19日 现金：¥100.00")
    # Her class teacher no longer has her: her aid is the school leaders' to read now.
    assert after(out, "/aid 杨秀云", nth=2).startswith("没有找到您可以查看资助记录的、名叫杨秀云的孩子。")


def test_a_left_childs_aid_is_marked_in_english(monkeypatch, tmp_path, sample_roster):
    url, roster = _left_school(monkeypatch, tmp_path, sample_roster)
    out = run_demo(monkeypatch, tmp_path, roster, ":as 王校长\n/aid 杨秀云\n/quit\n", AT, "--database", url,
                   "--lang", "en")
    ledger = after(out, "/aid 杨秀云")
    assert ledger.startswith("Left school (2026-11-20)\nAid given to 杨秀云:\n• ")
    assert "cash: ¥500.00" in ledger
