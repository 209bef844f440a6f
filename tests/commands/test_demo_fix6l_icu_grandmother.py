"""``奶奶在ICU`` at an incident about 杨秀云: her grandmother's news, never the child's 【紧急】 (fix6l).

张强 (``:as #43``), grandfather of 杨秀云, answers the alert about her going missing and writes that her
grandmother is in intensive care. The words used to go to 王老师 as 【紧急】 ("可能是医疗急症") and told him to call
120, as if 杨秀云 were in the ICU. They are the family's words to the reporter; ``秀云在ICU`` stays 【紧急】.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

AFTERNOON = "2026-12-02 16:00"
REPORTED = ":as 王老师\n报告 杨秀云\n3\n1\n放学后没回家\n1\n:wait 2m\n:as #43\n"


@pytest.mark.parametrize("acknowledged", ["1\n", ""])
def test_grandmother_in_icu_reaches_the_reporter_as_words_not_urgent(monkeypatch, tmp_path, sample_roster,
                                                                    acknowledged):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{REPORTED}{acknowledged}奶奶在ICU\n/quit\n", AFTERNOON,
                   "--all")
    told = after(out, "奶奶在ICU")
    assert "120" not in told.split("[→", 1)[0]  # no ambulance advice to the grandfather
    teacher = told_to(told, "王老师（班主任）")
    assert any("“奶奶在ICU”" in m for m in teacher)
    assert not any("【紧急】" in m or "医疗急症" in m for m in teacher)


def test_the_child_in_icu_is_still_urgent(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{REPORTED}1\n秀云在ICU\n/quit\n", AFTERNOON, "--all")
    told = after(out, "秀云在ICU")
    assert any(m.startswith("【紧急】") and "可能是医疗急症" in m for m in told_to(told, "王老师（班主任）"))
