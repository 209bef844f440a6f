"""Skip and no words while closing an incident are never the note the whole chain reads (fix6r, break6 F1).

After the grandfather's all clear 王老师 closes the incident: the outcome is preset ("孩子已找到") and the
confirmation takes an optional note. ``跳过`` / ``skip`` became "说明：跳过" for everyone told; ``不用`` / ``no``
did too. At the outcome question ``跳过`` became outcome "other" with the note "跳过".
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
FOUND = ":wait 2m\n报告 杨秀云\n3\n放学后没回家\n1\n:as #43\n找到了\n:as 王老师\n结束事件\n"
FOUND_EN = ":wait 2m\nreport 杨秀云\n3\ndid not come home\n1\n:as #43\nfound her\n:as 王老师\nclose incident\n"


def test_skip_at_the_preset_confirmation_adds_no_note(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, FOUND + "跳过\n确认结束\n", FRIDAY, "--all")
    assert after(out, "跳过").startswith("不加说明：只发送结果。\n\n确认结束关于杨秀云")
    assert "说明：跳过" not in out
    assert "结果：孩子已找到" in after(out, "跳过")


def test_no_at_the_confirmation_keeps_the_incident_open(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, FOUND + "不用\n", FRIDAY, "--all")
    assert after(out, "不用").startswith("关于杨秀云的事件还没有结束，也没有通知任何人。")
    assert "说明：不用" not in out and "[→ 张强" not in after(out, "不用")


def test_in_english_skip_skips_and_no_keeps_it_open(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, FOUND_EN + "skip\nno\n", FRIDAY, "--all", "--lang", "en")
    assert after(out, "skip").startswith("No note: only the outcome will be sent.")
    assert after(out, "no").startswith("The incident about 杨秀云 is still open, and nobody was told anything.")
    assert "Details: skip" not in out and "Details: no" not in out


def test_skip_at_the_outcome_question_is_no_outcome(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "报告 杨婷\n2\n2\n发烧\n1\n结束事件\n跳过\n不要\n",
                   "2026-12-02 16:00", "--all")
    for typed in ("跳过", "不要"):
        said = after(out, typed)
        assert said.startswith("要结束关于杨婷的事件，请选择孩子现在的情况") and "1. 孩子在学校，安全" in said
    assert "说明：跳过" not in out and "结果：其他" not in out
