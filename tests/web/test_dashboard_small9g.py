"""An official's dashboard and 统计 workbook beside a school with 1–4 (issue 9, items 5 and 8).

石门小学 has 2 left-behind children of 20 pupils, and the education bureau's official (孙科长) sees every
school of the county. The 2 must not be readable anywhere in the page (table, figures, the chart's bars and
titles) or in the workbook: not as a count, not as the share it makes of the pupils (2/20 = 10.0%), and not by
subtracting the other rows from a total. A ``*`` (a count hidden beside a small one) is explained below the
table and the sheet, in the reader's language, and only when one is shown.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import openpyxl
from sqlalchemy import select

from bot.domain.enums import RelationKind, TalkKind
from bot.store.models import Child, ChildRelation, Person, SchoolClass, TalkRecord
from tests.web.test_dashboard import _client, _sign_in, link_for, site  # noqa: F401 — the fixture

STAR_ZH = "*：为防止通过合计推算出旁边不足5的数字，一并隐藏。"
STAR_EN = "* : hidden too, so that a count under 5 beside it cannot be worked out from the totals."


def _cells(page: str, name: str) -> list[str]:
    """The cells of ``name``'s row in the per-unit table, as the reader sees them."""
    table = page.split('<table id="units">', 1)[1].split("</table>", 1)[0]
    row = re.search(rf"<tr><td>{name}</td>(.*?)</tr>", table)
    assert row, table
    return [unescape(cell) for cell in re.findall(r"<td>([^<]*)</td>", row.group(1))]


def _chart(page: str, name: str) -> str:
    """``name``'s bars in the chart: their widths (the percentages) and titles."""
    svg = unescape(page.split('<svg id="chart"', 1)[1].split("</svg>", 1)[0])
    return svg.split(f">{name}</text>", 1)[1].split("<text", 1)[0]


