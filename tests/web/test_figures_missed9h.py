"""Officials' talks missed and talk rates together (issue 9, item 5; fig9h).

In 清溪镇 on 3 December 2026, November is over: 清溪小学's class teachers talked with all 8 of their
left-behind children, 河口小学's 马老师 with 5 of his 7. The 2 talks missed are under 5, so an official sees
``<5`` — and must not see ``13/15`` (nor 河口小学's ``5/7``) beside it: 15 − 13 gives the 2 back. The rate
hidden beside a small count reads ``*`` (not ``(<5)``: 15 were due), with the footnote that explains a ``*``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import bootstrap
from bot.domain.enums import TalkKind
from bot.store.models import Child, SchoolClass, TalkRecord
from tests.support.chat import Chat
from tests.web.test_dashboard import _client, _sign_in, link_for, site  # noqa: F401 — the fixture
from tests.web.test_dashboard_small9g import STAR_ZH, _cells

TALKED_ON = datetime(2026, 11, 10, 2, tzinfo=UTC)


def _november_talks(container, world) -> None:
    """Every 清溪小学 child's monthly talk of November, and 5 of the 7 at 河口小学."""
    with container.uow() as uow:
        s = uow.session
        talked = set(s.scalars(select(TalkRecord.child_id).where(TalkRecord.period == "2026-11")))
        rows = s.execute(select(Child.id, Child.school_id, SchoolClass.class_teacher_id)
                         .join(SchoolClass, SchoolClass.id == Child.class_id)
                         .where(Child.school_id.in_((world.qingxi, world.hekou))).order_by(Child.id)).all()
        hekou = [r for r in rows if r.school_id == world.hekou][:5]
        for i, (child, _school, teacher) in enumerate([r for r in rows if r.school_id == world.qingxi] + hekou):
            if child not in talked:
                s.add(TalkRecord(child_id=child, author_id=teacher, kind=TalkKind.CLASS_TEACHER_MONTHLY.value,
                                 period="2026-11", talked_at=TALKED_ON + timedelta(hours=i)))
        uow.commit()


async def test_the_town_sees_no_talk_rate_that_gives_the_missed_talks_back(site, clock) -> None:  # noqa: F811
    container, world = site
    _november_talks(container, world)
    clock.advance(timedelta(days=3))  # 3 December: November is over, its 2 talks not held are missed
    chat = Chat(bootstrap.make_flows(container), f"tg-{world.town}")
    chat.send("/report 2026-11")
    said = chat.text
    assert "已错过的谈心（当月或当周已过仍未谈）：每月 <5" in said, said
    assert "13/15" not in said and "86.7%" not in said
    assert "• 班主任每月谈心：*\n" in said  # 15 were due: not "(<5)"
    hekou = said.split("• 河口小学：", 1)[1].split("\n", 1)[0]
    assert "每月谈心 *；" in hekou and "5/7" not in hekou, hekou  # 7 − 5 = 2 as well
    assert STAR_ZH in said  # the * explained, in chat as on the page


async def test_a_rate_hidden_beside_a_small_school_reads_star_on_the_page(site) -> None:  # noqa: F811
    """The bureau's table: 河口小学 (7 children, 7 cards due) is hidden beside 石门小学's 2 — ``*``, not ``(<5)``."""
    container, world = site
    async with _client(container) as client:
        page = (await _sign_in(client, link_for(container, world.bureau))).text
        hekou = _cells(page, "河口小学")
        assert hekou[0] == "*" and hekou[1] == "*", hekou  # its cards: 7 due, hidden only beside 石门小学
        assert _cells(page, "石门小学")[1] == "(<5)"  # 2 children: its own rate is under 5
