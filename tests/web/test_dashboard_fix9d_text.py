"""fix9d: control characters typed on the dashboard, a huge id, and an export over text saved before (issue 9)."""

from __future__ import annotations

import io
from html import unescape

import openpyxl
from sqlalchemy import update

from bot.adapters.xlsx_export import workbook_bytes
from bot.domain.tables import Sheet
from bot.store.models import Child, Person
from tests.web.test_dashboard import _client, _csrf, _past_totp, _sign_in, link_for, site  # noqa: F401 — the fixture


async def test_a_nul_typed_in_a_card_is_dropped_and_the_roster_still_downloads(site, clock) -> None:  # noqa: F811
    container, world = site
    async with _client(container) as client:
        await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        card = await client.get(f"/web/children/{world.xiaoer}")
        saved = await client.post(f"/web/children/{world.xiaoer}",
                                  data={"csrf": _csrf(card.text), "health": "x\x00y\u202e",
                                        "address": "梨树\x1b[31m村"})
        assert saved.status_code == 200 and "已保存" in saved.text
        roster = await client.get("/web/exports/download", params={"kind": "roster"})
        assert roster.status_code == 200 and roster.content[:2] == b"PK"
        assert (await client.get("/web/children/99999999999999999999999")).status_code == 404
    with container.uow() as uow:
        child = uow.session.get(Child, world.xiaoer)
        assert child is not None and (child.health, child.address) == ("xy", "梨树村")


def test_text_saved_before_with_control_characters_is_written_without_them() -> None:
    data = workbook_bytes([Sheet("谈心", header=["记录"], rows=[["孩子\x1b[31m说\x08想家\x00"]])])
    assert openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]["A2"].value == "孩子[31m说想家"


async def test_the_guardians_phone_cannot_be_emptied_or_made_a_teachers(site, clock) -> None:  # noqa: F811
    container, world = site
    with container.uow() as uow:
        for person, phone in ((world.wang, "+8613800130739"), (world.grandma, "+8613900001111")):
            found = uow.session.get(Person, person)
            assert found is not None
            found.phone = phone
        uow.commit()
    async with _client(container) as client:
        await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        csrf = _csrf((await client.get(f"/web/children/{world.xiaoyi}")).text)
        emptied = await client.post(f"/web/children/{world.xiaoyi}",
                                    data={"csrf": csrf, "guardian_phone": "", "address": "改了"})
        assert "委托监护人电话：此处必须填写。未做任何修改。" in unescape(emptied.text), emptied.text
        teachers = await client.post(f"/web/children/{world.xiaoyi}",
                                     data={"csrf": csrf, "guardian_phone": "13800130739"})
        assert "13800130739 已登记为本校另一个人的电话号码。未做任何修改。" in unescape(teachers.text)
        assert "王老师" not in unescape(teachers.text).split("13800130739", 1)[1].split("。", 1)[0]  # nobody named
        with container.uow() as uow:
            uow.session.execute(update(Person).where(Person.id == world.leader).values(locale="en"))
            uow.commit()
        english = await client.post(f"/web/children/{world.xiaoyi}",
                                    data={"csrf": csrf, "guardian_phone": "13800130739"})
        assert "13800130739 is already on record for another person at the school" in unescape(english.text)
    with container.uow() as uow:
        grandma, child = uow.session.get(Person, world.grandma), uow.session.get(Child, world.xiaoyi)
        assert grandma is not None and grandma.phone == "+8613900001111"
        assert child is not None and child.address != "改了"
