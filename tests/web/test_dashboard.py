"""The dashboard over HTTP, as a principal, an admin with TOTP, an official and a stranger would use it.

Sign-in links come from ``/web`` in chat (the real flow runner); pages are
fetched through the ASGI app with httpx, cookies and forms as a browser sends
them. The browser test is ``test_dashboard_browser.py``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pyotp
import pytest
from sqlalchemy import select

from bot import bootstrap
from bot.config import load_settings
from bot.domain.clock import ManualClock
from bot.domain.enums import TaskKind
from bot.messages.prompt import Prompt
from bot.services import tasks
from bot.store.models import Child, DashboardEdit, OutboxMessage, Person, StaffTotp
from tests.support.chat import Chat
from tests.support.figures_world import County, county

BASE = "http://guanai.test"


@pytest.fixture
async def site(database_url: str, clock: ManualClock) -> AsyncIterator[tuple[bootstrap.Container, County]]:
    container = bootstrap.build(load_settings(database_url=database_url, web_base_url=BASE), clock=clock)
    world = county(container.uow)
    yield container, world
    container.engine.dispose()


def _client(container: bootstrap.Container) -> httpx.AsyncClient:
    app = bootstrap.make_web_app(container)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)
    client.guanai = container  # type: ignore[attr-defined]  # for enrol_code: what the chat was sent
    return client


def link_for(container: bootstrap.Container, person: int) -> str:
    """The sign-in link the person gets by sending /web in chat."""
    chat = Chat(bootstrap.make_flows(container), f"tg-{person}")
    chat.send("/web")
    found = re.search(r"http://guanai\.test(/web/login/[\w-]+)", chat.text)
    assert found, chat.text
    return found.group(1)


async def _sign_in(client: httpx.AsyncClient, path: str) -> httpx.Response:
    shown = await client.get(path)
    assert shown.status_code == 200 and "登录关爱管理后台" in shown.text
    return await client.post(path, data={"csrf": _csrf(shown.text)}, follow_redirects=True)


def enrol_code(container: bootstrap.Container) -> str:
    """The code the latest first authenticator setup sent to the person's chat (break9)."""
    with container.uow() as uow:
        row = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("web:%:enrol"))
                                  .order_by(OutboxMessage.id.desc())).first()
        assert row is not None
        return str(Prompt.from_dict(row.payload).params["code"])


async def _past_totp(client: httpx.AsyncClient, page: httpx.Response, clock: ManualClock) -> httpx.Response:
    """A principal's second step: on first sign-in the code sent to the chat, then the key, then the app's code."""
    if 'id="enrol"' in page.text:
        page = await client.post("/web/totp", data={"csrf": _csrf(page.text), "code": enrol_code(client.guanai)},
                                 follow_redirects=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text)
    assert secret, page.text
    code = pyotp.TOTP(secret.group(1)).at(clock.now())
    return await client.post("/web/totp", data={"csrf": _csrf(page.text), "code": code}, follow_redirects=True)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


async def test_the_principal_signs_in_sees_the_figures_and_corrects_a_card(site, clock: ManualClock) -> None:
    container, world = site
    async with _client(container) as client:
        page = await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        assert page.status_code == 200
        assert "清溪小学（学校）统计数据，2026-11：" in page.text and 'id="chart"' in page.text
        assert "王老师" in page.text and page.headers["x-frame-options"] == "DENY"
        assert "guanai_session" in page.request.headers.get("cookie", "")

        children = await client.get("/web/children")
        assert "小一" in children.text and "河0" not in children.text  # another school's child
        card = await client.get(f"/web/children/{world.xiaoer}")
        csrf = _csrf(card.text)
        saved = await client.post(f"/web/children/{world.xiaoer}",
                                  data={"csrf": csrf, "address": "示例县清溪镇梨树村3组", "schooling": "小学",
                                        "health": ""})
        assert "已保存：现居住地。" in saved.text and "梨树村3组" in saved.text
        bad = await client.post(f"/web/children/{world.xiaoyi}",
                                data={"csrf": csrf, "guardian_phone": "12345", "address": "改了"})
        assert "12345 不是有效的电话号码。未做任何修改。" in bad.text
        # The import's rules, not a silent cut: the health column holds 64 characters, and a formula is refused.
        long_health = await client.post(f"/web/children/{world.xiaoyi}",
                                        data={"csrf": csrf, "health": "有哮喘" * 22, "address": "改了"})
        assert "身体健康：" in long_health.text and "超过 64 个字符。未做任何修改。" in long_health.text
        formula = await client.post(f"/web/children/{world.xiaoyi}",
                                    data={"csrf": csrf, "health": '=HYPERLINK("http://x.example","点我")'})
        assert "请去掉开头的符号。未做任何修改。" in formula.text
        forged = await client.post(f"/web/children/{world.xiaoer}", data={"csrf": "forged", "address": "x"})
        assert forged.status_code == 403
        cross = await client.post(f"/web/children/{world.xiaoer}", data={"csrf": csrf, "address": "x"},
                                  headers={"Origin": "http://evil.example"})
        assert cross.status_code == 403
        for path in ("/web/tasks", "/web/incidents", "/web/programme", "/web/exports"):
            assert (await client.get(path)).status_code == 200, path
        incidents = await client.get("/web/incidents")
        assert "张奶奶" in incidents.text and "孙科长" in incidents.text
        assert ", open)" not in incidents.text and ("处理中" in incidents.text or "已结束" in incidents.text)
        programme_page = await client.get("/web/programme")
        assert "春节前亲情书信周" in programme_page.text and "letter_spring_festival" not in programme_page.text
        assert "发送 /programme" not in programme_page.text  # no chat command on a web page
        download = await client.get("/web/exports/download", params={"kind": "pairing"})
        assert download.status_code == 200 and download.content[:2] == b"PK"
        assert "filename*=UTF-8''" in download.headers["content-disposition"]
    with container.uow() as uow:
        child = uow.session.get(Child, world.xiaoyi)
        assert child is not None and child.address != "改了"  # a bad phone number changes nothing
        [edit] = uow.session.scalars(select(DashboardEdit)).all()
        assert (edit.child_id, edit.field, edit.new_value) == (world.xiaoer, "address", "示例县清溪镇梨树村3组")


