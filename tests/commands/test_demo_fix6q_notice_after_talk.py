"""The chain's "not reached in time" for a missing child comes back after the talk it interrupted (fix6q).

A new-user trial: 王老师 reported 杨秀云 missing, began a routine talk with 杨婷, and the urgent notice arrived
mid-talk, queued behind it ("请先回答上面的问题…"). After "已保存" its "1. 结束事件" never came back. Urgent prompts
return once the interrupted question ends (DESIGN.md "Conversations").
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

WEDNESDAY = "2026-12-02 16:30"
SCRIPT = "{report}\n3\n1\n放学后没回家\n1\n{talk}\n1\n:wait 31m\n1\n1\n1\n1\n1\n1\n:wait 1m\n/quit\n"


@pytest.mark.parametrize(("lang", "report", "talk", "saved", "back"), [
    ("zh_Hans", "报告 杨秀云", "谈心 杨婷", "已保存：与杨婷的谈心记录。",
     "还在等您回答：\n\n未能按时联系到：张强（委托监护人，第1步）"),
    ("en", "report 杨秀云", "talk 杨婷", "Saved: the talk with 杨婷.", "Still waiting for your answer:\n\n"),
])
def test_the_not_reached_notice_returns_after_the_talk(monkeypatch, tmp_path, sample_roster, lang, report, talk,
                                                      saved, back):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT.format(report=report, talk=talk), WEDNESDAY,
                   "--lang", lang)
    done = after(out, "1", ":wait 31m", nth=6)
    assert done.startswith(saved)
    assert back in done and "杨秀云" in done.split(back, 1)[1]
    assert done.rstrip().endswith("1. 结束事件" if lang == "zh_Hans" else "1. Close incident")
