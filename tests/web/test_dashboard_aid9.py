"""The dashboard's aid figure and aid ledger, as the principal and a town official use them (issue 9, the aid items)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl

from bot.domain.clock import ManualClock
from bot.domain.enums import AidKind
from bot.services import aid
from tests.web.test_dashboard import _client, _past_totp, _sign_in, link_for, site  # noqa: F401 — the fixture


def _xiaoyi_given_cash(container, world, clock: ManualClock, *, source: str | None = None) -> None:
    """小一 was given 500 yuan in cash on 20 November, handed over by 王老师."""
    with container.uow() as uow:
        aid.record(uow, None, child_id=world.xiaoyi, given_on=date(2026, 11, 20), kind=AidKind.CASH,
                   amount=Decimal(500), items=None, source=source, given_by="王老师", now=clock.now())
        uow.commit()


def _units_table(page) -> str:
    """The dashboard's per-class or per-school table, as HTML."""
    return page.text.split('<table id="units">', 1)[1].split("</table>", 1)[0]


async def test_the_principal_sees_both_aid_figures_and_downloads_the_ledger(site, clock: ManualClock) -> None:  # noqa: F811
    container, world = site
    _xiaoyi_given_cash(container, world, clock, source="县教育局")
    async with _client(container) as client:
        page = await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        assert "花名册登记救助帮扶：2名儿童；本期资助记录：1名儿童，现金合计500元" in page.text
        exports = await client.get("/web/exports")
        assert "资助 — 资助台账" in exports.text
        ledger = await client.get("/web/exports/download", params={"kind": "aid"})
        assert ledger.status_code == 200 and ledger.content[:2] == b"PK"
        rows = list(openpyxl.load_workbook(io.BytesIO(ledger.content)).worksheets[0].iter_rows(values_only=True))
        assert [(r[1], r[4], r[5]) for r in rows[1:]] == [("小一", "现金", 500)]  # fix9n: the import's columns


async def test_a_town_official_sees_under_five_and_cannot_download_the_ledger(site, clock: ManualClock) -> None:  # noqa: F811
    container, world = site
    _xiaoyi_given_cash(container, world, clock)
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.town))
        assert "花名册登记救助帮扶：&lt;5名儿童；本期资助记录：&lt;5名儿童" in page.text and "现金合计" not in page.text
        assert "资助 —" not in (await client.get("/web/exports")).text
        assert (await client.get("/web/exports/download", params={"kind": "aid"})).status_code == 404


async def test_the_table_per_class_and_per_school_has_the_aid_column(site, clock: ManualClock) -> None:  # noqa: F811
    """aid9d: per-class rows name the class's aid (children, cash); an official's per-school rows say <5."""
    import re

    container, world = site
    _xiaoyi_given_cash(container, world, clock)
    async with _client(container) as client:
        page = await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        table = _units_table(page)
        assert "<th>本期资助记录</th>" in table
        assert re.search(r"<tr><td>[^<]+</td>(<td>[^<]*</td>){6}<td>1名儿童，现金500元</td></tr>", table), table
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.town))
        table = _units_table(page)
        assert "<td>&lt;5名儿童</td></tr>" in table and "现金" not in table
