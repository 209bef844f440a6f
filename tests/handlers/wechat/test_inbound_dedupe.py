"""WeChat callbacks de-duplicate per sender and never lose a reply (issue 6, item 6).

Through signed (safe-mode, encrypted) XML posted to the real Starlette
endpoints, as Tencent's servers would post it:

* the dedupe key is (account, sender OpenID, MsgId): two guardians whose
  messages carry the same MsgId each get their own answer;
* WeChat retries a request it got no answer to within 5 s with the very same
  query and body; a retry that arrives while the first attempt is still being
  handled gets ``success`` and the reply then goes out as a customer-service
  message (WeChat has dropped the first connection, so a passive reply to it
  would be lost);
* a byte-identical copy of a request already answered gets the stored answer
  for that same sender, not a 403; the same nonce with another body stays a 403.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.config import Settings
from bot.flows.runner import FlowRunner
from bot.store.models import ChatAccount
from tests.support.fakes import GatedFlows
from tests.support.school import chain_school
from tests.support.wechat_double import SendRecorder, Tencent, configs, make_worker, text_xml, wechat_worker

SETTINGS = Settings(database_url="sqlite://")
SAME_MSG_ID = 24_000_000_001


async def test_two_guardians_whose_messages_carry_the_same_msgid_each_get_their_own_details(
        uow_factory, clock):
    school = chain_school(uow_factory, clock.now(), unbound=tuple(
        ("li", "chen", "grandpa", "father", "mother", "bureau", "town", "admin")))
    with uow_factory() as uow:
        uow.session.add_all([
            ChatAccount(person_id=school.grandpa, channel="wechat", account_id="oGrandpa", bound_at=clock.now()),
            ChatAccount(person_id=school.mother, channel="wechat", account_id="oMother", bound_at=clock.now()),
        ])
        uow.commit()
    cfg = configs()["wechat"]
    recorder = SendRecorder()
    client, callbacks = make_worker({"wechat": cfg}, FlowRunner(uow_factory, clock, SETTINGS), uow_factory, clock,
                                    recorder)
    tencent = Tencent(cfg, clock)
    async with client:
        query, body = tencent.push(text_xml("oGrandpa", "我的", SAME_MSG_ID))
        grandpa = tencent.open((await client.post("/wechat/callback", params=query, content=body)).text)
        query, body = tencent.push(text_xml("oMother", "我的", SAME_MSG_ID))
        mother = tencent.open((await client.post("/wechat/callback", params=query, content=body)).text)
        await callbacks["wechat"].wait_idle()
    assert grandpa["ToUserName"] == "oGrandpa" and "姓名：张爷爷" in grandpa["Content"]
    assert mother["ToUserName"] == "oMother" and "姓名：张妈妈" in mother["Content"]
    assert "张爷爷" not in mother["Content"]
    assert recorder.sent == []


async def test_same_msgid_from_two_senders_reaches_the_engine_twice(uow_factory, clock):
    cfg = configs()["wecom"]
    engine, recorder = GatedFlows(), SendRecorder()
    client, _ = make_worker({"wecom": cfg}, engine, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    async with client:
        replies = []
        for sender, said in (("li.teacher", "谈心 张三"), ("wang.teacher", "待办")):
            query, body = tencent.push(text_xml(sender, said, SAME_MSG_ID, agent=True))
            replies.append(tencent.open((await client.post("/wecom/callback", params=query, content=body)).text))
    assert [(i.account_id, i.text) for i in engine.inbounds] == [("li.teacher", "谈心 张三"), ("wang.teacher", "待办")]
    assert [r["ToUserName"] for r in replies] == ["li.teacher", "wang.teacher"]
    assert replies[1]["Content"].startswith("You said: 待办")


async def test_a_retry_while_the_first_attempt_is_handled_gets_success_and_the_reply_goes_by_customer_service(
        uow_factory, clock):
    worker = wechat_worker(uow_factory, clock, reply_timeout=60)
    query, body = worker.tencent.push(text_xml("oGuardian", "2", 5101))
    async with worker.client:
        first = asyncio.create_task(worker.post(query, body))
        assert await asyncio.to_thread(worker.engine.entered.wait, 10)
        clock.advance(timedelta(seconds=5))
        # WeChat gave up on the first connection after 5 s and posts the very same request again.
        retry = await worker.post(query, body)
        assert (retry.status_code, retry.text) == (200, "success")
        worker.engine.gate.set()
        abandoned = await first
        await worker.callback.wait_idle()
    # Nobody is listening on the first connection any more: its reply is sent as a customer-service message.
    assert abandoned.text == "success"
    assert [(s.account_id, s.text.splitlines()[0]) for s in worker.recorder.sent] == [("oGuardian", "You said: 2")]
    assert len(worker.engine.inbounds) == 1


async def test_a_retry_with_a_fresh_nonce_while_handled_also_moves_the_reply_to_customer_service(
        uow_factory, clock):
    worker = wechat_worker(uow_factory, clock, reply_timeout=60)
    xml = text_xml("oGuardian", "1", 5102)
    async with worker.client:
        first = asyncio.create_task(worker.push(xml))
        assert await asyncio.to_thread(worker.engine.entered.wait, 10)
        retry = await worker.push(xml)  # a fresh nonce
        worker.engine.gate.set()
        abandoned = await first
        await worker.callback.wait_idle()
    assert retry.text == "success" and abandoned.text == "success"
    assert len(worker.recorder.sent) == 1 and worker.recorder.sent[0].account_id == "oGuardian"


async def test_a_byte_identical_copy_of_an_answered_request_gets_the_same_answer_and_changes_nothing(
        uow_factory, clock):
    cfg = configs()["wechat"]
    engine, recorder = GatedFlows(), SendRecorder()
    client, _ = make_worker({"wechat": cfg}, engine, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    query, body = tencent.push(text_xml("oGuardian", "谢谢老师", 5103))
    async with client:
        first = await client.post("/wechat/callback", params=query, content=body)
        clock.advance(timedelta(seconds=6))
        copy = await client.post("/wechat/callback", params=query, content=body)
    assert copy.status_code == 200
    assert tencent.open(copy.text)["Content"] == tencent.open(first.text)["Content"]
    assert tencent.open(copy.text)["ToUserName"] == "oGuardian"
    assert len(engine.inbounds) == 1 and recorder.sent == []


async def test_the_same_nonce_with_another_body_is_still_refused(uow_factory, clock):
    cfg = configs()["wechat"]
    engine, recorder = GatedFlows(), SendRecorder()
    client, _ = make_worker({"wechat": cfg}, engine, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    query, body = tencent.push(text_xml("oGuardian", "你好", 5104), nonce="424242")
    other_query, other_body = tencent.push(text_xml("oIntruder", "你好", 5105), nonce="424242")
    async with client:
        ok = await client.post("/wechat/callback", params=query, content=body)
        replayed = await client.post("/wechat/callback", params=other_query, content=other_body)
    assert ok.status_code == 200 and replayed.status_code == 403
    assert [i.account_id for i in engine.inbounds] == ["oGuardian"]


async def test_on_wecom_a_retry_while_handled_gets_success_and_the_reply_goes_as_an_app_message(uow_factory, clock):
    worker = wechat_worker(uow_factory, clock, reply_timeout=60, channel="wecom")
    query, body = worker.tencent.push(text_xml("li.teacher", "待办", 5106, agent=True))
    async with worker.client:
        first = asyncio.create_task(worker.post(query, body))
        assert await asyncio.to_thread(worker.engine.entered.wait, 10)
        clock.advance(timedelta(seconds=5))
        retry = await worker.post(query, body)
        worker.engine.gate.set()
        abandoned = await first
        await worker.callback.wait_idle()
        again = await worker.post(query, body)  # WeChat's third try, too late
    assert (retry.text, abandoned.text, again.text) == ("success", "success", "success")
    assert [(s.channel, s.account_id, s.text.splitlines()[0]) for s in worker.recorder.sent] == [
        ("wecom", "li.teacher", "You said: 待办")]
    assert len(worker.engine.inbounds) == 1
