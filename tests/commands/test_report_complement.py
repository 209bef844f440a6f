"""A small school beside a big one: officials cannot get its hidden counts back by subtraction (issue 9).

清溪镇 gets a third school, 溪边小学, with 3 left-behind children, 2 of them given
800 yuan; 河口小学 gives 6 of its 7 children 1999 yuan. The town's line and
河口小学's line together must not give away 溪边小学's 3, 2 and 800.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from bot.domain.enums import AidKind
from bot.services import aid
from bot.store.models import Child, School, SchoolClass
from bot.store.uow import UnitOfWorkFactory
from tests.support.cli import database_for_the_cli
from tests.support.figures_world import county
from tests.support.school import SchoolBuilder

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def _give(uow, child_id: int, amount: str) -> None:
    aid.record(uow, None, child_id=child_id, given_on=date(2026, 11, 20), kind=AidKind.CASH,
               amount=Decimal(amount), items=None, source="县教育局", given_by="王老师", now=NOW)


def _small_school_beside_hekou(uows: UnitOfWorkFactory) -> None:
    world = county(uows)
    with uows() as uow:
        b = SchoolBuilder(uow.session, "溪边小学")
        village = uow.session.get(School, b.school_id)
        assert village is not None
        village.town = "清溪镇"
        klass = b.klass("一年级（1）班")
        row = uow.session.get(SchoolClass, klass)
        assert row is not None
        row.pupils_total = 12
        small = [b.child(f"溪{i}", f"X{i}", klass) for i in range(3)]
        _give(uow, small[0], "500")
        _give(uow, small[1], "300")
        hekou = [c.id for c in uow.session.query(Child).filter(Child.school_id == world.hekou)]
        for i, child_id in enumerate(hekou[:6]):
            _give(uow, child_id, "334" if i < 5 else "329")  # 1999 yuan
        uow.commit()


@pytest.fixture
def town_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database_for_the_cli(tmp_path / "cli.db", monkeypatch, NOW, _small_school_beside_hekou)


def _line(out: str, start: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(start))


def test_the_town_report_hides_a_sibling_so_the_small_school_cannot_be_worked_out(town_db, capsys):
    assert main(["report", "--town", "清溪镇"]) == 0
    out = capsys.readouterr().out
    village, hekou, qingxi = _line(out, "• 溪边小学"), _line(out, "• 河口小学"), _line(out, "• 清溪小学")
    assert "<5名儿童" in village and "800" not in village
    # 河口小学 is hidden too (the next-smallest school), so 18 − 8 leaves 河口 and 溪边 together.
    assert hekou.startswith("• 河口小学：*名儿童") and "1999" not in hekou and "资助 *名儿童" in hekou
    assert qingxi.startswith("• 清溪小学：8名儿童")
    assert "• 留守儿童：18名" in out or "18" in _line(out, "• 留守儿童")
    assert "现金合计2799元" in out  # the town's total is shown; no single school's cash beside it but 0
    assert "*：为防止通过合计推算出旁边不足5的数字，一并隐藏。" in out


def test_the_town_workbook_hides_the_same_cells(town_db, capsys, tmp_path):
    out = tmp_path / "town.xlsx"
    assert main(["export", "统计", "--town", "清溪镇", "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    header = list(rows["单位"] if "单位" in rows else next(iter(rows.values())))
    left = header.index("留守儿童")
    assert (rows["溪边小学"][left], rows["河口小学"][left], rows["清溪小学"][left], rows["清溪镇"][left]) == (
        "<5", "*", 8, 18)
    cash = next(i for i, h in enumerate(header) if h and "现金" in str(h))
    assert rows["溪边小学"][cash] is None and rows["河口小学"][cash] is None and rows["清溪镇"][cash] == 2799
