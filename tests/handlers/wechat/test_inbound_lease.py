"""No WeChat message is lost to a claim: a dead attempt's claim has a lease, a failed one is released (fix6j).

Issue 6, items 4 ("nothing said is dropped") and 6 ("WeChat callbacks"), through signed, encrypted XML posted
to the real endpoint. WeChat pushes a message again when it got no answer within 5 s, three times in all:

* an attempt killed mid-message (a deploy, the OOM killer) leaves its claim unfinished; a retry after the
  lease (``CLAIM_LEASE``, 10 s) takes it over and handles the message, one before it still gets ``success``;
* an attempt still running on this worker is never taken over, however long it takes;
* a live attempt on another worker renews its lease while it works: however slow, WeChat's retries get
  ``success`` and the person's message is handled once; one that died stops renewing and is taken over;
* when the flows fail (the database errs), the claim is released, not finished with no reply: the person is
  asked, in their language, to send the message again, and WeChat's retry of it is handled afresh.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.services import callbacks as cb
from bot.store.models import ChatAccount, InboundClaim, Person
from tests.support.fakes import GatedFlows
from tests.support.school import chain_school
from tests.support.wechat_double import SendRecorder, Tencent, Worker, configs, make_worker, text_xml, wechat_worker

SORRY_ZH = "抱歉，刚才没能处理您的消息，请稍后再发一次。"
SORRY_EN = "Sorry, your message could not be handled just now. Please send it again in a moment."


class FailingFlows(GatedFlows):
    """Flows whose database fails the first ``failures`` times (once ``gate`` opens), then answer as usual."""

    def __init__(self, failures: int = 1) -> None:
        super().__init__()
        self.failures = failures

    def handle(self, inbound):
        if self.failures:
            self.failures -= 1
            self.inbounds.append(inbound)
            assert self.gate.wait(30), "test gate never opened"
            raise RuntimeError("database is down")
        return super().handle(inbound)


async def test_a_claim_left_by_an_attempt_that_died_is_taken_over_by_a_retry_after_the_lease(uow_factory, clock):
    cfg = configs()["wechat"]
    engine, recorder = GatedFlows(), SendRecorder()
    xml = text_xml("oGuardian", "孩子发烧两天了", 7001)
    # The first attempt claimed the message, then its process was killed before it finished.
    assert cb.claim(uow_factory, channel="wechat", key="m:gh_school/:oGuardian:7001",
                    now=clock.now()).status == cb.ClaimStatus.NEW
    client, callbacks = make_worker({"wechat": cfg}, engine, uow_factory, clock, recorder, reply_timeout=5)
    tencent = Tencent(cfg, clock)
    answers = []
    async with client:
        for _ in range(3):  # WeChat's retries, about 5 s apart
            clock.advance(timedelta(seconds=5))
            query, body = tencent.push(xml)
            answers.append((await client.post("/wechat/callback", params=query, content=body)).text)
        await callbacks["wechat"].wait_idle()
    assert answers[0] == "success"  # 5 s on: the first attempt may still be working
    reply = tencent.open(answers[1])  # 10 s on: the lease is over, this retry handles it and answers
    assert reply["ToUserName"] == "oGuardian" and reply["Content"].startswith("You said: 孩子发烧两天了")
    assert answers[2] == "success" or tencent.open(answers[2])["Content"] == reply["Content"]
    assert [i.text for i in engine.inbounds] == ["孩子发烧两天了"]  # handled once
    assert recorder.sent == []


async def test_an_attempt_still_running_on_this_worker_is_never_taken_over(uow_factory, clock):
    worker = wechat_worker(uow_factory, clock, reply_timeout=0.2)
    xml = text_xml("oGuardian", "2", 7003)
    async with worker.client:
        first = await worker.push(xml)
        clock.advance(timedelta(seconds=15))
        retry = await worker.push(xml)
        worker.engine.gate.set()
        await worker.callback.wait_idle()
    assert (first.text, retry.text) == ("success", "success")
    assert len(worker.engine.inbounds) == 1
    assert [s.text.splitlines()[0] for s in worker.recorder.sent] == ["You said: 2"]


async def renewed(uow_factory, key: str, when: datetime) -> None:
    """Wait (a little, in real time) until the live attempt has renewed its claim at ``when`` or later."""
    for _ in range(200):
        with uow_factory() as uow:
            at = uow.session.scalar(select(InboundClaim.claimed_at).where(InboundClaim.dedupe_key == key))
        if at is not None and at >= when:
            return
        await asyncio.sleep(0.01)


def two_workers(uow_factory, clock) -> tuple[Worker, Worker]:
    """Two workers sharing the database: the first one's flows are held (slow), it renews its claims often."""
    return (wechat_worker(uow_factory, clock, reply_timeout=0.2, renew_every=0.01),
            wechat_worker(uow_factory, clock, reply_timeout=5, held=False))


