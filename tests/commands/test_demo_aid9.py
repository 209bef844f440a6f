"""Aid (资助) as the class teacher, the principal and the official act (issue 9, the aid items).

The class teacher records aid in chat (a bare ``500`` at the amount prompt is 500 yuan, a number anywhere
else is no answer); the principal's and the official's figures show the roster's 救助帮扶 column and the
aid recorded in the bot side by side; ``/export 资助`` is the aid ledger for the school's staff.
"""

from __future__ import annotations

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"
# 王老师 records 500 yuan cash for 杨秀云 with a grandfather's message waiting for her answer in the same chat.
RECORD = ":as #43\n孩子发烧两天了\n:as 王老师\n资助 杨秀云\n1\n1\n"


def _after(out: str, typed: str, nth: int = 1) -> str:
    """What the demo printed after the ``nth`` time ``typed`` was typed, up to the next line typed."""
    return out.split(f"> {typed}\n")[nth].split("\n> ", 1)[0]


def test_a_bare_number_is_the_amount_at_the_amount_prompt_only(monkeypatch, tmp_path, sample_roster):
    script = RECORD + "500\n500\n县教育局\n500\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert _after(out, "1", 2).startswith("金额（元，例如500）：")
    assert _after(out, "500", 1).startswith("资助来源（例如：县教育局、爱心企业）？\n1. 跳过")  # 500 yuan taken
    # At the source question 500 is neither its choice 1 (Skip) nor a source.
    assert _after(out, "500", 2).startswith("请直接输入要写的文字。如果要选“跳过”，请回复 1。\n\n资助来源")
    # At the date question 500 is no date and not "Today".
    assert _after(out, "500", 3).startswith("请回复 1，或直接回复答案的文字。\n\n什么时候发放的？")
    assert "• 2026年12月4日 现金：¥500.00——来源：县教育局，发放人：王老师" in out
    assert out.count("资助已登记。") == 1


def test_cash_needs_an_amount_and_a_kind_out_of_range_is_asked_again(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n资助 杨秀云\n1\n7\n1\n助学金\n300元\n1\n11月20日\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert _after(out, "7").startswith("请回复 1 到 6 之间的数字。\n\n杨秀云得到的是哪类资助？")
    assert _after(out, "助学金").startswith("现金资助请填写金额（元），例如500。\n\n金额（元，例如500）：")
    assert "• 2026年11月20日 现金：¥300.00——来源：—，发放人：王老师" in out


def test_goods_take_an_amount_or_the_items_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n/aid 杨秀云\n1\n2\n200\n1\n1\n/aid 杨秀云\n1\n3\nschool bag\n1\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert "The amount in yuan (e.g. 500), or the items given" in out
    assert "• December 4, 2026 goods: ¥200.00 — from —, given by 王老师" in out
    assert "stationery: school bag" in out