def _sheet(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


async def test_the_bureau_sees_under_five_for_two_children_and_the_star_explained(site) -> None:  # noqa: F811
    container, world = site
    async with _client(container) as client:
        page = (await _sign_in(client, link_for(container, world.bureau))).text
        shimen = _cells(page, "石门小学")
        assert shimen[0] == "<5" and _cells(page, "石门镇")[0] == "<5"
        assert "2" not in "".join(shimen) and "2" not in "".join(_cells(page, "石门镇"))
        assert _cells(page, "河口小学")[0] == "*"  # hidden beside it: 17 − 8 − 7 would give the 2 back
        for name in ("石门小学", "石门镇"):
            bars = _chart(page, name)
            assert re.findall(r'width="([^"]+)"', bars) == ["0.0", "0.0"] and "<title>(<5)</title>" in bars, bars
        text = unescape(page)
        assert "10.0%" not in text and "2/20" not in text and "2/2" not in text
        assert unescape(page.split('<p class="note" id="starred">', 1)[1].split("</p>", 1)[0]) == STAR_ZH

        rows = _sheet((await client.get("/web/exports/download", params={"kind": "figures"})).content)
        shimen_row = next(r for r in rows if r[0] == "石门小学")
        assert shimen_row[2:5] == (20, "<5", None)  # pupils, left-behind, share: no 10.0
        assert 2 not in shimen_row[3:] and 10.0 not in shimen_row
        assert next(r for r in rows if r[0] == "河口小学")[3] == "*"
        assert rows[-2][0].startswith("为保护儿童隐私，不到5（1至4）的数字显示为<5") and rows[-1][0] == STAR_ZH
        assert rows[-3][0].startswith("（以上三项不含疑似虐待报告")  # the chain's rates leave abuse reports out (fix9y)
        assert rows[-4] == (None,) * len(rows[0])  # a blank row between the table and its notes

        with container.uow() as uow:  # the official switches to English (/lang in chat)
            official = uow.session.get(Person, world.bureau)
            assert official is not None
            official.locale = "en"
            uow.commit()
        page = (await client.get("/web/")).text
        assert unescape(page.split('<p class="note" id="starred">', 1)[1].split("</p>", 1)[0]) == STAR_EN
        rows = _sheet((await client.get("/web/exports/download", params={"kind": "figures"})).content)
        assert rows[-1][0] == STAR_EN and rows[-2][0].startswith("To protect the children's privacy")


def _no_talks(container) -> None:
    """No talk held: 清溪小学's "<5/8" monthly and "<5/16" weekly talks would hide 河口小学's rate and the
    weeks missed beside them, each with a ``*`` (fig9h: a rate hidden only beside a small count reads ``*``)."""
    from sqlalchemy import delete

    with container.uow() as uow:
        uow.session.execute(delete(TalkRecord))
        # No weekly talks owed either: else this week's (30 November to 6 December, a December figure by its
        # Sunday) reads "(<5)" for December, which the term minus November would give back, so November's weekly
        # talks are hidden (*) beside it (fix9j: one suppression across the periods).
        uow.session.execute(delete(ChildRelation).where(ChildRelation.kind.in_(
            [RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value])))
        uow.commit()


def _no_bands(container) -> None:
    """Every card complete and no check-in sent: 14 of 15 cards and 4 of 5 check-ins answered would read as bands
    (``*/15 (≥73%)``, ``*/5``: 1–4 not done, fix9b), each with its ``*``."""
    from sqlalchemy import delete

    from bot.store.models import Checkin

    with container.uow() as uow:
        for child in uow.session.scalars(select(Child).where(Child.address.is_(None))):
            child.address = "清溪村1组"
        uow.session.execute(delete(Checkin))
        uow.commit()


def _without_rule(text: str) -> str:
    """The page or message without the suppression rule, which names the ``*`` it explains."""
    from bot.i18n import gettext
    from bot.services.figures_text import SUPPRESSION_RULE

    return text.replace(gettext("zh_Hans", SUPPRESSION_RULE), "")


async def test_no_star_no_footnote(site) -> None:  # noqa: F811
    """The town official's schools (8 and 7 children) hide nothing with a ``*``: no footnote about it."""
    container, world = site
    _no_talks(container)
    _no_bands(container)
    async with _client(container) as client:
        page = (await _sign_in(client, link_for(container, world.town))).text
        assert 'id="starred"' not in page and "*" not in "".join(_cells(page, "河口小学") + _cells(page, "清溪小学"))
        rows = _sheet((await client.get("/web/exports/download", params={"kind": "figures"})).content)
        # The workbook writes 河口小学's hidden 0 incidents (beside 清溪小学's 1–4) as "*", no longer "<5" (fig9h),
        # so its footnote is there, under its table only.
        assert any(c == "*" for r in rows[1:4] for c in r[2:]) and rows[-1][0] == STAR_ZH


async def test_talks_done_under_five_cannot_be_worked_out_from_the_towns_total(site) -> None:  # noqa: F811
    """清溪小学's 4 monthly talks of 8 and 河口小学's 5 of 7 (2 not done) read ``*/8`` and ``*/7``: a band over fewer
    than 10 says next to nothing (fix9b). The town's 9/15 beside two hidden rows is hidden too (``*``): else
    9 − 5 or 9 − 4 would be worked out as soon as one of them is known."""
    container, world = site
    with container.uow() as uow:
        hekou = uow.session.scalars(select(Child.id).where(Child.school_id == world.hekou).order_by(Child.id)).all()
        ma = uow.session.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.school_id == world.hekou))
        assert ma is not None
        for i, child in enumerate(hekou[:5]):
            uow.session.add(TalkRecord(child_id=child, author_id=ma, kind=TalkKind.CLASS_TEACHER_MONTHLY.value,
                                       period="2026-11",
                                       talked_at=datetime(2026, 11, 10, 2, tzinfo=UTC) + timedelta(days=i)))
        uow.commit()
    async with _client(container) as client:
        page = (await _sign_in(client, link_for(container, world.town))).text
        assert "班主任每月谈心：*<" in unescape(page) and "9/15" not in unescape(page)  # the town's total
        # 14 of 15 cards complete: the band "fewer than 5 incomplete", floor(100·11/15) (fix9b), never "14/15"
        assert "档案完整（建档率）：*/15 (≥73%)" in unescape(page) and "14/15" not in unescape(page)
        assert _cells(page, "清溪小学")[1] == "*/8" and _cells(page, "河口小学")[1] == "*"  # 7/8; 7/7 beside it
        assert _cells(page, "清溪小学")[2] == "*/8"
        hekou_cells = _cells(page, "河口小学")
        assert hekou_cells[2] == "*/7", hekou_cells  # 5 done, 2 not: the band "*", its total
        assert "71.4" not in _chart(page, "河口小学") and "5/7" not in unescape(page) and "4/8" not in unescape(page)
        rows = _sheet((await client.get("/web/exports/download", params={"kind": "figures"})).content)
        monthly = rows[0].index("每月谈心: 完成")
        assert next(r for r in rows if r[0] == "河口小学")[monthly:monthly + 3] == ("*", 7, "*")
        assert next(r for r in rows if r[0] == "清溪小学")[monthly:monthly + 3] == ("*", 8, "*")
        assert next(r for r in rows if r[0] == "清溪镇")[monthly:monthly + 3] == ("*", "*", "*")


async def test_the_footnote_follows_the_star_where_it_is_written(site) -> None:  # noqa: F811
    """河口小学's 7 children with aid in the roster are hidden beside 清溪小学's 2: a ``*`` in the workbook's
    column only; chat and the page show the town's 9 and no ``*``, so they do not explain one."""
    from bot import bootstrap
    from tests.support.chat import Chat

    container, world = site
    _no_talks(container)
    _no_bands(container)
    with container.uow() as uow:
        for child in uow.session.scalars(select(Child).where(Child.school_id == world.hekou)):
            child.aid = "享受低保"
        uow.commit()
    chat = Chat(bootstrap.make_flows(container), f"tg-{world.town}")
    chat.send("/report")
    assert "花名册登记救助帮扶：9名儿童" in chat.text and "*" not in _without_rule(chat.text), chat.text
    async with _client(container) as client:
        page = (await _sign_in(client, link_for(container, world.town))).text
        assert 'id="starred"' not in page and "*" not in _without_rule(unescape(page.split("<main", 1)[1]))
        rows = _sheet((await client.get("/web/exports/download", params={"kind": "figures"})).content)
        aided = rows[0].index("花名册登记救助帮扶")
        assert next(r for r in rows if r[0] == "河口小学")[aided] == "*" and rows[-1][0] == STAR_ZH
