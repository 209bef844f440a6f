"""Trial findings of the conv6l round (issue 6): incident alerts and the family's replies around them."""

from __future__ import annotations

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"
REPORT_LIU_SHUAI = ":as 张老师\n报告 刘帅\n1\n1\n课间摔倒，膝盖擦伤\n1\n"


def test_words_after_confirming_an_alert_follow_its_child(monkeypatch, tmp_path, sample_roster):
    script = REPORT_LIU_SHUAI + ":as 李雪\n收到\n他现在好点了吗？我晚上去接他\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    after = out.split("> 他现在好点了吗？我晚上去接他\n", 1)[1]
    assert "哪个孩子" not in after  # 刘婷婷 is not offered first: the alert was about 刘帅
    assert after.startswith("谢谢。您关于刘帅的留言已转给张老师（班主任）")
    to_teacher = after.split("[→ 张老师（班主任）]\n", 1)[1]
    assert to_teacher.startswith("李雪（刘帅的外祖母，一年级（3）班）留言：\n“他现在好点了吗？我晚上去接他”")


def test_words_after_confirming_an_alert_follow_its_child_in_english(monkeypatch, tmp_path, sample_roster):
    script = REPORT_LIU_SHUAI + ":as 李雪\n收到\nis he better now? I will fetch him tonight\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    after = out.split("> is he better now? I will fetch him tonight\n", 1)[1]
    assert "Which child" not in after.split("\n\n", 1)[0]
    assert "about 刘帅" in after.split("\n\n", 1)[0]
