"""The aid recorded in the period per class (school, town) in ``/report``, and counts in English (aid9d).

The principal's per-class rows show each class's children given aid and the cash; an official's per-school
row follows the school line's rule (1–4 children shown ``<5``, no sum). English counts read ``1 child``,
``2 children`` (gettext plural forms), never ``1 children``.
"""

from __future__ import annotations

import re

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
# 王老师 records 500 yuan cash for 杨秀云 and 300.5 for 丁倩, and a school bag for 李涛 (all 一年级（1）班).
THREE = (":as 王老师\n资助 杨秀云\n1\n1\n500\n1\n1\n资助 丁倩\n1\n1\n300.5\n1\n1\n"
         "资助 李涛\n1\n3\n书包一个\n1\n1\n")


def test_per_class_rows_show_the_aid_recorded_and_an_official_sees_less_than_5(monkeypatch, tmp_path,
                                                                                 sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   THREE + ":as 王校长\n/report\n:as 镇教育办张科长\n/report\n/quit\n", AT)
    principal = after(out, "/report")
    assert ("• 一年级（1）班：7名儿童；建档 7/7 (100.0%)；每月谈心 0/7 (0.0%)；每周谈心 —；每周联系 —；"
            "资助 3名儿童，现金800.50元\n") in principal
    assert "• 一年级（2）班：7名儿童；建档 7/7 (100.0%)；每月谈心 0/7 (0.0%)；每周谈心 —；每周联系 —；资助 0名儿童\n" \
        in principal
    official = after(out, "/report", since=":as 镇教育办张科长")
    assert "• 示例县清溪镇中心小学：122名儿童；建档 122/122 (100.0%)；" in official
    assert official.endswith("；资助 <5名儿童\n\n[guanai-files/report-2026-12.png]\n")  # the school's row: no sum
    assert "现金" not in official


def test_in_english_one_child_two_children(monkeypatch, tmp_path, sample_roster):
    script = (":as 王老师\n/aid 杨秀云\n1\n1\n500\n1\n1\n:as 王校长\n/report\n"
              ":as 王老师\n/aid 丁倩\n1\n3\nschool bag\n1\n1\n:as 王校长\n/report\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    first, second = out.split("> /report\n")[1:]
    assert "aid recorded this period: 1 child, cash 500 yuan in all" in first
    assert "• 一年级（1）班: 7 children; cards 7/7 (100.0%);" in first and "; aid 1 child, cash 500 yuan\n" in first
    assert "aid recorded this period: 2 children, cash 500 yuan in all" in second
    assert "; aid 2 children, cash 500 yuan\n" in second and "; aid 0 children\n" in second
    assert not re.search(r"\b1 children", out)
