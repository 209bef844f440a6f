""""What kind of help?" and the note wait while the child's emergency is open, and words go to the reporter (fix6u).

A breaker: 张强 answered Friday's check-in "needs help"; 王校长 then reported that 杨秀云 split her head open in
the yard. Right after 张强 confirmed the alert, "杨秀云需要哪方面的帮助？" came back, and his
``孩子头还在流血吗`` went to the class teacher 王老师 as 【紧急】 rather than to 王校长 who reported the incident,
as his other words during the hold do.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"


def _script(answer: str) -> str:
    return (f":wait 2m\n:as #43\n{answer}\n:as 王校长\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n"
            ":as #43\n收到\n孩子头还在流血吗\n")


def test_the_kind_of_help_question_waits(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, _script("3"), FRIDAY, "--all")
    acked = after(out, "收到").split("[→")[0]
    assert "杨秀云需要哪方面的帮助？" not in acked
    assert "我再问您杨秀云需要哪方面的帮助" in acked


@pytest.mark.parametrize("answer", ["3", "1"])
def test_words_during_the_hold_go_to_the_reporter(monkeypatch, tmp_path, sample_roster, answer):
    out = run_demo(monkeypatch, tmp_path, sample_roster, _script(answer), FRIDAY, "--all")
    said = after(out, "孩子头还在流血吗")
    assert "请马上拨打120" in said
    assert "已马上转给王校长（事件报告人）" in said
    [reporter] = told_to(said, "王校长（校领导）")
    assert "“孩子头还在流血吗”" in reporter
    assert not any("【紧急】" in m for m in told_to(said, "王老师（班主任）"))
    mine = said.split("[→")[0]
    assert "需要哪方面的帮助？" not in mine and "还有什么想告诉老师的吗" not in mine  # still held
