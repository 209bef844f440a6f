"""The bureau's county figures pass the registration table's disclosure audit (issue 9, fix9h item 1).

Five schools in three towns, left-behind children 甲一小学 7, 甲二小学 1 (甲镇 8), 乙小学 1 (乙镇 1),
丙一小学 3, 丙二小学 6 (丙镇 9), the county 18. The sums rule alone (``suppress``) hid 甲二, 乙, 丙一 and
乙镇 as ``<5`` and 丙二 and 甲镇 as ``*``: but 18 − 9 = 甲镇 + 乙镇 and 18 − 7 − 9 = 甲二 + 乙, and since
甲镇 = 7 + 甲二 and 乙镇 = 乙, a reader gets 甲二 + 乙 = 2, so both are 1 — two schools' single children
given away. What the bureau sees now (chat and workbook) gives no small count back nor narrows one.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from bot.domain.enums import Role
from bot.domain.figures import MIN_SHOWN
from bot.domain.suppression import Suppressed, suppress
from bot.domain.suppression_audit import leaks, ranges
from bot.store.models import School
from bot.store.uow import UnitOfWorkFactory
from tests.support.cli import database_for_the_cli
from tests.support.school import SchoolBuilder

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
SCHOOLS = {"甲一小学": ("甲镇", 7), "甲二小学": ("甲镇", 1), "乙小学": ("乙镇", 1), "丙一小学": ("丙镇", 3),
           "丙二小学": ("丙镇", 6)}
TOWNS = {"甲镇": 8, "乙镇": 1, "丙镇": 9}


def _five_schools(uows: UnitOfWorkFactory) -> None:
    with uows() as uow:
        b = SchoolBuilder(uow.session, "甲一小学")
        for n, (name, (town, children)) in enumerate(SCHOOLS.items()):
            school_id = b.school_id if n == 0 else b.school(name)
            row = uow.session.get(School, school_id)
            assert row is not None
            row.town = town
            klass = b.klass("一年级（1）班", school=school_id)
            for i in range(children):
                b.child(f"{name[0]}{n}{i}", f"N{n}{i}", klass, school=school_id)
        b.person("孙科长", Role.EDUCATION_BUREAU)
        uow.commit()


@pytest.fixture
def county_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database_for_the_cli(tmp_path / "cli.db", monkeypatch, NOW, _five_schools)


def _truth() -> tuple[dict[Hashable, int], list[list[tuple[Hashable, int]]]]:
    values: dict[Hashable, int] = {"全县": 18, **TOWNS, **{s: n for s, (_t, n) in SCHOOLS.items()}}
    sums: list[list[tuple[Hashable, int]]] = [[("全县", -1), *((t, 1) for t in TOWNS)],
                                               [("全县", -1), *((s, 1) for s in SCHOOLS)]]
    sums += [[(t, -1), *((s, 1) for s, (town, _n) in SCHOOLS.items() if town == t)] for t in TOWNS]
    return values, sums


def test_the_sums_rule_alone_gave_two_single_children_away():
    values, sums = _truth()
    before = suppress(values, sums, MIN_SHOWN)
    assert ranges(values, sums, before, MIN_SHOWN)["甲二小学"] == (1, 1)


def _read(shown: dict[str, object]) -> Suppressed:
    """What the bureau's reader knows: a ``<5`` is 1–4, a ``*`` anything."""
    return Suppressed(frozenset(n for n, v in shown.items() if v == "<5"),
                      frozenset(n for n, v in shown.items() if v == "*"))


