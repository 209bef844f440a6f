"""The WeChat Official Account and WeCom channels (inbound callbacks; outgoing messages in ``client``)."""

from __future__ import annotations

from typing import Any

from bot.domain.enums import Channel
from bot.handlers.wechat.inbound import (
    CallbackAnswer,
    CallbackConfig,
    WeChatCallback,
    clean_text,
    config_from_settings,
    to_incoming,
)
from bot.handlers.wechat.render import custom_menu, render_text, reply_texts, split_text

__all__ = [
    "CallbackAnswer", "CallbackConfig", "WeChatCallback", "clean_text", "config_from_settings", "custom_menu",
    "make_callbacks", "render_text", "reply_texts", "split_text", "to_incoming",
]


def make_callbacks(container: Any, engine: Any, **options: Any) -> dict[str, WeChatCallback]:
    """The callbacks of the configured WeChat channels, for ``create_app(wechat_callbacks=...)``.

    Args:
        container: ``bot.bootstrap.Container`` (settings, uow, clock).
        engine: the flow engine.
        options: passed to :class:`WeChatCallback` (``reply_timeout``, ``send_text``).

    Returns:
        ``{"wechat": …, "wecom": …}`` with only the channels whose settings are complete.
    """
    callbacks = {}
    for channel in (Channel.WECHAT.value, Channel.WECOM.value):
        config = config_from_settings(container.settings, channel)
        if config is not None:
            callbacks[channel] = WeChatCallback(config, engine, container.uow, container.clock,
                                                container.settings, **options)
    return callbacks
