"""Issue 9 (trial): ``guanai demo --database FILE`` uses an existing database as it is, never imports over it.

A school tried the demo on its own database file, then ran it again with the sample roster still named: the
roster went in over what the school had done. Now only a new (empty) database gets the roster.
"""

from __future__ import annotations

import openpyxl

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
ONE_TALK = "/talk 杨秀云\n1\n1\n1\n1\n跳过\n1\n1\n"


def _without_first_child(sample_roster, tmp_path):
    book = openpyxl.load_workbook(sample_roster)
    assert book["留守儿童花名册"]["B2"].value == "杨秀云"
    book["留守儿童花名册"].delete_rows(2)
    path = tmp_path / "other.xlsx"
    book.save(path)
    return path


def test_a_second_demo_on_the_same_database_uses_it_as_it_is(monkeypatch, tmp_path, sample_roster):
    url = f"sqlite:///{tmp_path / 'school.db'}"
    first = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\n" + ONE_TALK + "/quit\n", AT,
                     "--database", url)
    assert "已将 roster-sample.xlsx 导入" in first and "已保存：与杨秀云的谈心记录。" in first
    other = _without_first_child(sample_roster, tmp_path)  # a roster that would drop 杨秀云 if imported
    again = run_demo(monkeypatch, tmp_path, other, ":as 王老师\n/talks 杨秀云\n/quit\n", AT, "--database", url)
    assert f"演示：按原样使用数据库 {url}（" in again and "122名儿童），没有向其中导入花名册。" in again
    assert "guanai import" in again
    assert "导入" not in again.split("演示：按原样使用数据库", 1)[0]  # no import summary before it
    assert "儿童：" not in again  # no counts of an import
    assert "王老师" in after(again, "/talks 杨秀云")  # the talk of the first run is there, she is still at school


def test_the_demo_says_so_in_english(monkeypatch, tmp_path, sample_roster):
    url = f"sqlite:///{tmp_path / 'school.db'}"
    run_demo(monkeypatch, tmp_path, sample_roster, "/quit\n", AT, "--database", url, "--lang", "en")
    again = run_demo(monkeypatch, tmp_path, sample_roster, "/quit\n", AT, "--database", url, "--lang", "en")
    assert f"Demo: using the database {url} as it is (" in again
    assert "122 children); nothing was imported into it. To bring a roster into it, run guanai import FILE." in again
    assert "Imported roster-sample.xlsx" not in again
