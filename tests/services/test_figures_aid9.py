"""The aid figure for superiors: the roster's 救助帮扶 column and the aid records of the period, side by side."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.domain.enums import AidKind, Role
from bot.domain.figures import Level, UnitFigures, month_period, roll_up, shown_aid, yuan
from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.services import aid, figures
from bot.services.figures_sheet import figures_sheets
from bot.services.figures_text import aid_line
from bot.services.identity import Actor
from tests.support.figures_world import county

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
NOVEMBER = month_period(2026, 11)


def _actor(person_id: int, school_id: int, *roles: str) -> Actor:
    return Actor(person_id=person_id, name="", school_id=school_id, roles=frozenset(roles), locale="zh_Hans",
                 timezone="Asia/Shanghai")


def _give(uow_factory, child_id: int, kind: AidKind, amount: str | None, on: date = date(2026, 11, 20),
          items: str | None = None) -> None:
    with uow_factory() as uow:
        aid.record(uow, None, child_id=child_id, given_on=on, kind=kind, amount=Decimal(amount) if amount else None,
                   items=items, source="县教育局", given_by="王老师", now=NOW)
        uow.commit()


def _line(unit: UnitFigures, official: bool, locale: str = "zh_Hans") -> str:
    return render(Prompt(*aid_line(unit, official)), locale).text


@pytest.fixture
def world(uow_factory):
    return county(uow_factory)


def test_the_records_of_the_period_are_counted_beside_the_roster_column(uow_factory, world):
    _give(uow_factory, world.xiaoyi, AidKind.CASH, "500")
    _give(uow_factory, world.xiaoyi, AidKind.CASH, "300.50")  # one child twice: counted once, both sums
    _give(uow_factory, world.xiaoer, AidKind.GOODS, "200", items="棉衣")  # aid, but no cash
    _give(uow_factory, world.xiaoer, AidKind.CASH, "1000", on=date(2026, 12, 1))  # December: not November's
    with uow_factory() as uow:
        school = figures.school_figures(uow, world.qingxi, NOVEMBER, NOW)
    total = school.total
    assert (total.aided, total.aid_children, total.aid_cash_children, total.aid_cash) == (2, 2, 1, Decimal("800.50"))
    assert [(c.name, c.aid_children) for c in school.classes] == [("一年级（1）班", 2), ("二年级（1）班", 0)]
    assert _line(total, False) == "• 花名册登记救助帮扶：2名儿童；本期资助记录：2名儿童，现金合计800.50元"
    assert _line(total, False, "en") == ("• Aid in the roster (救助帮扶): 2 children; aid recorded this period: "
                                         "2 children, cash 800.50 yuan in all")


def test_an_official_sees_fewer_than_five_children_as_under_five_and_no_sum(uow_factory, world):
    _give(uow_factory, world.xiaoyi, AidKind.CASH, "500")
    with uow_factory() as uow:
        report = figures.report_for(uow, _actor(world.town, world.qingxi, Role.TOWN_GOVERNMENT), NOVEMBER, NOW)
        leader = figures.report_for(uow, _actor(world.leader, world.qingxi, Role.SCHOOL_LEADER), NOVEMBER, NOW)
    assert report is not None and leader is not None and report.official
    assert _line(report.total, True) == "• 花名册登记救助帮扶：<5名儿童；本期资助记录：<5名儿童"
    assert _line(report.total, True, "en") == ("• Aid in the roster (救助帮扶): <5 children; "
                                               "aid recorded this period: <5 children")
    assert _line(leader.total, False) == "• 花名册登记救助帮扶：2名儿童；本期资助记录：1名儿童，现金合计500元"
    rows = {row[0]: row for row in figures_sheets(report, "zh_Hans")[0].rows}
    header = figures_sheets(report, "zh_Hans")[0].header
    at = header.index("花名册登记救助帮扶")
    assert header[at:at + 3] == ["花名册登记救助帮扶", "本期资助儿童（资助记录）", "本期现金资助合计（元）"]
    assert rows["清溪镇"][at:at + 3] == ["<5", "<5", None]
    school_row = figures_sheets(leader, "zh_Hans")[0].rows[-1]
    assert school_row[at:at + 3] == [2, 1, 500.0]


def test_five_children_show_their_count_and_sum_to_an_official(uow_factory, world):
    with uow_factory() as uow:
        from bot.store.models import Child

        hekou = [c.id for c in uow.session.query(Child).filter(Child.school_id == world.hekou)]
    for child_id in hekou[:5]:
        _give(uow_factory, child_id, AidKind.CASH, "200")
    with uow_factory() as uow:
        report = figures.report_for(uow, _actor(world.town, world.qingxi, Role.TOWN_GOVERNMENT), NOVEMBER, NOW)
    assert report is not None
    assert _line(report.total, True) == "• 花名册登记救助帮扶：<5名儿童；本期资助记录：5名儿童，现金合计1000元"


def test_the_sum_is_hidden_while_the_children_given_cash_are_few():
    unit = UnitFigures(Level.TOWN, "清溪镇", aid_children=6, aid_cash_children=2, aid_cash=Decimal(900))
    assert shown_aid(unit, True) == (6, None)  # six aided, but the 900 yuan went to two children
    assert shown_aid(unit, False) == (6, Decimal(900))
    assert shown_aid(UnitFigures(Level.TOWN, "x"), True) == (0, Decimal(0))  # nobody identifies nobody
    assert shown_aid(UnitFigures(Level.TOWN, "x", aid_children=4, aid_cash_children=0), True) == (None, None)
    assert (yuan(Decimal("500.00")), yuan(Decimal("1250.5")), yuan(Decimal(0))) == ("500", "1250.50", "0")


def test_aid_rolls_up_from_classes_to_the_county():
    a = UnitFigures(Level.CLASS, "a", aid_children=2, aid_cash_children=1, aid_cash=Decimal("100.5"))
    b = UnitFigures(Level.CLASS, "b", aid_children=3, aid_cash_children=3, aid_cash=Decimal(300))
    total = roll_up([a, b], Level.SCHOOL, "s")
    assert (total.aid_children, total.aid_cash_children, total.aid_cash) == (5, 4, Decimal("400.5"))