def test_the_county_workbook_gives_no_small_count_back(county_db, tmp_path):
    out = tmp_path / "county.xlsx"
    assert main(["export", "统计", "--county", "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    header = next(list(r) for r in rows if r and "留守儿童" in r)
    left = header.index("留守儿童")
    names = {"全县", *TOWNS, *SCHOOLS}
    shown = {"全县" if str(r[0]).startswith("合计") else r[0]: r[left] for r in rows
             if r and (r[0] in names or str(r[0]).startswith("合计"))}
    assert set(shown) == names
    values, sums = _truth()
    assert all(shown[n] == values[n] for n in shown if shown[n] not in ("<5", "*"))
    hidden = _read(shown)
    assert hidden.primary == {"甲二小学", "乙小学", "丙一小学", "乙镇"}
    assert not leaks(values, sums, hidden, MIN_SHOWN)  # neither given back nor narrowed within 1–4
    assert all(lo < hi for lo, hi in ranges(values, sums, hidden, MIN_SHOWN).values())


def test_the_county_report_in_chat_hides_the_same(county_db, capsys):
    assert main(["report", "--county"]) == 0
    out = capsys.readouterr().out
    lines = {name: next(line for line in out.splitlines() if line.startswith(f"• {name}：")) for name in SCHOOLS}
    values, sums = _truth()
    shown: dict[str, object] = {}
    for name, line in lines.items():
        count = line.split("：", 1)[1].split("名儿童", 1)[0]
        shown[name] = int(count) if count.isdigit() else count
    assert shown["甲二小学"] == shown["乙小学"] == "<5"
    # The towns and the county as the workbook shows them: the chat hides at least as much for the schools.
    assert shown["甲一小学"] == "*" or shown["丙二小学"] == "*"


def _audit_runs_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if no pattern of hidden cells could protect the small counts (the audit's answer when it runs out)."""
    import bot.domain.figures_complement as fc

    def stuck(values, equations, minimum, *, primary, hidden, **_kw):  # noqa: ANN001, ANN003, ANN202
        return Suppressed(frozenset(primary), frozenset(hidden)), frozenset(primary or values)

    monkeypatch.setattr(fc, "audit", stuck)


def test_when_the_audit_runs_out_every_row_is_hidden_and_the_bureau_is_told(county_db, capsys, caplog,
                                                                            monkeypatch, tmp_path):
    _audit_runs_out(monkeypatch)
    assert main(["report", "--county"]) == 0
    out = capsys.readouterr().out
    for name in SCHOOLS:
        line = next(line for line in out.splitlines() if line.startswith(f"• {name}："))
        assert line.startswith(f"• {name}：*名儿童"), line  # not even "<5": nothing of the figure is said
    assert "部分数字在所有行中都已隐去（*）" in out and "非常抱歉" in out
    assert "ran out of cells to hide" in caplog.text
    book = tmp_path / "county.xlsx"
    assert main(["export", "统计", "--county", "--out", str(book)]) == 0
    rows = list(openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True))
    left = next(list(r) for r in rows if r and "留守儿童" in r).index("留守儿童")
    assert {r[left] for r in rows if r and r[0] in SCHOOLS} == {"*"}
    assert any(r[0] and str(r[0]).startswith("部分数字在所有行中都已隐去") for r in rows)


def test_the_note_in_english(county_db, capsys, monkeypatch):
    _audit_runs_out(monkeypatch)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    assert main(["report", "--county"]) == 0
    out = capsys.readouterr().out
    assert "Some figures are hidden (*) in every row" in out and "We are sorry" in out


def test_a_registration_table_the_audit_cannot_protect_is_hidden_whole(county_db, caplog, monkeypatch, tmp_path):
    import bot.services.registration as reg

    monkeypatch.setattr(reg, "audit", lambda values, *_a, **_k: (Suppressed(frozenset(), frozenset()),
                                                                 frozenset(values)))
    book = tmp_path / "reg.xlsx"
    assert main(["export", "统计表", "--county", "--out", str(book), "--force"]) == 0
    rows = list(openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True))
    data = [r for r in rows if r and (r[0] in SCHOOLS or str(r[0]).startswith("合计"))]
    assert data and {c for r in data for c in r[1:] if c is not None} == {"*"}
    assert any(r[0] and "全部隐去（*）。非常抱歉" in str(r[0]) for r in rows)
    assert "ran out of cells to hide" in caplog.text
