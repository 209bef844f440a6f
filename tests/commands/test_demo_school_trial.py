"""Issue 9's trial of the demo as the principal, a teacher and the town's official: figures, exports, consent."""

from __future__ import annotations

from tests.support.demo import after
from tests.support.demo import run_demo as _demo

ONE_TALK = "/talk 杨秀云\n1\n1\n1\n1\n跳过\n1\n1\n"  # 王老师 saves one talk card: all good, no concern, no follow-up


def test_the_official_sees_one_talk_done_of_the_schools_122_as_under_5(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ONE_TALK + ":as 镇教育办张科长\n/report\n/quit\n",
                "2026-12-04 17:58")
    shown = after(out, "/report")
    # 1 of 122: no numerator nor percentage to work the 1 out from (fixc), the band ≤ceil(400/122)% (fix9b)
    assert "• 班主任每月谈心：<5/122 (≤4%)\n" in shown
    assert "• 示例县清溪镇中心小学：122名儿童；建档 122/122 (100.0%)；每月谈心 <5/122 (≤4%)；" in shown
    figures, footer = shown.split("为保护儿童隐私，", 1)  # the footer states the rule, "(<5)" included
    assert "(<5)" not in figures and "王老师" not in shown
    assert footer.startswith("不到5（1至4）的数字显示为<5，会透露这类数字的比率显示为区间、(<5)或*。")


def test_the_export_menu_is_numbered_and_a_number_picks_the_file(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ":as 镇教育办张科长\n/export\n2\n/quit\n", "2026-12-04 17:58")
    assert ("1. 统计表 — 留守儿童基本情况统计表（先校验） 2. 统计 — 各班级、学校和乡镇的统计数据（可加 学期 或 学年）"
            in after(out, "/export"))
    # The town education office oversees the one school: the file is named after it, not "全县" (trial).
    assert "[guanai-files/示例县清溪镇中心小学-统计数据-2026年12月-导出2026-12-04.xlsx]" in after(out, "2")


def test_the_principal_sees_only_the_talks_each_person_owes(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/report\n/quit\n", "2026-12-04 17:58")
    shown = after(out, "/report")
    assert "• 王老师（一年级（1）班）：每月 0/7 (0.0%)；已错过 0\n" in shown  # a class teacher owes no weekly talk here
    # A helper owes no monthly talk, and week 50 is not due yet: the people with nothing due share one line
    # (a new-user trial read 20 volunteers' "每周 暂无到期" lines in a 60-line /report).
    idle = next(line for line in shown.splitlines() if line.startswith("• 以下 "))
    assert idle.startswith("• 以下 20 人暂无到期的谈心：") and "唐老师" in idle and "王老师" not in idle
    assert "唐老师：每周" not in shown
    assert "每月 —" not in shown and "每周 —" not in shown


WITHDRAW = ":as #43\n/privacy\n1\n撤回同意\n:as 王老师\n/talk 杨秀云\n/quit\n"  # the grandfather takes his yes back


def test_a_teacher_is_told_the_guardian_withdrew_consent_and_when(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, WITHDRAW, "2026-12-04 17:58")
    assert after(out, "/talk 杨秀云").startswith("杨秀云的监护人已撤回同意（2026年12月4日），因此不能保存谈心记录。")
    assert "尚未同意" not in after(out, "/talk 杨秀云")


def test_a_teacher_is_told_the_guardian_withdrew_consent_in_english(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, WITHDRAW.replace("撤回同意", "Withdraw consent"),
                "2026-12-04 17:58", "--lang", "en")
    assert after(out, "/talk 杨秀云").startswith(
        "杨秀云's guardian withdrew consent on December 4, 2026, so no talk record can be kept.")


def test_the_import_summary_says_what_no_consent_means_and_what_the_demo_entered(monkeypatch, tmp_path,
                                                                                 sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, "/quit\n", "2026-12-04 17:58")
    assert ("已记录监护人同意的儿童：122名中0名（0%）。监护人同意之前，该儿童不会收到每周联系，也不能保存谈心记录。"
            "监护人加入聊天时会被询问；") in out  # the sample roster has no 监护人同意 column
    assert "演示：已为122名儿童录入示例学校的签字纸质同意书，因此可以试用谈心和每周联系。" in out
    assert "监护人同意情况：122名儿童中0名已同意" not in out


def test_the_officials_due_points_at_the_figures_not_well_done(monkeypatch, tmp_path, sample_roster):
    out = _demo(monkeypatch, tmp_path, sample_roster, ":as 镇教育办张科长\n/due\n/quit\n", "2026-12-04 17:58")
    assert after(out, "/due").startswith("您没有待办事项：各校的谈心和任务由学校教职工完成。发送 /report（统计）")
    assert "做得很好" not in after(out, "/due")