async def test_a_slow_attempt_on_another_worker_keeps_the_message_and_the_guardian_hears_once(uow_factory, clock):
    slow, other = two_workers(uow_factory, clock)
    xml, key = text_xml("oGuardian", "好的，我明天去学校接她", 7005), "m:gh_school/:oGuardian:7005"
    async with slow.client, other.client:
        answers = [(await slow.push(xml)).text]  # its flows take longer than WeChat's 5 s, and longer than the lease
        for _ in range(3):  # WeChat's retries, about 5, 10 and 15 s later, reach another worker
            clock.advance(timedelta(seconds=5))
            await renewed(uow_factory, key, clock.now())
            answers.append((await other.push(xml)).text)
        slow.engine.gate.set()
        await slow.callback.wait_idle()
        await other.callback.wait_idle()
    assert answers == ["success"] * 4
    assert [i.text for i in slow.engine.inbounds] == ["好的，我明天去学校接她"]
    assert other.engine.inbounds == []  # not handled a second time (a reply relayed twice, an answer applied twice)
    assert [(s.account_id, s.text.splitlines()[0]) for s in slow.recorder.sent] == [
        ("oGuardian", "You said: 好的，我明天去学校接她")]  # the guardian hears the answer once, by API
    assert other.recorder.sent == []


async def test_an_attempt_that_died_stops_renewing_and_a_retry_takes_the_message_over(uow_factory, clock):
    dying, other = two_workers(uow_factory, clock)
    xml, key = text_xml("oGuardian", "孩子发烧两天了", 7006), "m:gh_school/:oGuardian:7006"
    async with dying.client, other.client:
        answers = [(await dying.push(xml)).text]
        clock.advance(timedelta(seconds=5))
        await renewed(uow_factory, key, clock.now())  # alive 5 s on: renewed
        answers.append((await other.push(xml)).text)
        await dying.kill()  # then its process is killed: no reply, no more renewals
        clock.advance(timedelta(seconds=5))
        answers.append((await other.push(xml)).text)  # 10 s on, 5 s since the last renewal: still its
        clock.advance(timedelta(seconds=5))
        last = other.tencent.open((await other.push(xml)).text)  # 15 s on: the lease is over, taken over
        await other.callback.wait_idle()
    dying.engine.gate.set()  # its held thread ends; what it returns goes nowhere
    assert answers == ["success"] * 3
    assert last["ToUserName"] == "oGuardian" and last["Content"].startswith("You said: 孩子发烧两天了")
    assert [i.text for i in other.engine.inbounds] == ["孩子发烧两天了"]
    assert dying.recorder.sent == [] and other.recorder.sent == []


async def test_when_the_flows_fail_the_person_is_asked_to_send_again_and_the_retry_is_handled(uow_factory, clock):
    cfg = configs()["wechat"]
    engine, recorder = FailingFlows(), SendRecorder()
    client, callbacks = make_worker({"wechat": cfg}, engine, uow_factory, clock, recorder)
    tencent = Tencent(cfg, clock)
    xml = text_xml("oGuardian", "孩子发烧两天了", 7002)
    async with client:
        query, body = tencent.push(xml)
        first = tencent.open((await client.post("/wechat/callback", params=query, content=body)).text)
        clock.advance(timedelta(seconds=5))
        query, body = tencent.push(xml)  # a retry of the same message (the first connection was lost)
        second = tencent.open((await client.post("/wechat/callback", params=query, content=body)).text)
        await callbacks["wechat"].wait_idle()
    assert first["ToUserName"] == "oGuardian" and first["Content"] == SORRY_ZH
    assert second["Content"].startswith("You said: 孩子发烧两天了")  # the claim was released, not finished
    assert len(engine.inbounds) == 2


async def test_the_failure_is_told_in_the_persons_language_by_api_when_the_connection_was_given_up(
        uow_factory, clock):
    school = chain_school(uow_factory, clock.now(), unbound=("li", "chen", "grandpa", "father", "mother",
                                                             "bureau", "town", "admin"))
    with uow_factory() as uow:
        uow.session.get(Person, school.father).locale = "en"
        uow.session.add(ChatAccount(person_id=school.father, channel="wechat", account_id="oFather",
                                    bound_at=clock.now()))
        uow.commit()
    cfg = configs()["wechat"]
    engine, recorder = FailingFlows(), SendRecorder()
    engine.gate.clear()
    client, callbacks = make_worker({"wechat": cfg}, engine, uow_factory, clock, recorder, reply_timeout=0.2)
    tencent = Tencent(cfg, clock)
    async with client:
        query, body = tencent.push(text_xml("oFather", "how is she", 7004))
        answer = await client.post("/wechat/callback", params=query, content=body)  # no answer in time
        engine.gate.set()  # ... and then the database fails
        await callbacks["wechat"].wait_idle()
    assert answer.text == "success"
    assert [(s.account_id, s.text) for s in recorder.sent] == [("oFather", SORRY_EN)]
