"""The README's Friday-evening example as the grandfather lives it (fix6q, new-user trial item 3).

The check-in about 杨秀云 waits while her emergency is open; his second ``1`` records nothing, ``跳过`` has
nothing to skip and is no message for 王老师 (it was sent to her as a reply about the incident), and the close
notice brings the check-in back for his ``1``.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
ZH = (":wait 2m\n报告 杨秀云\n1\n1\n放学路上摔伤了膝盖\n1\n:as #43\n1\n1\n跳过\n"
      ":as 王老师\n结束事件\n1\n跳过\n确认结束\n:as #43\n1\n/quit\n")
EN = ZH.replace("跳过\n:as 王老师\n结束事件", "skip\n:as 王老师\nclose").replace("确认结束", "Confirm close")


@pytest.mark.parametrize(("lang", "script", "skip", "told"), [
    ("zh_Hans", ZH, "跳过",
     ("这没有记录为杨秀云这周情况的回答", "好的。现在没有需要跳过的问题", "谢谢！已记录：杨秀云这周很好。")),
    ("en", EN, "skip", ("That was not recorded as an answer about 杨秀云's week",
                        "All right. There is nothing to skip just now", "Thank you! Recorded: 杨秀云 this week: ")),
])
def test_the_readme_friday_evening(monkeypatch, tmp_path, sample_roster, lang, script, skip, told):
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--lang", lang)
    assert after(out, "1", ":as #43", nth=2).startswith(told[0])
    skipped = after(out, skip, ":as #43")
    assert skipped.startswith(told[1])
    assert not told_to(skipped, "王老师（班主任）") and not told_to(skipped, "王老师 (class teacher)")
    last = out.rsplit(":as #43\n", 1)[1]
    assert after(last, "1").startswith(told[2])
