"""A hidden rate in an official's 统计 workbook, laid out as every other rate (fixchart).

王老师 closes the one follow-up task of her talk with 杨秀云 in time; the education office's 张科长 exports 统计.
1 task of 1 is hidden (``(<5)`` in chat); its block still has the done count's mark, the due count's mark and
the rate's mark in the % column, like the blocks beside it.
"""

from __future__ import annotations

import openpyxl

from tests.support.demo import run_demo


def test_a_hidden_task_rate_has_the_layout_of_every_rate_in_the_workbook(monkeypatch, tmp_path,
                                                                        sample_roster) -> None:
    # The talk's answers: 好, 好, 好, no safety risk, no note, follow-up yes, save; then the task done.
    script = (":as 王老师\n谈心 杨秀云\n1\n1\n1\n1\n1\n2\n1\n/tasks\n1\n1\n已处理\n"
              ":as 镇教育办张科长\n/export 统计\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-03 10:00")
    [path] = (tmp_path / "guanai-files").glob("*统计数据*.xlsx")
    assert path.name in out
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    tasks, monthly = header.index("任务按时办结: 完成"), header.index("每月谈心: 完成")
    for row in rows[1:4]:  # the town, the school, the total
        assert row[monthly:monthly + 3] == ("<5", 122, "≤4%"), row
        # 1 task closed in time of 1 due: each count's mark, the rate's "(<5)" in the % column
        assert row[tasks:tasks + 3] == ("<5", "<5", "(<5)"), row
