"""A family's message queued behind a teacher's report comes back as soon as the report is sent (fix6r, F3).

王老师 is reporting 杨婷's fall when 张强's message about 杨秀云's fever arrives; she is told it will be sent
again once she has answered the question above. After "已报告" it waited behind the optional "1. 结束事件" line
until she typed something.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

WEDNESDAY = "2026-12-02 16:00"
SCRIPT = ("报告 杨婷\n1\n2\n:as #43\n孩子发烧两天了，我腿脚不好\n:as 王老师\n在操场摔倒了，膝盖擦伤\n1\n")
SCRIPT_EN = ("report 杨婷\n1\n2\n:as #43\nmy grandchild has had a fever for two days\n:as 王老师\n"
             "fell in the yard, scraped knee\n1\n")


def test_the_queued_message_comes_back_with_the_report_sent(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, WEDNESDAY, "--all")
    sent = after(out, "1", "在操场摔倒了，膝盖擦伤").split("\n\n[→ ", 1)[0]
    assert sent.startswith("已报告。")
    assert "1. 结束事件" not in sent
    assert "还在等您回答：" in sent and "“孩子发烧两天了，我腿脚不好”" in sent
    assert sent.endswith("1. 回复")


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT_EN, WEDNESDAY, "--all", "--lang", "en")
    sent = after(out, "1", "fell in the yard, scraped knee").split("\n\n[→ ", 1)[0]
    assert "Still waiting for your answer:" in sent and "“my grandchild has had a fever for two days”" in sent
    assert sent.endswith("1. Reply")
