"""The sign-in button's POST is refused from another site or without its page's form token (break9, item 4).

A breaker: /web/login/<token> signed in on a bare POST, with any Origin: another site could post a link (its
own, signing the visitor in as someone else) from a visitor's browser. Now the page's form carries a token
that must match the page's cookie, a foreign Origin is refused, and the link stays usable.
"""

from __future__ import annotations

from tests.web.test_dashboard import _client, _csrf, _past_totp, _sign_in, link_for, site  # noqa: F401 — the fixture

REFUSED = "登录状态对此表单无效。请刷新页面后重试。"


async def test_a_bare_or_foreign_post_does_not_sign_in_and_the_link_still_works(site, clock) -> None:  # noqa: F811
    container, world = site
    path = link_for(container, world.leader)
    async with _client(container) as client:
        bare = await client.post(path)
        assert bare.status_code == 403 and REFUSED in bare.text
        assert "guanai_session" not in bare.headers.get("set-cookie", "")
        form = {"csrf": _csrf((await client.get(path)).text)}
        foreign = await client.post(path, data=form, headers={"Origin": "https://evil.example"})
        assert foreign.status_code == 403
        forged = await client.post(path, data={"csrf": "x" + form["csrf"]})
        assert forged.status_code == 403
        assert (await client.post(path, data=form)).status_code == 303  # the page's own form: signed in
    async with _client(container) as other:  # another browser, with a token but not the page's cookie
        path = link_for(container, world.leader)
        form = {"csrf": _csrf((await other.get(path)).text)}
        other.cookies.clear()
        assert (await other.post(path, data=form)).status_code == 403
        page = await _past_totp(other, await _sign_in(other, path), clock)
        assert "统计数据" in page.text
