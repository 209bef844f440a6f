"""A safeguarding report never holds the accused family's check-in, nor names an incident to them (fix9z).

A breaker: 王老师 reported 刘帅 as 疑似虐待或忽视 at 17:56 on Friday. At the 18:00 check-in 李雪 — the family the
report is kept away from — answered 刘婷婷's question and read "关于刘帅的每周问题先等一等，等刘帅的突发事件结束后我
再问您…": the accused learnt the report existed. Now her check-in about 刘帅 is asked as usual.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:56"
ABUSE = "报告 刘帅\n5\n孩子身上有多处淤青，怀疑在家被打\n1\n:wait 5m\n:as 李雪\n"


def test_the_accused_family_is_asked_as_usual(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ABUSE + "1\n跳过\n1\n跳过\n/quit\n", FRIDAY)
    mine = out.split(":as 李雪", 1)[1]
    assert "突发事件" not in mine and "事件" not in mine, mine
    assert "刘帅这周过得怎么样？" in after(out, "跳过", since=":as 李雪")  # his question, asked at once
    assert "已记录：刘帅这周很好" in after(out, "1", since="跳过")


def test_a_number_is_recorded_for_him_not_refused(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ABUSE + "1\n跳过\n2\n/quit\n", FRIDAY)
    said = after(out, "2", since="跳过")
    assert "没有记录" not in said and "刘帅这周" in said, said
