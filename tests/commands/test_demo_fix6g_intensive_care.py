"""Found, but fighting for life: ``找到了，在医院抢救``, ``在ICU``, ``正在急救``, ``送去抢救了`` are 【紧急】 (fix6g).

Testers found the grandfather's words after the alert about the missing 杨秀云 reached her class teacher as an
ordinary reply: a child in resuscitation or intensive care is a medical emergency like 抽搐 or 昏迷, and the
teacher must phone the family at once. A first-aid course (``抢救知识培训``) and ``不用抢救`` stay ordinary.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AFTERNOON = "2026-12-02 16:00"
MISSING_XIUYUN = "报告 杨秀云\n3\n1\n放学后没回家\n1\n:wait 2m\n:as #43\n1\n"


@pytest.mark.parametrize("words", ["找到了，在医院抢救", "在ICU", "正在急救", "送去抢救了"])
def test_resuscitation_or_intensive_care_is_urgent_to_the_class_teacher(monkeypatch, tmp_path, sample_roster,
                                                                       words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING_XIUYUN}{words}\n/quit\n", AFTERNOON, "--all")
    told = after(out, words)
    assert "拨打120" in told.split("[→ ", 1)[0]
    assert any(m.startswith("【紧急】") and f"“{words}”" in m for m in told_to(told, "王老师（班主任）"))


@pytest.mark.parametrize("words", ["找到了，在医院抢救", "在ICU", "送去抢救了"])
def test_at_the_alert_itself_resuscitation_is_urgent(monkeypatch, tmp_path, sample_roster, words):
    script = f"报告 杨秀云\n3\n1\n放学后没回家\n1\n:wait 2m\n:as #43\n{words}\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AFTERNOON, "--all")
    assert any(m.startswith("【紧急】") and f"“{words}”" in m for m in told_to(after(out, words), "王老师（班主任）"))


@pytest.mark.parametrize("words", ["学校下周有抢救知识培训", "不用抢救，擦破点皮"])
def test_a_first_aid_course_or_no_resuscitation_is_no_emergency(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{words}\n/quit\n", AFTERNOON, "--all")
    assert "【紧急】" not in after(out, words)
