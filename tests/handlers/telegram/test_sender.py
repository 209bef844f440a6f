"""TelegramSender: what the outbox sees when Telegram accepts, throttles or refuses a message."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.handlers.telegram import TelegramSender, build_application
from bot.messages.prompt import Choice, Prompt, text
from bot.services.pacing import Limits, Pacer
from bot.services.ports import (
    MessageRejectedError,
    PermanentSendError,
    TransientSendError,
)
from tests.support.botapi_double import BotApiDouble
from tests.support.fakes import FakeFlows

GUARDIAN = 6_000_000_001


@pytest.fixture
async def sender(botapi: BotApiDouble) -> AsyncIterator[TelegramSender]:
    # The bot as `guanai run` builds it (with the rate limiter), initialised but not polling.
    application = build_application(botapi.token, FakeFlows(), api_url=botapi.api_url, webhook=True)
    await application.initialize()
    try:
        yield TelegramSender(application.bot)
    finally:
        await application.shutdown()


PROMPT = Prompt("Incident about {child}", {"child": text("<小明>")}, choices=(Choice("Acknowledge", "ack:42"),))


async def test_a_prompt_is_sent_as_html_in_the_recipients_locale(botapi: BotApiDouble, sender: TelegramSender) -> None:
    await sender.send(str(GUARDIAN), PROMPT, "en", "Asia/Shanghai")
    [sent] = botapi.sent
    assert (sent.chat_id, sent.parse_mode) == (GUARDIAN, "HTML")
    assert sent.text == "Incident about &lt;小明&gt;"
    assert sent.buttons() == [[("Acknowledge", "ack:42")]]


async def test_flood_control_is_transient_with_telegrams_retry_after(
    botapi: BotApiDouble, sender: TelegramSender
) -> None:
    botapi.fail_chat(GUARDIAN, "flood", retry_after=1, times=1)
    with pytest.raises(TransientSendError) as caught:
        await sender.send(str(GUARDIAN), PROMPT, "en", "Asia/Shanghai")
    assert caught.value.retry_after == 1
    assert botapi.sent == []
    await sender.send(str(GUARDIAN), PROMPT, "en", "Asia/Shanghai")  # the retry waits its turn and goes through
    assert len(botapi.sent) == 1


async def test_a_guardian_who_blocked_the_bot_is_unreachable(botapi: BotApiDouble, sender: TelegramSender) -> None:
    botapi.fail_chat(GUARDIAN, "blocked")
    with pytest.raises(PermanentSendError, match="blocked"):
        await sender.send(str(GUARDIAN), PROMPT, "zh_Hans", "Asia/Shanghai")


async def test_an_unknown_chat_is_unreachable(botapi: BotApiDouble, sender: TelegramSender) -> None:
    botapi.fail_chat(GUARDIAN, "not_found")
    with pytest.raises(PermanentSendError, match="(?i)chat not found"):
        await sender.send(str(GUARDIAN), PROMPT, "zh_Hans", "Asia/Shanghai")


async def test_a_deactivated_user_is_unreachable(botapi: BotApiDouble, sender: TelegramSender) -> None:
    botapi.fail_chat(GUARDIAN, "deactivated")
    with pytest.raises(PermanentSendError, match="(?i)deactivated"):
        await sender.send(str(GUARDIAN), PROMPT, "zh_Hans", "Asia/Shanghai")


async def test_a_bad_request_about_the_message_rejects_that_message_only(
    botapi: BotApiDouble, sender: TelegramSender
) -> None:
    botapi.fail_chat(GUARDIAN, "rejected", times=1)
    with pytest.raises(MessageRejectedError, match="(?i)button_data_invalid") as caught:
        await sender.send(str(GUARDIAN), PROMPT, "zh_Hans", "Asia/Shanghai")
    assert not isinstance(caught.value, PermanentSendError)
    await sender.send(str(GUARDIAN), PROMPT, "en", "Asia/Shanghai")  # the next message arrives
    assert len(botapi.sent) == 1


async def test_a_dead_bot_api_server_is_a_transient_network_error(sender: TelegramSender, botapi: BotApiDouble) -> None:
    botapi.go_down()
    with pytest.raises(TransientSendError) as caught:
        await sender.send(str(GUARDIAN), PROMPT, "en", "Asia/Shanghai")
    assert caught.value.retry_after is None


async def test_an_account_id_that_is_not_a_telegram_id_is_unreachable(sender: TelegramSender) -> None:
    with pytest.raises(PermanentSendError):
        await sender.send("wx-openid-abc", PROMPT, "en", "Asia/Shanghai")


async def test_catalog_text_telegram_cannot_parse_as_html_goes_out_as_plain_text(
    botapi: BotApiDouble, sender: TelegramSender
) -> None:
    sloppy = Prompt("Score < 5 & falling for {child}", {"child": text("<小明>")}, choices=(Choice("OK", "f:1:ok"),))
    await sender.send(str(GUARDIAN), sloppy, "en", "Asia/Shanghai")
    [sent] = botapi.sent
    assert sent.parse_mode is None
    assert sent.text == "Score < 5 & falling for <小明>"
    assert sent.buttons() == [[("OK", "f:1:ok")]]


async def test_the_bots_requests_tell_the_pacer_when_they_are_written(
    botapi: BotApiDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer = Pacer(Limits(overall_per_second=20.0, per_chat_seconds=1.0, per_group_seconds=3.0))
    written: list[float] = []
    report = pacer.request_written

    async def spy() -> None:
        written.append(time.monotonic())
        await report()

    monkeypatch.setattr(pacer, "request_written", spy)
    application = build_application(botapi.token, FakeFlows(), api_url=botapi.api_url, webhook=True, pacer=pacer)
    await application.initialize()  # getMe: written, not paced
    try:
        before = len(written)
        sender = TelegramSender(application.bot)
        await asyncio.gather(*(sender.send(str(GUARDIAN + i), PROMPT, "en", "UTC") for i in range(3)))
    finally:
        await application.shutdown()
    assert len(written) - before == 3 == len(botapi.sent)
    # Each was reported before it arrived: the count is taken as the request goes, not after the answer.
    assert all(w <= m.at for w, m in zip(sorted(written[before:]), sorted(botapi.sent, key=lambda m: m.at),
                                         strict=True))
