"""A chat account talking to the flow runner, as a test sees it (the reply rendered with the real catalogs)."""

from __future__ import annotations

from typing import Any

from bot.domain.enums import Channel
from bot.flows.runner import Flows, Inbound
from bot.i18n import Rendered, render


class Chat:
    """One chat account talking to the flow runner, as a test sees it.

    ``send`` and ``press`` return the reply rendered with the real catalogs
    (:func:`bot.i18n.render`) in the reply's locale.
    """

    def __init__(self, flows: Flows, account_id: str, channel: str = Channel.TELEGRAM.value,
                 is_group: bool = False) -> None:
        self.flows = flows
        self.account_id = account_id
        self.channel = channel
        self.is_group = is_group
        self.reply: Any = None
        self.rendered: list[Rendered] = []

    def _handle(self, **kwargs: Any) -> list[Rendered]:
        self.reply = self.flows.handle(
            Inbound(channel=self.channel, account_id=self.account_id, is_group=self.is_group, **kwargs)
        )
        self.rendered = [render(p, self.reply.locale, self.reply.timezone) for p in self.reply.prompts]
        return self.rendered

    def send(self, text: str, update_key: str | None = None) -> list[Rendered]:
        return self._handle(text=text, update_key=update_key)

    def press(self, payload: str, update_key: str | None = None) -> list[Rendered]:
        return self._handle(payload=payload, update_key=update_key)

    def send_media(self, *media: tuple[str, str], caption: str | None = None) -> list[Rendered]:
        """Photos or a voice message (``(kind, media ref)``, as the channel saved them), with an optional caption."""
        return self._handle(text=caption, media=tuple(media))

    @property
    def text(self) -> str:
        """All text of the last reply."""
        return "\n".join(r.text for r in self.rendered)

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(label, payload) of the last reply's choices."""
        return [c for r in self.rendered for c in r.choices]

    def number(self, label: str) -> str:
        """The number a person without buttons types for the choice ``label`` in the last reply."""
        for prompt in self.reply.prompts:
            for i, choice in enumerate(prompt.choices):
                if render(type(prompt)(choice.label, choice.params), self.reply.locale).text == label:
                    return str(prompt.first_number + i)
        raise AssertionError(f"no choice {label!r} in {self.text!r}")

    def payload(self, label: str) -> str:
        """The payload of the button labelled ``label`` in the last reply."""
        for shown, payload in self.choices:
            if shown == label:
                return payload
        raise AssertionError(f"no button {label!r} in {self.choices!r}")

    def tap(self, label: str, update_key: str | None = None) -> list[Rendered]:
        """Press the button labelled ``label`` in the last reply."""
        return self.press(self.payload(label), update_key)
