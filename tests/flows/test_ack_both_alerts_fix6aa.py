"""``收到`` with alerts about two of her children on her screen acknowledges both (fix6aa, issue 6).

张老师 reports 刘婷婷 hurt, then 刘帅 missing; 李雪 was sent both alerts (刘帅's without its choices, to be asked
after 婷婷's). Her ``收到`` acknowledged 婷婷's only: 刘帅's chain went on as if she had never read it. A pure
acknowledgement now acknowledges every alert sent to her chat and not yet acknowledged, and she is told which.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
ALERTS = ":as 张老师\n报告 刘婷婷\n1\n1\n{hurt}\n1\n报告 刘帅\n3\n{missing}\n1\n:as 李雪\n"


def test_shoudao_acknowledges_both_alerts(monkeypatch, tmp_path, sample_roster):
    script = ALERTS.format(hurt="在操场摔倒了头破了", missing="放学后没回家") + "收到\n"
    told = after(run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all"), "收到")
    assert told.startswith("谢谢：已记录您对刘婷婷、刘帅事件通知的确认。")
    assert "还在等您回答" not in told
    teacher = "\n".join(told_to(told, "张老师（班主任）"))
    assert "确认收到关于刘婷婷" in teacher and "确认收到关于刘帅" in teacher


def test_ok_in_english_too(monkeypatch, tmp_path, sample_roster):
    script = ALERTS.format(hurt="fell in the playground", missing="not home after school") + "ok\n"
    told = after(run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all", "--lang", "en"), "ok")
    assert told.startswith("Thank you: your acknowledgement of the alert about 刘婷婷, 刘帅 is recorded.")
    assert "Still waiting for your answer" not in told
