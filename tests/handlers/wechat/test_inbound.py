"""The WeChat / WeCom callback endpoints through the real Starlette app (flows double, real database)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.clock import ManualClock
from bot.handlers.wechat.security import CallbackConfig
from bot.store.models import ChatAccount, InboundClaim
from tests.support.fakes import GatedFlows
from tests.support.school import small_school
from tests.support.wechat_double import (
    SendRecorder,
    Tencent,
    configs,
    event_xml,
    make_worker,
    text_xml,
)

# Tencent's published sample (企业微信 "加解密方案说明" / WXBizMsgCrypt samples).
TENCENT = CallbackConfig("wecom", "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
VERIFY = {"msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "timestamp": "1409659589",
          "nonce": "263014780",
          "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="}
MESSAGE_QUERY = {"msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6", "timestamp": "1409659813",
                 "nonce": "1372623149"}
MESSAGE_BODY = (
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo"
    "+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLY"
    "L42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s"
    "4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH"
    "27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]>"
    "</Encrypt></xml>"
)


@pytest.fixture
def flows() -> GatedFlows:
    return GatedFlows()


@pytest.fixture
def recorder() -> SendRecorder:
    return SendRecorder()


# -- Tencent's vectors ---------------------------------------------------------------------------


async def test_tencent_url_verification_vector_returns_the_plain_echostr(uow_factory, flows, recorder):
    clock = ManualClock(datetime.fromtimestamp(1409659589, UTC))
    client, _ = make_worker({"wecom": TENCENT}, flows, uow_factory, clock, recorder)
    async with client:
        answer = await client.get("/wecom/callback", params=VERIFY)
        assert (answer.status_code, answer.text) == (200, "1616140317555161061")
        # The same handshake again is a replay (same nonce).
        assert (await client.get("/wecom/callback", params=VERIFY)).status_code == 403
        forged = dict(VERIFY, nonce="263014781")
        assert (await client.get("/wecom/callback", params=forged)).status_code == 403


async def test_tencent_encrypted_message_vector_is_answered_with_an_encrypted_passive_reply(
        uow_factory, flows, recorder):
    clock = ManualClock(datetime.fromtimestamp(1409659813, UTC))
    client, _ = make_worker({"wecom": TENCENT}, flows, uow_factory, clock, recorder)
    async with client:
        answer = await client.post("/wecom/callback", params=MESSAGE_QUERY, content=MESSAGE_BODY)
    assert answer.status_code == 200
    [inbound] = flows.inbounds
    assert (inbound.channel, inbound.account_id, inbound.text) == ("wecom", "mycreate", "hello")
    assert inbound.update_key is None  # the callback de-duplicates by MsgId itself
    reply = Tencent(TENCENT, clock).open(answer.text)
    assert reply["ToUserName"] == "mycreate" and reply["MsgType"] == "text"
    assert reply["Content"] == "You said: hello\n1. Yes  2. No\n(Reply with the number)"
    assert recorder.sent == []


async def test_stale_timestamp_and_bad_signature_are_refused_before_anything_is_handled(
        uow_factory, flows, recorder):
    clock = ManualClock(datetime.fromtimestamp(1409659813, UTC) + timedelta(minutes=5, seconds=1))
    client, _ = make_worker({"wecom": TENCENT}, flows, uow_factory, clock, recorder)
    async with client:
        stale = await client.post("/wecom/callback", params=MESSAGE_QUERY, content=MESSAGE_BODY)
        clock.advance(timedelta(seconds=-2))  # now 4 min 59 s after the timestamp
        tampered = await client.post("/wecom/callback", params=MESSAGE_QUERY,
                                     content=MESSAGE_BODY.replace("RypE", "RypF"))
        unsigned = await client.post("/wecom/callback", params=dict(MESSAGE_QUERY, msg_signature=""),
                                     content=MESSAGE_BODY)
        garbage = await client.post("/wecom/callback", params=MESSAGE_QUERY, content=b"\xff<xml")
        accepted = await client.post("/wecom/callback", params=MESSAGE_QUERY, content=MESSAGE_BODY)
    assert [r.status_code for r in (stale, tampered, unsigned, garbage)] == [403, 403, 403, 400]
    assert accepted.status_code == 200
    assert len(flows.inbounds) == 1


async def test_a_signed_body_that_does_not_decrypt_is_a_bad_request(uow_factory, flows, recorder, clock):
    cfg = configs()["wecom"]
    client, _ = make_worker({"wecom": cfg}, flows, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    encrypted = "bm90IHJlYWxseSBlbmNyeXB0ZWQ="
    ts, nonce = tencent.timestamp(), "777"
    from tests.support.wechat_double import sign

    query = {"msg_signature": sign(cfg.token, ts, nonce, encrypted), "timestamp": ts, "nonce": nonce}
    async with client:
        answer = await client.post("/wecom/callback", params=query,
                                   content=f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>")
    assert answer.status_code == 400
    assert flows.inbounds == []


# -- Official Account --------------------------------------------------------------------------------


async def test_official_account_plain_mode_handshake_and_text_with_controls_and_emoji(
        uow_factory, flows, recorder, clock):
    cfg = CallbackConfig("wechat", "plain-token", "", "wx0000000000000001")
    client, _ = make_worker({"wechat": cfg}, flows, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    async with client:
        query, _ = tencent.push("")
        hello = await client.get("/wechat/callback", params=dict(query, echostr="4242"))
        assert (hello.status_code, hello.text) == (200, "4242")
        query, body = tencent.push(text_xml("oGuardian", "你好\x00\x07👵🏻\r\n孩子\t好吗\x1b？", 1001))
        answer = await client.post("/wechat/callback", params=query, content=body)
        wrong = await client.get("/wechat/callback", params=dict(query, nonce="9", echostr="1"))
    assert wrong.status_code == 403
    assert flows.inbounds[0].text == "你好👵🏻\n孩子 好吗？"
    reply = tencent.open(answer.text)
    assert reply["ToUserName"] == "oGuardian" and reply["FromUserName"] == "gh_school"
    assert reply["Content"].startswith("You said: 你好👵🏻\n孩子 好吗？")


async def test_official_account_safe_mode_refuses_plain_pushes(uow_factory, flows, recorder, clock):
    cfg = configs()["wechat"]
    client, _ = make_worker({"wechat": cfg}, flows, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    async with client:
        query, body = tencent.push(text_xml("oGuardian", "hi", 1002))
        ok = await client.post("/wechat/callback", params=query, content=body)
        plain = Tencent(CallbackConfig("wechat", cfg.token, "", cfg.receive_id), clock)
        query, body = plain.push(text_xml("oGuardian", "hi again", 1003))
        refused = await client.post("/wechat/callback", params=query, content=body)
    assert tencent.open(ok.text)["Content"].startswith("You said: hi")
    assert refused.status_code == 403
    assert [i.text for i in flows.inbounds] == ["hi"]


# -- five-second rule and retries --------------------------------------------------------------------


async def test_three_deliveries_while_the_first_is_slow_make_one_flows_call_and_one_late_reply(
        uow_factory, flows, recorder, clock):
    cfg = configs()["wechat"]
    client, callbacks = make_worker({"wechat": cfg}, flows, uow_factory, clock, recorder, reply_timeout=0.01)
    tencent = Tencent(cfg, clock)
    xml = text_xml("oGuardian", "/talk 张三", 2001)
    flows.gate.clear()
    async with client:
        first = await client.post("/wechat/callback", **_kw(tencent, xml))
        assert await asyncio.to_thread(flows.entered.wait, 10)  # the first delivery is inside the flows
        retries = [await client.post("/wechat/callback", **_kw(tencent, xml)) for _ in range(2)]
        flows.gate.set()
        await callbacks["wechat"].wait_idle()
        after = await client.post("/wechat/callback", **_kw(tencent, xml))
    assert [r.text for r in (first, *retries, after)] == ["success"] * 4
    assert len(flows.inbounds) == 1
    assert [(s.channel, s.account_id) for s in recorder.sent] == [("wechat", "oGuardian")]
    assert recorder.sent[0].text.startswith("You said: /talk 张三")


async def test_a_retry_after_a_passive_reply_gets_the_same_reply_without_a_second_flows_call(
        uow_factory, flows, recorder, clock):
    cfg = configs()["wecom"]
    client, _ = make_worker({"wecom": cfg}, flows, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    xml = text_xml("li.teacher", "谈心 张三", 3001, agent=True)
    async with client:
        replies = []
        for _ in range(3):
            query, body = tencent.push(xml)
            replies.append(await client.post("/wecom/callback", params=query, content=body))
    contents = [tencent.open(r.text)["Content"] for r in replies]
    assert contents[0].startswith("You said: 谈心 张三") and contents == [contents[0]] * 3
    assert len(flows.inbounds) == 1 and recorder.sent == []


async def test_two_workers_sharing_the_database_handle_a_message_once(uow_factory, flows, recorder, clock):
    cfg = configs()["wechat"]
    worker_a, callbacks_a = make_worker({"wechat": cfg}, flows, uow_factory, clock, recorder, reply_timeout=0.01)
    other_flows = GatedFlows()
    worker_b, callbacks_b = make_worker({"wechat": cfg}, other_flows, uow_factory, clock, recorder,
                                        reply_timeout=0.01)
    tencent = Tencent(cfg, clock)
    xml = text_xml("oParent", "我的", 4001)
    flows.gate.clear()
    async with worker_a, worker_b:
        first = await worker_a.post("/wechat/callback", **_kw(tencent, xml))
        assert await asyncio.to_thread(flows.entered.wait, 10)
        second = await worker_b.post("/wechat/callback", **_kw(tencent, xml))
        third = await worker_b.post("/wechat/callback", **_kw(tencent, xml))
        flows.gate.set()
        await callbacks_a["wechat"].wait_idle()
        await callbacks_b["wechat"].wait_idle()
    assert [r.text for r in (first, second, third)] == ["success"] * 3
    assert len(flows.inbounds) == 1 and other_flows.inbounds == []
    assert len(recorder.sent) == 1
    with uow_factory() as uow:
        [claim] = uow.session.scalars(select(InboundClaim)).all()
        assert claim.finished_at is not None and claim.reply is None  # answered late, not stored for retries


def _kw(tencent: Tencent, xml: str) -> dict:
    query, body = tencent.push(xml)
    return {"params": query, "content": body}


# -- events -------------------------------------------------------------------------------------------


async def test_menu_clicks_scans_and_unfollow(uow_factory, flows, recorder, clock):
    cfg = configs()["wechat"]
    school = small_school(uow_factory, clock.now())
    with uow_factory() as uow:
        uow.session.add(ChatAccount(person_id=school.grandpa, channel="wechat", account_id="oGone",
                                    bound_at=clock.now()))
        uow.commit()
    client, _ = make_worker({"wechat": cfg}, flows, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    async with client:
        async def push(xml: str) -> str:
            return (await client.post("/wechat/callback", **_kw(tencent, xml))).text

        await push(event_xml("oA", "CLICK", "talk"))
        await push(event_xml("oA", "CLICK", "help", create_time=1700000001))
        checkin_help = tencent.open(await push(event_xml("oA", "CLICK", "checkin")))["Content"]
        await push(event_xml("oB", "subscribe", "qrscene_Inv1te-code_x"))
        await push(event_xml("oC", "SCAN", "Inv1te-code_y"))
        await push(event_xml("oD", "subscribe"))
        ignored = await push(event_xml("oA", "VIEW", "https://example.invalid/"))
        gone = await push(event_xml("oGone", "unsubscribe"))
    assert [(i.account_id, i.text) for i in flows.inbounds] == [
        ("oA", "/talk"), ("oA", "/help"), ("oB", "/start Inv1te-code_x"), ("oC", "/start Inv1te-code_y"),
        ("oD", "/start"),
    ]
    assert "回复您所选答案的数字即可" in checkin_help
    assert ignored == "success" and gone == "success"
    with uow_factory() as uow:
        account = uow.session.scalar(select(ChatAccount).where(ChatAccount.account_id == "oGone"))
        assert account.unreachable_at is not None and account.unreachable_reason == "unfollowed"


async def test_retries_arriving_while_the_first_waits_for_the_flows_get_success_and_the_reply_goes_by_api(
        uow_factory, flows, recorder, clock):
    # WeChat retries only after dropping the first connection: a passive reply to it would be lost.
    cfg = configs()["wechat"]
    client, _ = make_worker({"wechat": cfg}, flows, uow_factory, clock, recorder, reply_timeout=60)
    tencent = Tencent(cfg, clock)
    xml = text_xml("oGuardian", "2", 5001)
    flows.gate.clear()
    async with client:
        first = asyncio.create_task(client.post("/wechat/callback", **_kw(tencent, xml)))
        assert await asyncio.to_thread(flows.entered.wait, 10)
        retries = [await client.post("/wechat/callback", **_kw(tencent, xml)) for _ in range(2)]
        assert not first.done()
        flows.gate.set()
        answer = await first
    assert [r.text for r in (*retries, answer)] == ["success", "success", "success"]
    assert [(s.account_id, s.text.splitlines()[0]) for s in recorder.sent] == [("oGuardian", "You said: 2")]
    assert len(flows.inbounds) == 1


async def test_a_reply_longer_than_one_message_goes_passive_first_then_by_customer_service(
        uow_factory, flows, recorder, clock):
    cfg = configs()["wechat"]
    client, callbacks = make_worker({"wechat": cfg}, flows, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    long_text = "\n".join(f"第{i}条：" + "孩子这周很好" * 30 for i in range(20))  # about 11 kB
    async with client:
        answer = await client.post("/wechat/callback", **_kw(tencent, text_xml("oGuardian", long_text, 6001)))
        await callbacks["wechat"].wait_idle()
    first = tencent.open(answer.text)["Content"]
    rest = [s.text for s in recorder.sent]
    assert rest and all(len(t.encode("utf-8")) <= 2048 for t in [first, *rest])
    assert "\n".join([first, *rest]) == f"You said: {long_text}\n1. Yes  2. No\n(Reply with the number)"


async def test_oversized_bodies_and_failing_flows_never_crash_the_endpoint(uow_factory, recorder, clock):
    class BrokenFlows:
        calls = 0

        def handle(self, inbound):
            BrokenFlows.calls += 1
            raise RuntimeError("database went away")

    cfg = configs()["wecom"]
    client, _ = make_worker({"wecom": cfg}, BrokenFlows(), uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    async with client:
        query, _ = tencent.push(text_xml("u1", "hi", 7001))
        huge = await client.post("/wecom/callback", params=query, content=b"<xml>" + b"x" * 70_000 + b"</xml>")
        broken = await client.post("/wecom/callback", **_kw(tencent, text_xml("u1", "hi", 7002)))
        unknown = await client.post("/wecom/callback", **_kw(tencent, text_xml("u1", "hi", 7003).replace(
            "<MsgType><![CDATA[text]]></MsgType>", "<MsgType><![CDATA[image]]></MsgType>")))
    assert huge.status_code == 413  # refused by the web layer before it was read in full
    # Never a 5xx (WeChat would show "该公众号暂时无法提供服务"): the person is asked to send again (fix6j).
    sorry = "抱歉，刚才没能处理您的消息，请稍后再发一次。"
    assert broken.status_code == 200 and tencent.open(broken.text)["Content"] == sorry
    assert unknown.status_code == 200 and tencent.open(unknown.text)["Content"] == sorry
    assert BrokenFlows.calls == 2  # the image went to the flows as empty text (it answers "not understood")


def test_callbacks_are_made_only_for_completely_configured_channels(uow_factory, clock):
    from bot.bootstrap import Container, make_wechat_callbacks
    from bot.config import Settings

    settings = Settings(database_url="sqlite://", wechat_app_id="wx1", wechat_token="t", wechat_allow_plain=True,
                        wecom_corp_id="ww1", wecom_token="t")  # WeCom without its EncodingAESKey
    container = Container(settings=settings, engine=None, uow=uow_factory, clock=clock)  # type: ignore[arg-type]
    callbacks = make_wechat_callbacks(container, GatedFlows())
    assert list(callbacks) == ["wechat"] and not callbacks["wechat"].config.safe_mode
