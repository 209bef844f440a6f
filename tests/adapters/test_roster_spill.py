"""The parsed children's rows wait in an encrypted temporary file during an import (issue 7, item 6)."""

from __future__ import annotations

from datetime import date

from bot.adapters.roster_spill import BLOCK, ChildSpill
from bot.domain.roster import ChildRow


def test_rows_come_back_in_order_each_time_and_the_file_holds_no_name_in_clear() -> None:
    headings = {"name": "姓名", "student_no": "学籍号"}
    spill = ChildSpill()
    for i in range(BLOCK * 2 + 5):
        spill.append(ChildRow("花名册", i + 2, {"name": "王小明", "student_no": f"G{i:05d}",
                                             "birth_date": date(2015, 3, 4)}, headings))

    for _ in range(2):  # each step of the import reads them again
        rows = list(spill)
        assert len(rows) == len(spill) == BLOCK * 2 + 5
        assert [r.row for r in rows[:3]] == [2, 3, 4]
        assert rows[-1]["student_no"] == f"G{BLOCK * 2 + 4:05d}"
        assert rows[0]["birth_date"] == date(2015, 3, 4)
        assert all(r.headings is rows[0].headings for r in rows)

    spill._file.seek(0)
    raw = spill._file.read()
    assert "王小明".encode() not in raw and b"G00001" not in raw
    spill.close()


def test_an_empty_spill_is_false_and_yields_nothing() -> None:
    spill = ChildSpill()
    assert not spill and list(spill) == []
    spill.close()
