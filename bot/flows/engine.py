"""The flow engine: the one entry point every channel calls with an inbound message.

Interface (stable; channels depend on it):

    engine = FlowEngine(uow_factory, clock, settings)
    reply = engine.handle(Inbound(channel="telegram", account_id="123", text="/talk 张三"))
    for prompt in reply.prompts: render(prompt, reply.locale, reply.timezone)

State lives in the ``conversations`` table keyed by (channel, account), so a
restart loses nothing. Every prompt with choices carries the conversation
``version`` in its payloads; a payload with an older version is answered
"that button is from an earlier question" and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.flows.prompt import Prompt


@dataclass(frozen=True)
class Inbound:
    """One message from a person, whatever the channel.

    Attributes:
        channel: ``bot.domain.enums.Channel`` value.
        account_id: the chat account (Telegram user id as text, WeChat OpenID …).
        text: typed text, or None for a button press. Commands arrive as text
            (``/talk 张三`` or the Chinese keyword ``谈心 张三``).
        payload: the ``Choice.payload`` of a pressed button, or None.
        is_group: the message came from a group chat (no child data there).
        update_key: platform id of the update (Telegram ``update_id``, WeChat
            MsgId) for de-duplicating redeliveries; None when the channel has none.
        language_code: the platform's language hint, used only before the
            person has a stored locale.
    """

    channel: str
    account_id: str
    text: str | None = None
    payload: str | None = None
    is_group: bool = False
    update_key: str | None = None
    language_code: str | None = None


@dataclass
class Reply:
    """What to send back to the person who wrote.

    Attributes:
        prompts: in order.
        locale: the person's locale for rendering.
        timezone: the school's IANA zone.
    """

    prompts: list[Prompt] = field(default_factory=list)
    locale: str = "zh_Hans"
    timezone: str = "Asia/Shanghai"
