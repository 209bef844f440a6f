"""Group chats cannot stall private ones (issue 10, item 11): 200 group commands, then a guardian's /help."""

from __future__ import annotations

import asyncio

from bot.handlers.telegram.groups import ALL_GROUPS_PER_MINUTE, PER_GROUP_PER_MINUTE, GroupReplies
from tests.support.botapi_double import BotApiDouble
from tests.support.fakes import FakeFlows

ATTACKER = 6_666_000_001
GUARDIAN = 5_555_000_111
GROUP = -100_200_300_400


async def _until_private_reply(botapi: BotApiDouble, chat_id: int) -> list:
    seen = []
    while not any(m.chat_id == chat_id for m in seen):
        seen += await botapi.next_sent(1)
    return seen


async def test_200_group_commands_do_not_delay_a_guardians_private_help(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    flood = [botapi.text_update(ATTACKER, "/due", chat_id=GROUP, chat_type="supergroup") for _ in range(200)]
    botapi.queue_updates(*flood, botapi.text_update(GUARDIAN, "/help"))

    seen = await _until_private_reply(botapi, GUARDIAN)  # next_sent gives up after 10 s; it took >150 s before

    assert [m.text for m in seen if m.chat_id == GUARDIAN] == ["You said: /help"]
    await fake_flows.next_inbounds(201)
    await asyncio.sleep(0.2)
    in_group = [m for m in seen + botapi.take_sent() if m.chat_id == GROUP]
    assert 1 <= len(in_group) <= PER_GROUP_PER_MINUTE  # the rest is ignored, not queued


async def test_a_flood_from_200_groups_is_thinned_out_and_never_holds_a_private_chat(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    flood = [botapi.text_update(ATTACKER, "/help", chat_id=GROUP - i, chat_type="group") for i in range(200)]
    more = [botapi.text_update(ATTACKER, "/help", chat_id=GROUP - i, chat_type="group") for i in range(5)]
    botapi.queue_updates(*flood, botapi.text_update(GUARDIAN, "/help"), *more)

    seen = await _until_private_reply(botapi, GUARDIAN)

    await fake_flows.next_inbounds(206)
    await asyncio.sleep(0.5)
    in_groups = [m for m in seen + botapi.take_sent() if m.chat_id != GUARDIAN]
    assert len(in_groups) <= ALL_GROUPS_PER_MINUTE
    assert all(inbound.is_group for inbound in fake_flows.inbounds if inbound.account_id == str(ATTACKER))


def test_the_limits_are_per_group_overall_and_on_what_is_pending() -> None:
    now = [0.0]
    replies = GroupReplies(per_group=2, overall=3, max_pending=10, monotonic=lambda: now[0])
    assert [replies.admit(-1) for _ in range(3)] == [True, True, False]
    assert [replies.admit(-2) for _ in range(2)] == [True, False]  # overall: 3 a minute
    now[0] = 60.0
    assert replies.admit(-1) and replies.admit(-2)

    pending = GroupReplies(max_pending=0)
    assert not pending.admit(-3)
