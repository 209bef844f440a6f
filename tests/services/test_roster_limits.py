"""Roster files beyond the limits are refused before they are expanded (issue 10, item 11)."""

from __future__ import annotations

import csv
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from bot.adapters.roster_files import RosterLimits
from bot.domain.roster import RosterFileError
from tests.services.test_roster import CHILD_HEADER, counts, messy_workbook, run_import
from tests.services.test_roster_cells import with_cell


def _patch_sheet(path: Path, edit) -> Path:
    """Rewrite the first worksheet's XML of a workbook (what an attacker's writer would produce)."""
    patched = path.with_name("patched-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(item, data)
    return patched


def _huge_merge(xml: str) -> str:
    xml = re.sub(r"<mergeCells[^>]*>.*?</mergeCells>", "", xml, flags=re.S)
    return xml.replace("</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A2:XFD1048576"/>'
                                        "</mergeCells>")


def test_a_small_workbook_merging_a_whole_sheet_is_refused_fast_and_small(uow_factory, tmp_path: Path) -> None:
    path = _patch_sheet(messy_workbook(tmp_path / "m.xlsx"), _huge_merge)
    assert path.stat().st_size < 100 * 1024

    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(RosterFileError) as refused:
        run_import(uow_factory, path)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert refused.value.message_id.startswith("Sheet {sheet} of {file} merges more than {limit} cells")
    assert refused.value.params == {"file": path.name, "sheet": "花名册", "limit": 100_000}
    assert peak < 50 * 1024 * 1024, peak  # it took 2.6 GB before (issue 10)
    print(f"refused in {seconds:.3f} s, peak {peak / 1024 / 1024:.1f} MiB")
    assert all(n == 0 for n in counts(uow_factory).values())


def test_a_row_far_down_the_sheet_is_refused_before_the_rows_are_read(uow_factory, tmp_path: Path) -> None:
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    path = _patch_sheet(messy_workbook(tmp_path / "r.xlsx"), lambda xml: xml.replace("</sheetData>", far))

    with pytest.raises(RosterFileError) as refused:
        run_import(uow_factory, path)

    assert refused.value.message_id.startswith("Sheet {sheet} of {file} has more than {limit} rows")


def test_limits_are_settings_and_ordinary_files_pass_them(uow_factory, tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "ok.xlsx")
    assert run_import(uow_factory, path).written  # a merged title row is fine

    rows = tmp_path / "rows.csv"
    with rows.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([CHILD_HEADER] + [with_cell("备注", str(i)) for i in range(20)])
    with pytest.raises(RosterFileError) as too_many:
        run_import(uow_factory, rows, limits=RosterLimits(max_rows=10))
    assert too_many.value.params["limit"] == 10
    with pytest.raises(RosterFileError) as too_big:
        run_import(uow_factory, path, limits=RosterLimits(max_bytes=1024))
    assert too_big.value.message_id.startswith("{file} is larger than {limit} MB")
