"""``报告`` alone from 刘主任 (admin) asks which he means, as ``report`` does; a number is no name "in your classes".

A new-user trial (fix6q): 刘主任's ``报告`` went straight to "是哪个孩子？" and his ``2`` (meant for "figures")
read "在您负责的班级里没有找到名叫2的孩子" — he has no classes; English ``report`` asked Incident or Figures.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"


@pytest.mark.parametrize(("lang", "word", "which", "again", "missing"), [
    ("zh_Hans", "报告", "“报告”在这里可以有两种意思，您指的是哪一个？\n1. 报告突发事件 2. 查看统计数据",
     "只发数字我认不出是哪个孩子：请发送孩子的姓名。\n\n是哪个孩子？请发送姓名。",
     "在您的学校里没有找到名叫欧阳娜娜的孩子。"),
    ("en", "report", "“report” can mean two things here. Which do you mean?\n1. Report an incident 2. See the figures",
     "A number alone is no child's name: please send the child's name.\n\nWhich child is it about? Send the name.",
     "I couldn't find a child called 欧阳娜娜 in your school."),
])
def test_the_admins_bare_report_asks_which_and_a_name_is_looked_for_in_the_school(
        monkeypatch, tmp_path, sample_roster, lang, word, which, again, missing):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 刘主任\n{word}\n1\n2\n欧阳娜娜\n/quit\n", AT,
                   "--lang", lang)
    assert after(out, word).startswith(which)
    assert after(out, "2", word).startswith(again)  # a number is no name (fix6aj): the question again
    assert after(out, "欧阳娜娜").startswith(missing)


def test_a_class_teachers_bare_report_still_asks_which_child(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "报告\n/quit\n", AT)
    assert after(out, "报告").startswith("是哪个孩子？请发送姓名。")
