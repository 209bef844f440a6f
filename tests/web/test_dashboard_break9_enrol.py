"""The authenticator's key is shown on first sign-in only after a code sent to the person's chat (break9, item 4).

A breaker: whoever opened the principal's first sign-in link (forwarded, or read over a shoulder) was shown the
key to add to an authenticator app, and so held the second factor from then on. Now the page first asks for a
code the bot has just sent to the principal's chat; a wrong one shows no key and counts as a wrong code.
"""

from __future__ import annotations

from sqlalchemy import select, update

from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.store.models import OutboxMessage, Person
from tests.web.test_dashboard import _client, _csrf, _past_totp, _sign_in, enrol_code, link_for, site  # noqa: F401


def _sent(container, person_id: int, locale: str) -> list[str]:
    with container.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.person_id == person_id,
                                                               OutboxMessage.key.like("web:%:enrol"))).all()
        return [render(Prompt.from_dict(r.payload), locale, "Asia/Shanghai").text for r in rows]


async def test_the_key_only_after_the_code_sent_to_the_chat(site, clock) -> None:  # noqa: F811
    container, world = site
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.leader))
        assert "首次使用：我们刚刚在您与机器人的聊天中发送了一个验证码。" in page.text
        assert 'id="totp-secret"' not in page.text
        code = enrol_code(container)
        [told] = _sent(container, world.leader, "zh_Hans")
        assert told == (f"有人正在以您的身份设置管理后台的两步验证。如果是您本人，请在网页上输入此验证码：{code}。"
                        "如果不是您，请不要把它告诉任何人，并告知学校管理员。")
        wrong = await client.post("/web/totp", data={"csrf": _csrf(page.text),
                                                      "code": f"{(int(code) + 1) % 10**6:06d}"})
        assert "验证码不正确" in wrong.text and 'id="totp-secret"' not in wrong.text
        page = await _past_totp(client, wrong, clock)  # the right code: the key, then the app's code
        assert "统计数据" in page.text
        assert len(_sent(container, world.leader, "zh_Hans")) == 1  # one code per sign-in


async def test_in_english(site, clock) -> None:  # noqa: F811
    container, world = site
    with container.uow() as uow:
        uow.session.execute(update(Person).where(Person.id == world.leader).values(locale="en"))
        uow.commit()
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.leader))
        assert "First time: we have just sent a code to your chat with the bot." in page.text
        assert "Enter the 6-digit code sent to your chat." in page.text and 'id="totp-secret"' not in page.text
        [told] = _sent(container, world.leader, "en")
        assert told.startswith("Someone is setting up the dashboard's two-step check as you.")
        shown = await client.post("/web/totp", data={"csrf": _csrf(page.text), "code": enrol_code(container)})
        assert 'id="totp-secret"' in shown.text and "That code is not right" not in shown.text
