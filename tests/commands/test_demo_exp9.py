"""Issue 9's trial findings of the exp9 round: what an official may export and is told, and a child who left.

The town's official (镇教育办张科长) asks for exports of children's records and is told plainly what she may
export instead; her figures state the suppression rule. The principal opens the card and the talks of a child
who has left the school: both say so at the top, with the date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.export_files import AGGREGATE_KINDS, ExportKind
from tests.support.demo import after, left_school, run_demo

AT = "2026-12-04 17:58"
OFFICIAL = ":as 镇教育办张科长\n"


ZH_REFUSALS = {"花名册": "花名册", "谈心": "谈心记录卡", "记录卡": "谈心记录卡", "事件": "突发事件记录",
               "结对": "结对名单", "资助": "资助台账"}
EN_REFUSALS = {"roster": "the roster (花名册)", "talks": "the talk record cards (谈心记录卡)",
               "incidents": "the incident timelines (突发事件)", "pairing": "the pairing list (结对名单)",
               "aid": "the aid ledger (资助台账)"}
ZH_MENU = "1. 统计表 — 留守儿童基本情况统计表（先校验） 2. 统计 — 各班级、学校和乡镇的统计数据（可加 学期 或 学年）"


def test_every_record_export_is_refused_to_the_official_by_name(monkeypatch, tmp_path, sample_roster):
    script = OFFICIAL + "".join(f"/export {word}\n" for word in ZH_REFUSALS) + "/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    for word, name in ZH_REFUSALS.items():
        said = after(out, f"/export {word}")
        assert said.startswith(f"只有学校领导和管理员可以导出{name}，因为其中有每个孩子的姓名和信息。"
                               "您可以导出不含任何孩子姓名的汇总数据——请回复编号，"
                               "或发送 /export 统计 或 /export 统计表：\n" + ZH_MENU), word
        assert "guanai-files" not in said  # no file at all, never an empty one


def test_the_official_picks_the_figures_after_the_refusal(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, OFFICIAL + "/export 花名册\n2\n/quit\n", AT)
    assert "[guanai-files/示例县清溪镇中心小学-统计数据-2026年12月-导出2026-12-04.xlsx]" in after(out, "2")


def test_every_record_export_is_refused_in_english(monkeypatch, tmp_path, sample_roster):
    script = OFFICIAL + "".join(f"/export {word}\n" for word in EN_REFUSALS) + "/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    for word, name in EN_REFUSALS.items():
        said = after(out, f"/export {word}")
        assert said.startswith(f"Only the school's leaders and admins may export {name}, because the file names "
                               "each child. You may export the aggregate tables, which name no child — reply with its "
                               "number, or send /export figures or /export registration:\n1. registration — "), word
        assert "guanai-files" not in said


def test_every_export_an_official_may_not_have_has_its_refusal():
    from bot.flows.export import RECORDS_NAMES

    assert set(RECORDS_NAMES) == set(ExportKind) - AGGREGATE_KINDS


@pytest.mark.parametrize(("lang", "rule"), [
    # One plain line since fix6m (the paragraph of every case was small print to an official).
    ("zh_Hans", "为保护儿童隐私，不到5（1至4）的数字显示为<5，会透露这类数字的比率显示为区间、(<5)或*。"),
    ("en", "To protect the children's privacy, counts under 5 (1 to 4) are shown as <5, and rates that would reveal "
           "them as a range, (<5) or *."),
])
def test_the_officials_report_states_the_suppression_rule(monkeypatch, tmp_path, sample_roster, lang, rule):
    out = run_demo(monkeypatch, tmp_path, sample_roster, OFFICIAL + "/report\n/quit\n", AT, "--lang", lang)
    figures = after(out, "/report").split("\n\n")[1]  # the full figures, after the summary (fix9y)
    assert figures.endswith("\n" + rule)  # the last line of the figures, under them
    assert "少于5的数字显示为<5。" not in out and "Counts under 5 are shown as <5 to protect" not in out


def test_the_principal_sees_no_suppression_rule(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/report\n/quit\n", AT)
    assert "为保护儿童隐私" not in after(out, "/report")  # the school's own leaders see exact counts


# A child who left: 王老师 talks with 杨秀云 on 18 November; on the 20th the school re-imports its roster without
# her and applies the removals (guanai import --apply-removals); on 4 December the principal opens her records.
ONE_TALK = "/talk 杨秀云\n1\n1\n1\n1\n跳过\n1\n1\n"  # 王老师 saves one talk card: all good, no concern, no follow-up


def _left_school(monkeypatch, tmp_path, sample_roster) -> tuple[str, Path]:
    return left_school(monkeypatch, tmp_path, sample_roster, ONE_TALK, "已保存：与杨秀云的谈心记录。")


def test_the_principal_sees_that_a_child_has_left_on_her_card_and_talks(monkeypatch, tmp_path, sample_roster):
    url, roster = _left_school(monkeypatch, tmp_path, sample_roster)
    script = ":as 王校长\n/card 杨秀云\n/talks 杨秀云\n:as 王老师\n/card 杨秀云\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, roster, script, AT, "--database", url)
    card = out.split("> /card 杨秀云\n", 1)[1]
    assert card.startswith("已离校（2026-11-20）\n杨秀云的档案（一年级（1）班）：\n• 班主任：王老师")
    assert "纠正" not in card.split("\n> ", 1)[0] and "更改" not in card.split("\n> ", 1)[0]  # history, read only
    talks = after(out, "/talks 杨秀云")
    assert talks.startswith("已离校（2026-11-20）\n与杨秀云的谈心记录（共1次，显示最近1次）：\n• 2026年11月18日")
    # Her class teacher no longer has her: the card is the school leaders' to read now.
    assert out.rsplit("> /card 杨秀云\n", 1)[1].startswith("没有找到您可以查看档案的、名叫杨秀云的孩子。")


def test_a_left_child_is_marked_in_english(monkeypatch, tmp_path, sample_roster):
    url, roster = _left_school(monkeypatch, tmp_path, sample_roster)
    script = ":as 王校长\n/card 杨秀云\n/talks 杨秀云\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, roster, script, AT, "--database", url, "--lang", "en")
    assert after(out, "/card 杨秀云").startswith("Left school (2026-11-20)\nCard of 杨秀云 (一年级（1）班):\n")
    assert after(out, "/talks 杨秀云").startswith(
        "Left school (2026-11-20)\nTalks with 杨秀云 (1 of 1, newest first):\n")


def test_a_child_at_school_is_not_marked(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/card 杨秀云\n/talks 杨秀云\n/quit\n", AT)
    assert after(out, "/card 杨秀云").startswith("杨秀云的档案（一年级（1）班）：\n")
    assert "已离校" not in out
