"""An admin who reported reads one message when the last step is missed too: the nobody-reached summary (fix9w).

刘主任 (admin) reports that 杨秀云 is hurt; nobody in her chain acknowledges. When the officials' step ran out, she
was sent "未能按时联系到：以下人员……张科长、李干事" and, at once, "联系链上无人确认收到……" listing them again. Now
only the summary, which names everyone with their numbers.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

SCRIPT = ":as 刘主任\n报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n:wait 3h\n/quit\n"


@pytest.mark.parametrize(("lang", "reader", "summary", "missed"), [
    ("zh_Hans", "刘主任（管理员）", "联系链上无人确认收到", "未能按时联系到"),
    ("en", "刘主任 (school admin)", "Nobody in the contact chain acknowledged", "Not reached in time"),
])
def test_the_reporting_admin_reads_the_summary_alone(monkeypatch, tmp_path, sample_roster, lang, reader, summary,
                                                     missed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, "2026-12-02 10:00", "--all",
                   *(["--lang", "en"] if lang == "en" else []))
    to_her = told_to(after(out, ":wait 3h"), reader)
    about_officials = [m for m in to_her if "张科长" in m]
    assert len(about_officials) == 1 and summary in about_officials[0], about_officials
    assert "138 0013 0306" in about_officials[0] and "李干事" in about_officials[0]
    assert any(m.startswith(missed) and "张强" in m for m in to_her)  # the earlier steps' notices still come