async def test_a_link_works_once_and_a_session_expires(site, clock: ManualClock) -> None:
    container, world = site
    path = link_for(container, world.leader)
    async with _client(container) as client:
        form = {"csrf": _csrf((await client.get(path)).text)}
        assert (await client.post(path, data=form)).status_code == 303
        assert (await client.get(path)).status_code == 410  # used
        await _past_totp(client, await client.get("/web/totp"), clock)
        assert (await client.get("/web/")).status_code == 200
        clock.advance(timedelta(minutes=31))  # idle for longer than 30 minutes
        gone = await client.get("/web/")
        assert gone.status_code == 401 and "/web（后台）" in gone.text
    late = link_for(container, world.leader)
    clock.advance(timedelta(minutes=16))
    async with _client(container) as client:
        assert (await client.get(late)).status_code == 410


async def test_a_principal_or_admin_gives_a_totp_code_first(site, clock: ManualClock) -> None:
    container, world = site
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.leader))
        assert "两步验证" in page.text and str(page.url).endswith("/web/totp")
        assert 'id="totp-secret"' not in page.text and 'id="enrol"' in page.text  # the key after the chat's code
        assert (await client.get("/web/children")).status_code == 303  # nothing before the code
        page = await client.post("/web/totp", data={"csrf": _csrf(page.text), "code": enrol_code(container)})
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text)
        assert secret
        csrf = _csrf(page.text)
        wrong = await client.post("/web/totp", data={"csrf": csrf, "code": "000000"})
        assert "验证码不正确" in wrong.text
        code = pyotp.TOTP(secret.group(1)).at(clock.now())
        ok = await client.post("/web/totp", data={"csrf": csrf, "code": code}, follow_redirects=True)
        assert "清溪小学（学校）统计数据" in ok.text
    async with _client(container) as client:  # a second browser: the same code is not accepted twice
        page = await _sign_in(client, link_for(container, world.leader))
        assert 'id="totp-secret"' not in page.text  # enrolled already
        again = await client.post("/web/totp", data={"csrf": _csrf(page.text), "code": code})
        assert "验证码不正确" in again.text
    with container.uow() as uow:
        assert uow.session.scalar(select(StaffTotp.confirmed_at)) is not None


async def test_an_official_sees_aggregates_only(site) -> None:
    container, world = site
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.town))
        assert "清溪镇（乡镇）统计数据" in page.text and "您只能看到汇总数据" in page.text
        assert "王老师" not in page.text and "小一" not in page.text
        for path in ("/web/children", f"/web/children/{world.xiaoyi}", "/web/tasks", "/web/incidents",
                     "/web/programme"):
            assert (await client.get(path)).status_code == 404, path
        assert (await client.get("/web/exports/download", params={"kind": "roster"})).status_code == 404
        figures = await client.get("/web/exports/download", params={"kind": "figures"})
        assert figures.status_code == 200


@pytest.mark.parametrize(("who", "typed"), [("wang", "后台"), ("grandma", "/web")])
async def test_teachers_and_guardians_get_no_link(site, who, typed) -> None:
    container, world = site
    chat = Chat(bootstrap.make_flows(container), f"tg-{getattr(world, who)}")
    chat.send(typed)
    assert chat.text == "管理后台只提供给学校领导、管理员以及教育主管部门和镇党委政府。"


async def test_a_guardians_word_without_the_slash_is_a_message_with_no_link(site) -> None:
    """A grandmother's 后台 is words for the school (staff-only command words, conv6s), never a sign-in link."""
    container, world = site
    chat = Chat(bootstrap.make_flows(container), f"tg-{world.grandma}")
    chat.send("后台")
    assert "转给王老师" in chat.text and "http" not in chat.text


