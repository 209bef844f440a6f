"""What `guanai` prints is safe for the admin's terminal; roster limits are refused politely (issue 10, items 8, 11)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from bot.cli import main
from tests.services.test_roster import CHILD_HEADER, messy_workbook
from tests.services.test_roster_cells import with_cell
from tests.services.test_roster_limits import _huge_merge, _patch_sheet


def test_guanai_import_refuses_politely_in_chinese(empty_url, tmp_path: Path, capsys, monkeypatch) -> None:
    path = _patch_sheet(messy_workbook(tmp_path / "m.xlsx"), _huge_merge)
    shutil.move(path, tmp_path / "花名册.xlsx")
    monkeypatch.setenv("GUANAI_ROSTER_MAX_MERGED_CELLS", "5000")

    assert main(["import", str(tmp_path / "花名册.xlsx")]) == 2

    out = capsys.readouterr()
    assert "花名册.xlsx 的工作表 花名册 合并了超过 5000 个单元格；请取消合并" in out.out + out.err
    assert "Traceback" not in out.out + out.err


def test_escape_sequences_in_roster_cells_never_reach_the_terminal(empty_url, tmp_path: Path, capsys) -> None:
    path = tmp_path / "children.csv"
    retitle = "=HYPERLINK(1)\x1b]0;pwned\x07\x1b[2J"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([CHILD_HEADER, with_cell("姓名", retitle),
                                  with_cell("备注", "\x1b[31m红色\x1b[0m\u202e备注")])

    assert main(["import", str(messy_workbook(tmp_path / "school.xlsx"))]) == 0
    capsys.readouterr()
    main(["import", str(path)])

    out = capsys.readouterr()
    printed = out.out + out.err
    assert "HYPERLINK" in printed  # the rejection quotes the cell …
    assert "\x1b" not in printed and "\x07" not in printed and "\u202e" not in printed  # … without its escapes
