"""An official's dashboard and 统计 workbook when a school has 1–4 left-behind children (issue 9, items 5 and 8).

石门小学 has 2 left-behind children of 20 pupils: the education bureau's official (孙科长) sees every school of
the county. The 2 must not be readable anywhere in the page (table, figures, the chart's bars and titles) or in
the workbook, neither as a count nor as the share it makes of the pupils (2/20 = 10.0%), nor by subtracting the
other rows from a total; and a ``*`` shown for a count hidden beside it is explained, in the reader's language.
"""

from __future__ import annotations

import io
import re
from html import unescape

import openpyxl

from bot.store.models import Person
from tests.web.test_dashboard import _client, _sign_in, link_for, site  # noqa: F401 — the fixture


def _dump(page: str) -> None:
    open("/tmp/fig9g/page.html", "w").write(page)


async def test_explore(site) -> None:  # noqa: F811
    container, world = site
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.bureau))
        _dump(page.text)
        book = await client.get("/web/exports/download", params={"kind": "figures"})
        wb = openpyxl.load_workbook(io.BytesIO(book.content))
        with open("/tmp/fig9g/book.txt", "w") as fh:
            for row in wb.worksheets[0].iter_rows(values_only=True):
                fh.write(repr(row) + "\n")


async def test_explore_town(site) -> None:  # noqa: F811
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from bot.domain.enums import TalkKind
    from bot.store.models import Child, SchoolClass, TalkRecord
    container, world = site
    with container.uow() as uow:
        kids = uow.session.scalars(select(Child).where(Child.school_id == world.hekou).order_by(Child.id)).all()
        ma = uow.session.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.school_id == world.hekou))
        for i, kid in enumerate(kids[:5]):
            uow.session.add(TalkRecord(child_id=kid.id, author_id=ma, kind=TalkKind.CLASS_TEACHER_MONTHLY.value,
                            period="2026-11", talked_at=datetime(2026, 11, 10, 2, tzinfo=UTC) + timedelta(days=i)))
        uow.commit()
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.town))
        _dump(page.text)
