"""Authenticator codes cannot be guessed a fresh /web link at a time (break9, item 3).

A breaker holding the principal's chat sent /web 40 times and gave 5 wrong codes each time: 200 guesses, and a
new sign-in still accepted the right code. Now wrong codes count per person over all sessions: the tenth locks
the sign-in for 15 minutes (each further five for twice as long), no code is checked while locked, and the
principal and the school's admins are told in chat (zh_Hans and en).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from bot.domain.enums import Role
from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.store.models import OutboxMessage, Person, StaffTotp
from tests.support.school import add_staff
from tests.web.test_dashboard import _client, _csrf, _past_totp, _sign_in, link_for, site  # noqa: F401 — the fixture


def _admin(container, world, now) -> int:
    """刘主任, an admin of the principal's school (the county world has none)."""
    with container.uow() as uow:
        school = uow.session.get(Person, world.leader).school_id
        admin = add_staff(uow.session, school, "刘主任", "break9:admin", Role.ADMIN, now=now, locale="en")
        uow.commit()
        return admin


def _told(container, person_id: int, locale: str) -> list[str]:
    with container.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.person_id == person_id,
                                                               OutboxMessage.key.like("web:totp-locked:%"))).all()
        return [render(Prompt.from_dict(r.payload), locale, "Asia/Shanghai").text for r in rows]


async def test_guesses_over_fresh_links_lock_the_sign_in_and_the_admins_are_told(site, clock):  # noqa: F811
    container, world = site
    admin = _admin(container, world, clock.now())
    async with _client(container) as client:  # the principal enrols once
        await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
    with container.uow() as uow:
        secret = uow.session.scalar(select(StaffTotp.secret).where(StaffTotp.person_id == world.leader))
    tried = 0
    for _ in range(8):  # whoever holds the principal's chat: /web, five guesses, /web again …
        async with _client(container) as client:
            page = await _sign_in(client, link_for(container, world.leader))
            if tried >= 10:  # locked: the page says until when and asks no code (fix9k)
                assert page.status_code == 403 and 'name="code"' not in page.text
                continue
            for _ in range(5):
                await client.post("/web/totp", data={"csrf": _csrf(page.text), "code": f"{tried:06d}"})
                tried += 1
    clock.advance(timedelta(seconds=90))
    async with _client(container) as client:  # signing in while locked: told until when, no code asked (fix9k)
        page = await _sign_in(client, link_for(container, world.leader))
        assert page.status_code == 403 and "验证码输错次数过多，登录已锁定至" in page.text
        assert 'name="code"' not in page.text
        right = await client.post("/web/totp", data={"csrf": "x", "code": pyotp.TOTP(secret).at(clock.now())})
        assert right.status_code == 401 and "统计数据" not in right.text  # that sign-in has ended
    with container.uow() as uow:
        row = uow.session.scalar(select(StaffTotp).where(StaffTotp.person_id == world.leader))
        assert row.failures == 10  # codes given while locked are not even checked
    [principal] = _told(container, world.leader, "zh_Hans")
    assert principal.startswith("有人以周校长的身份登录管理后台时输错了10次身份验证码，周校长的登录已锁定至")
    [to_admin] = _told(container, admin, "en")
    assert to_admin.startswith("10 wrong authenticator codes have been given signing in to the dashboard as 周校长, "
                               "so signing in as 周校长 is locked until")

    clock.advance(timedelta(minutes=15))  # the lock has passed: the principal signs in, the count starts again
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.leader))
        assert not re.search(r'id="totp-secret"', page.text)  # enrolled: no secret shown again
        ok = await client.post("/web/totp", data={"csrf": _csrf(page.text),
                                                  "code": pyotp.TOTP(secret).at(clock.now())}, follow_redirects=True)
        assert "统计数据" in ok.text
    with container.uow() as uow:
        row = uow.session.scalar(select(StaffTotp).where(StaffTotp.person_id == world.leader))
        assert (row.failures, row.locked_until) == (0, None)
