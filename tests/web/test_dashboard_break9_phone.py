"""A guardian's new number tells nobody whose a number is, and every refusal is audited (break9, item 2).

A breaker: 周校长 of 清溪小学 typed 河口小学's 马老师's number as 小一's guardian's phone on the dashboard and read
"…已是马老师的电话号码"; in chat, 更换委托监护人 with a guessed name and that number was refused only when the name
was wrong. Now only the school's own people are looked at, a refusal names nobody, and it is kept in the audit
log (zh_Hans and en).
"""

from __future__ import annotations

from html import unescape

from sqlalchemy import select, update

from bot import bootstrap
from bot.store.models import AuditEntry, Person
from tests.support.chat import Chat
from tests.web.test_dashboard import _client, _csrf, _past_totp, _sign_in, link_for, site  # noqa: F401 — the fixture

OTHER_SCHOOLS = "+8613900001111"  # 马老师 of 河口小学
OWN_TEACHERS = "+8613800130739"  # 王老师 of 清溪小学


def _numbers(container, world) -> None:
    with container.uow() as uow:
        for name, phone in (("马老师", OTHER_SCHOOLS), ("王老师", OWN_TEACHERS)):
            uow.session.scalars(select(Person).where(Person.name == name)).one().phone = phone  # its index too
        uow.commit()


def _refusals(container, child_id: int) -> int:
    with container.uow() as uow:
        return len(uow.session.scalars(select(AuditEntry).where(AuditEntry.child_id == child_id,
                                                                AuditEntry.action == "phone_refused")).all())


async def test_the_form_names_nobody_and_audits_a_refusal(site, clock) -> None:  # noqa: F811
    container, world = site
    _numbers(container, world)
    async with _client(container) as client:
        await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        csrf = _csrf((await client.get(f"/web/children/{world.xiaoyi}")).text)
        own = unescape((await client.post(f"/web/children/{world.xiaoyi}",
                                          data={"csrf": csrf, "guardian_phone": "13800130739"})).text)
        assert "13800130739 已登记为本校另一个人的电话号码。未做任何修改。" in own
        assert "王老师" not in own.split("13800130739", 1)[1].split("。", 1)[0]
        assert _refusals(container, world.xiaoyi) == 1
        other = unescape((await client.post(f"/web/children/{world.xiaoyi}",
                                            data={"csrf": csrf, "guardian_phone": "13900001111"})).text)
        assert "马老师" not in other and "另一个人" not in other  # another school's people are never looked at
        with container.uow() as uow:
            uow.session.execute(update(Person).where(Person.id == world.leader).values(locale="en"))
            uow.commit()
        english = unescape((await client.post(f"/web/children/{world.xiaoyi}",
                                              data={"csrf": csrf, "guardian_phone": "13800130739"})).text)
        assert "13800130739 is already on record for another person at the school" in english
        assert "王老师" not in english.split("13800130739", 1)[1].split(".", 1)[0]
        assert _refusals(container, world.xiaoyi) == 2


async def test_in_chat_a_guessed_name_with_another_schools_number_tells_nothing(site) -> None:  # noqa: F811
    container, world = site
    _numbers(container, world)
    chat = Chat(bootstrap.make_flows(container), f"tg-{world.leader}")
    chat.send("/card 小一")
    chat.tap("更换委托监护人")
    chat.send("李四 13900001111 外婆")  # the wrong name: before, refused ("another person's number")
    wrong = chat.text
    assert "另一个人" not in wrong and "马老师" not in wrong
    chat.send("/card 小一")
    chat.tap("更换委托监护人")
    chat.send("张三 13800130739 外婆")  # the school's own teacher's number: refused, nobody named, audited
    assert chat.text.startswith("这个号码已登记为另一个人的电话号码") and "王老师" not in chat.text
    assert _refusals(container, world.xiaoyi) == 1
    with container.uow() as uow:
        uow.session.execute(update(Person).where(Person.id == world.leader).values(locale="en"))
        uow.commit()
    chat.send("/card 小一")  # the card, and its question still waiting
    assert chat.text.endswith("The new entrusted guardian of 小一: name, phone and relation, e.g. "
                              "张桂英 13800001111 外祖母")
    chat.send("Wang 13800130739 grandmother")
    assert chat.text.startswith("That number is already on record as another person's phone number")
    assert "王老师" not in chat.text
