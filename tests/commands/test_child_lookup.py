"""``guanai audit``, ``erase`` and ``consent`` name one child: a name matching none or several is refused.

The access schools have three children named 张三: the admin is shown each, with the class, #id and student
number, to run the command again; nothing is read, erased or recorded.
"""

from __future__ import annotations

import pytest

from bot.cli import main


@pytest.mark.parametrize("command", [("audit",), ("erase", "--yes"), ("consent", "--agree")])
def test_a_name_matching_no_child_or_several_is_refused_and_the_several_are_listed(cli_db, capsys, command) -> None:
    _uows, t = cli_db
    name, *flags = command
    assert main([name, "没有这个孩子", *flags]) == 1
    assert capsys.readouterr().err == "没有与“没有这个孩子”匹配的儿童。\n"
    assert main([name, "张三", *flags]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "有多名儿童与“张三”匹配，请给出学籍号或 #编号："
    assert sorted(err[1:]) == sorted([f"  #{t.zs_a} 张三（三年级1班），学籍号S1",
                                      f"  #{t.zs_b} 张三（三年级2班），学籍号S2",
                                      f"  #{t.other_child} 张三（一年级1班），学籍号S1"])  # the other school's
    assert main([name, f"#{t.zs_b}", *flags]) == 0  # by its #id: the one child
