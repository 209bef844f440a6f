"""Issue 9 (trial): re-admitting who left, by name, and a leaver named only in a new file's 花名册.

The school removed helper teacher 唐老师 and the child 胥龙 (``--apply-removals --yes``, as in fix9v). An admin
brings back only 胥龙 (``--readmit 胥龙``), then 唐老师; a new file that lists 唐老师 only in its 花名册 (not in
the staff sheet) says she left, instead of one "unknown helper teacher" warning per row.
"""

from __future__ import annotations

import openpyxl

from tests.commands.test_import_readmit9v import _import, _state, _without_tang_and_xu


def _after_removals(monkeypatch, tmp_path, sample_roster, locale="zh_Hans") -> str:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", locale)
    _import(monkeypatch, str(sample_roster))
    _import(monkeypatch, _without_tang_and_xu(sample_roster, tmp_path), "--apply-removals", "--yes")
    return url


def test_readmit_names_who_comes_back(monkeypatch, tmp_path, sample_roster):
    url = _after_removals(monkeypatch, tmp_path, sample_roster)
    only_xu = _import(monkeypatch, str(sample_roster), "--readmit", "胥龙")
    left_on = only_xu.split("胥龙（一年级（1）班），曾于", 1)[1][:10]
    assert f"已重新接收：胥龙（一年级（1）班），曾于{left_on}离开；已记录。" in only_xu
    assert f"唐老师（帮扶教师）已于{left_on}离开，本文件中又有此人：未导入" in only_xu  # not named: still skipped
    child, tang, roles, pairings, changes = _state(url)
    assert child.active and tang.left_at is not None and roles == [] and pairings == 0
    assert [(c[0], c[2]) for c in changes[1:]] == [("child", None)]  # one re-admission in the audit: his

    tang_too = _import(monkeypatch, str(sample_roster), "--readmit", "唐老师", "--readmit", "无此人")
    assert f"已重新接收：唐老师（帮扶教师），曾于{left_on}离开；已记录。" in tang_too
    assert "--readmit 无此人：本文件中没有叫这个名字的已离开人员，未因此恢复任何人。" in tang_too
    _child, tang, roles, pairings, changes = _state(url)
    assert tang.left_at is None and roles == ["helper_teacher"] and pairings == 15
    assert [(c[0], c[2]) for c in changes[1:]] == [("child", None), ("person", None)]


def test_readmit_by_name_in_english(monkeypatch, tmp_path, sample_roster):
    _after_removals(monkeypatch, tmp_path, sample_roster, "en")
    out = _import(monkeypatch, str(sample_roster), "--readmit", "胥龙", "--readmit", "Nobody")
    assert "Re-admitted: 胥龙 (" in out and "Re-admitted: 唐老师" not in out
    assert "唐老师 (helper teacher) left on " in out
    assert "--readmit nobody: nobody of that name left and is in this file; nobody re-admitted for it." in out.lower()


def _tang_only_in_the_roll(sample_roster, tmp_path) -> str:
    book = openpyxl.load_workbook(sample_roster)
    staff = book["教职工"]
    [row] = [r for r in range(1, staff.max_row + 1) if staff.cell(r, 1).value == "唐老师"]
    staff.delete_rows(row)  # the 花名册 still names her in 15 rows
    path = tmp_path / "new.xlsx"
    book.save(path)
    return str(path)


def test_a_leaver_named_only_in_the_roll_is_said_to_have_left(monkeypatch, tmp_path, sample_roster):
    _after_removals(monkeypatch, tmp_path, sample_roster)
    out = _import(monkeypatch, _tang_only_in_the_roll(sample_roster, tmp_path))
    left_on = out.split("唐老师（帮扶教师）已于", 1)[1][:10]
    assert (f"唐老师（帮扶教师）已于{left_on}离开：文件中填写其姓名的15行已导入，但不含此人。如果此人已回来，"
            "请把其列入教职工表，再加上 --readmit 重新导入。") in out, out
    assert "没有名为 唐老师 的帮扶教师" not in out


def test_a_leaver_named_only_in_the_roll_in_english(monkeypatch, tmp_path, sample_roster):
    _after_removals(monkeypatch, tmp_path, sample_roster, "en")
    out = _import(monkeypatch, _tang_only_in_the_roll(sample_roster, tmp_path), "--readmit")
    assert "唐老师 (helper teacher) left on " in out
    assert (": the 15 rows naming them came in without them. If they are back, list them in the staff sheet and run "
            "again with --readmit.") in out, out
    assert "no helper teacher called 唐老师" not in out and "Re-admitted: 唐老师" not in out
