"""No WeChat message is lost to a claim: a dead attempt's claim has a lease, a failed one is released (fix6j).

Issue 6, items 4 ("nothing said is dropped") and 6 ("WeChat callbacks"), through signed, encrypted XML posted
to the real endpoint. WeChat pushes a message again when it got no answer within 5 s, three times in all:

* an attempt killed mid-message (a deploy, the OOM killer) leaves its claim unfinished; a retry after the
  lease (``CLAIM_LEASE``, 10 s) takes it over and handles the message, one before it still gets ``success``;
* an attempt still running on this worker is never taken over, however long it takes;
* when the flows fail (the database errs), the claim is released, not finished with no reply: the person is
  asked, in their language, to send the message again, and WeChat's retry of it is handled afresh.
"""

from __future__ import annotations

from datetime import timedelta

from bot.services import callbacks as cb
from bot.store.models import ChatAccount, Person
from tests.support.fakes import GatedFlows
from tests.support.school import chain_school
from tests.support.wechat_double import SendRecorder, Tencent, configs, make_worker, text_xml

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
    cfg = configs()["wechat"]
    engine, recorder = GatedFlows(), SendRecorder()
    client, callbacks = make_worker({"wechat": cfg}, engine, uow_factory, clock, recorder, reply_timeout=0.2)
    tencent = Tencent(cfg, clock)
    xml = text_xml("oGuardian", "2", 7003)
    engine.gate.clear()
    async with client:
        query, body = tencent.push(xml)
        first = await client.post("/wechat/callback", params=query, content=body)
        clock.advance(timedelta(seconds=15))
        query, body = tencent.push(xml)
        retry = await client.post("/wechat/callback", params=query, content=body)
        engine.gate.set()
        await callbacks["wechat"].wait_idle()
    assert (first.text, retry.text) == ("success", "success")
    assert len(engine.inbounds) == 1
    assert [s.text.splitlines()[0] for s in recorder.sent] == ["You said: 2"]


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
