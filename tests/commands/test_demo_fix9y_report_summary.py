"""``/report`` opens with what needs action, a few lines a cheap phone shows whole (issue 9, fix9y).

The sample school's ``/report`` ran to 58 lines. Now its first message is the title, the total's figures that
are not done (monthly talks 0/122, pairings 79/122) and a line saying the full figures follow; complete ones
(cards 122/122) and the ones that only report (left-behind children, incidents, aid) are not in it.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


@pytest.mark.parametrize(("lang", "head", "needs", "asks", "complete", "follow"), [
    ("zh_Hans", "示例县清溪镇中心小学（学校）统计数据，2026-12：", "需要处理：",
     ["• 班主任每月谈心：0/122 (0.0%)", "• 有帮扶教师、爱心家长和学习伙伴的儿童：79/122 (64.8%)"],
     "档案完整", "完整数据见后面几条消息。"),
    ("en", "Figures for 示例县清溪镇中心小学 (school), 2026-12:", "Needs action:",
     ["• Monthly talks by class teachers: 0/122 (0.0%)",
      "• Children with a helper teacher, a volunteer and a study buddy: 79/122 (64.8%)"],
     "Complete cards", "The full figures follow in the next messages."),
])
def test_the_principal_reads_what_needs_action_first(monkeypatch, tmp_path, sample_roster, lang, head, needs, asks,
                                                     complete, follow):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/report\n/quit\n", AT, "--all", "--lang", lang)
    reply = after(out, "/report").strip("\n")
    summary, rest = reply.split("\n\n", 1)
    assert summary.splitlines() == [head, needs, *asks, follow]
    assert complete not in summary  # 122/122: nothing to do
    assert rest.startswith(head) and complete in rest  # the full figures follow, unchanged
    assert len(reply.splitlines()) > 50  # nothing was dropped: the rest is still there