async def test_a_stranger_sees_nothing(site) -> None:
    container, _world = site
    async with _client(container) as client:
        for path in ("/web/", "/web/children", "/web/exports/download?kind=roster"):
            response = await client.get(path)
            assert response.status_code == 401 and "小一" not in response.text
        assert (await client.get("/web/login/not-a-token")).status_code == 410
        assert (await client.post("/web/logout", data={"csrf": "x"})).status_code == 401


async def test_the_card_page_shows_the_forms_words_in_the_readers_language(site, clock: ManualClock) -> None:
    """The roster's fixed words (女, 父母双方外出, 较好) in English for an English reader; task kinds read as words."""
    container, world = site
    with container.uow() as uow:
        tasks.create(uow, key="t:web", kind=TaskKind.TALK_FOLLOW_UP, assignee_id=world.wang, child_id=world.xiaoer,
                     now=clock.now())
        uow.commit()
    async with _client(container) as client:
        await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        card = await client.get(f"/web/children/{world.xiaoer}")
        assert "<td>女</td>" in card.text and "<td>父母双方外出</td>" in card.text and "<td>较好</td>" in card.text
        assert "谈心后续跟进" in (await client.get("/web/tasks")).text
        with container.uow() as uow:  # the principal switches to English (/lang in chat)
            leader = uow.session.get(Person, world.leader)
            assert leader is not None
            leader.locale = "en"
            uow.commit()
        card = await client.get(f"/web/children/{world.xiaoer}")
        assert "<td>female</td>" in card.text and "<td>both parents away</td>" in card.text
        assert "<td>fairly good</td>" in card.text
        assert "父母双方外出" not in card.text and "较好" not in card.text
        listed = (await client.get("/web/tasks")).text
        assert "follow up the talk" in listed and "talk_follow_up" not in listed


async def test_the_overview_shows_missed_talks_and_no_talk_cards_are_said_not_sent(site, clock: ManualClock) -> None:
    from sqlalchemy import delete

    from bot.store.models import TalkRecord

    container, world = site
    async with _client(container) as client:
        page = await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        units = page.text.split('id="units"', 1)[1].split("</table>", 1)[0]
        assert "<th>已错过的谈心</th>" in units and "<td>一年级（1）班</td>" in units
        teachers = page.text.split('id="teachers"', 1)[1].split("</table>", 1)[0]
        assert "<th>已错过的谈心</th>" in teachers
        assert re.search(r"<td>陈老师</td>(<td>[^<]*</td>){3}<td>6</td></tr>", teachers), teachers
        with container.uow() as uow:
            uow.session.execute(delete(TalkRecord))
            uow.commit()
        talks = await client.get("/web/exports/download", params={"kind": "talks"})
        assert talks.status_code == 200 and talks.headers["content-type"].startswith("text/html")
        assert "还没有记录任何谈心，暂无谈心记录卡可导出。" in talks.text


async def test_the_officials_note_states_the_suppression_rule_in_her_language(site) -> None:
    """Issue 9 (exp9): the aggregate-only note says which numbers are hidden and how, zh and en; said once."""
    from html import unescape

    container, world = site
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.town))
        note = unescape(page.text.split('<p class="note">', 1)[1].split("</p>", 1)[0])
        assert note == ("您只能看到汇总数据。为保护儿童隐私，不到5（1至4）的数字显示为<5，"
                        "会透露这类数字的比率显示为区间、(<5)或*。")
        assert unescape(page.text).count("为保护儿童隐私") == 1  # not repeated among the figures
        with container.uow() as uow:  # the official switches to English (/lang in chat)
            official = uow.session.get(Person, world.town)
            assert official is not None
            official.locale = "en"
            uow.commit()
        page = await client.get("/web/")
        note = unescape(page.text.split('<p class="note">', 1)[1].split("</p>", 1)[0])
        assert note.startswith("You see aggregates only. To protect the children's privacy, counts under 5 (1 to 4) "
                               "are shown as <5, and rates that would reveal them as a range, (<5) or *.")
        assert unescape(page.text).count("To protect the children") == 1


async def test_the_officials_table_hides_a_sibling_beside_a_small_school(site) -> None:
    """A third school of 3 children in 清溪镇: 河口小学 (7) is hidden too, so 清溪镇 − the others gives nothing."""
    from html import unescape

    from bot.store.models import School
    from tests.support.school import SchoolBuilder

    container, world = site
    with container.uow() as uow:
        b = SchoolBuilder(uow.session, "溪边小学")
        village = uow.session.get(School, b.school_id)
        assert village is not None
        village.town = "清溪镇"
        klass = b.klass("一年级（1）班")
        for i in range(3):
            b.child(f"溪{i}", f"X{i}", klass)
        uow.commit()
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.town))
        units = unescape(page.text.split('id="units"', 1)[1].split("</table>", 1)[0])
    assert "<tr><td>溪边小学</td><td><5</td>" in units
    assert "<tr><td>河口小学</td><td>*</td><td>*</td>" in units, units  # 7 cards due: hidden beside, not <5
    assert "<tr><td>清溪小学</td><td>8</td>" in units
