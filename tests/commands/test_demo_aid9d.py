"""The aid recorded in the period per class (school, town) in ``/report``, and counts in English (aid9d).

The principal's per-class rows show each class's children given aid and the cash; an official's per-school
row follows the school line's rule (1–4 children shown ``<5``, no sum). English counts read ``1 child``,
``2 children`` (gettext plural forms), never ``1 children``. Two children of one name who left the school
the same day are told apart by their date of birth in the picker and atop their card, talks and aid.
"""

from __future__ import annotations

import re

import openpyxl

from tests.support.demo import after, reimport_without, run_demo

AT = "2026-12-04 17:58"
# 王老师 records 500 yuan cash for 杨秀云 and 300.5 for 丁倩, and a school bag for 李涛 (all 一年级（1）班).
THREE = (":as 王老师\n资助 杨秀云\n1\n1\n500\n1\n1\n1\n资助 丁倩\n1\n1\n300.5\n1\n1\n1\n"
         "资助 李涛\n1\n3\n书包一个\n1\n1\n1\n")


def test_per_class_rows_show_the_aid_recorded_and_an_official_sees_less_than_5(monkeypatch, tmp_path,
                                                                                 sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   THREE + ":as 王校长\n/report\n/export 统计\n:as 镇教育办张科长\n/report\n/quit\n", AT)
    principal = after(out, "/report")
    assert ("• 一年级（1）班：7名儿童；建档 7/7 (100.0%)；每月谈心 0/7 (0.0%)；每周谈心 —；每周联系 —；"
            "资助 3名儿童，现金800.50元\n") in principal
    assert "• 一年级（2）班：7名儿童；建档 7/7 (100.0%)；每月谈心 0/7 (0.0%)；每周谈心 —；每周联系 —；资助 0名儿童\n" \
        in principal
    # The 统计 sheet's rows per class carry the same figures (its aid columns: roster, children, cash).
    [path] = (tmp_path / "guanai-files").glob("*统计数据*.xlsx")
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    at = rows[0].index("花名册登记救助帮扶")
    assert [(r[0], *r[at + 1:at + 3]) for r in rows[1:3]] == [("一年级（1）班", 3, 800.5), ("一年级（2）班", 0, 0)]
    official = after(out, "/report", since=":as 镇教育办张科长")
    assert "• 示例县清溪镇中心小学：122名儿童；建档 122/122 (100.0%)；" in official
    [school_row] = [line for line in official.splitlines() if line.startswith("• 示例县清溪镇中心小学：")]
    assert school_row.endswith("；资助 <5名儿童")  # the school's row: no sum
    # The principal's chart is kept in the same demo folder: the official's is saved beside it as …-2 (fix9x).
    assert official.endswith("[guanai-files/report-2026-12-2.png]\n")
    assert (tmp_path / "guanai-files" / "report-2026-12.png").exists()
    assert "现金" not in official


def test_in_english_one_child_two_children(monkeypatch, tmp_path, sample_roster):
    script = (":as 王老师\n/aid 杨秀云\n1\n1\n500\n1\n1\n1\n:as 王校长\n/report\n"
              ":as 王老师\n/aid 丁倩\n1\n3\nschool bag\n1\n1\n1\n:as 王校长\n/report\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    first, second = out.split("> /report\n")[1:]
    assert "aid recorded this period: 1 child, cash 500 yuan in all" in first
    assert "• 一年级（1）班: 7 children; cards 7/7 (100.0%);" in first and "; aid 1 child, cash 500 yuan\n" in first
    assert "aid recorded this period: 2 children, cash 500 yuan in all" in second
    assert "; aid 2 children, cash 500 yuan\n" in second and "; aid 0 children\n" in second
    assert not re.search(r"\b1 children", out)


def _two_left(monkeypatch, tmp_path, sample_roster) -> tuple[str, object]:
    """Two 杨秀云 in 一年级（1）班 (朱瑞明 renamed), each given aid on 18 November, both gone on the 20th."""
    book = openpyxl.load_workbook(sample_roster)
    sheet = book["留守儿童花名册"]
    assert (sheet["B2"].value, sheet["B3"].value) == ("杨秀云", "朱瑞明")
    sheet["B3"] = "杨秀云"  # born 2021-03-18, 学籍号 G2020867228486; the first born 2021-08-21, G2020356204842
    two, without = tmp_path / "two.xlsx", tmp_path / "without.xlsx"
    book.save(two)
    sheet.delete_rows(2, 2)
    book.save(without)
    url = f"sqlite:///{tmp_path / 'school.db'}"
    script = (":as 王老师\n资助 杨秀云\n1\n1\n1\n500\n1\n1\n1\n资助 杨秀云\n2\n1\n3\n书包一个\n1\n1\n1\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, two, script, "2026-11-18 16:00", "--database", url)
    assert out.count("资助已登记。") == 2
    reimport_without(monkeypatch, url, without, gone=2)
    return url, without


def test_two_namesakes_who_left_are_told_apart_and_never_mixed(monkeypatch, tmp_path, sample_roster):
    url, roster = _two_left(monkeypatch, tmp_path, sample_roster)
    script = ":as 王校长\n/card 杨秀云\n2\n/talks 杨秀云\n2\n/aid 杨秀云\n1\n/aid 杨秀云\n2\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, roster, script, AT, "--database", url)
    picker = ("有2个孩子叫杨秀云，您指的是哪一个？\n1. 杨秀云（一年级（1）班；2021年8月21日出生，2026-11-20离校） "
              "2. 杨秀云（一年级（1）班；2021年3月18日出生，2026-11-20离校）")
    for command in ("/card 杨秀云", "/talks 杨秀云", "/aid 杨秀云"):
        assert after(out, command).startswith(picker), command
    card = after(out, "2", since="/card 杨秀云")
    assert card.startswith("已离校（2026-11-20）；2021年3月18日出生\n杨秀云的档案（一年级（1）班）：")
    assert "G2020867228486" in card and "G2020356204842" not in card
    talks = after(out, "2", since="/talks 杨秀云")
    assert talks.startswith("已离校（2026-11-20）；2021年3月18日出生\n还没有与杨秀云的谈心记录。")
    first = after(out, "1", since="/aid 杨秀云")
    assert first.startswith("已离校（2026-11-20）；2021年8月21日出生\n杨秀云的资助记录：\n")
    assert "¥500.00" in first and "书包" not in first
    aid_tail = out.split("> /aid 杨秀云\n")[2]
    second = after(aid_tail, "2")
    assert second.startswith("已离校（2026-11-20）；2021年3月18日出生\n杨秀云的资助记录：\n")
    assert "书包一个" in second and "¥500" not in second
