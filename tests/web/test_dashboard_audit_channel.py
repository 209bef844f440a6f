"""/audit names the dashboard for reads and changes made there, not the command line (breaker4)."""

from __future__ import annotations

from bot import bootstrap
from tests.support.chat import Chat
from tests.web.test_dashboard import _client, _csrf, _past_totp, _sign_in, link_for, site  # noqa: F401


async def test_the_principals_audit_names_the_dashboard(site, clock):  # noqa: F811
    container, world = site
    async with _client(container) as client:
        await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        card = await client.get(f"/web/children/{world.xiaoer}")
        saved = await client.post(f"/web/children/{world.xiaoer}",
                                  data={"csrf": _csrf(card.text), "address": "示例县清溪镇梨树村9组"})
        assert "已保存" in saved.text
    chat = Chat(bootstrap.make_flows(container), f"tg-{world.leader}")
    chat.send("/audit 小二")
    assert "（管理后台）" in chat.text and "（命令行）" not in chat.text, chat.text
