"""Issue 9 (trial): two people's exports in one demo shared a file name and the second replaced the first.

王校长 and then 刘主任 export the 花名册 the same day: each file is kept, and each is told its own path.
"""

from __future__ import annotations

import openpyxl

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
NAME = "guanai-files/示例县清溪镇中心小学-花名册-2026-12-04"


def test_two_peoples_exports_do_not_overwrite_each_other(monkeypatch, tmp_path, sample_roster):
    script = ":as 王校长\n/export 花名册\n:as 刘主任\n/export 花名册\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert f"[{NAME}.xlsx]" in after(out, "/export 花名册")
    assert f"[{NAME}-2.xlsx]" in after(out, "/export 花名册", nth=2)
    for path in (tmp_path / f"{NAME}.xlsx", tmp_path / f"{NAME}-2.xlsx"):
        assert openpyxl.load_workbook(path).sheetnames  # both are whole workbooks
        assert path.stat().st_mode & 0o777 == 0o600


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    script = ":as 王校长\n/export roster\n/export roster\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert f"[{NAME}.xlsx]" in after(out, "/export roster")
    assert f"[{NAME}-2.xlsx]" in after(out, "/export roster", nth=2)
