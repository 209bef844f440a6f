"""Mainland mode (issue 10, item 12): nothing personal goes over Telegram, only a pointer to read it elsewhere.

Telegram's servers are outside mainland China. With
``GUANAI_TELEGRAM_MAINLAND_MODE=true`` every message the bot sends on Telegram
— the outbox's notifications and the replies in a chat alike — is replaced
here, at the last step before the Bot API, by a fixed text without names,
numbers, notes or buttons: "you have a new message from the school", pointing
to the school's WeChat account or dashboard. Inbound messages are still
handled (binding with an invite code works, an answer still counts as
reaching the person), and the outbox prefers any other channel of the person
(``bot.services.delivery``), so the pointer is what a Telegram-only person gets.
"""

from __future__ import annotations

from bot.messages.prompt import N_, Prompt

NOTIFICATION = N_("You have a new message from the school. To protect the children's privacy it is not shown on "
                  "Telegram: please read it in the school's WeChat account or on the school's dashboard.")
REPLY = N_("To protect the children's privacy this bot shows no personal data on Telegram. Please use the school's "
           "WeChat account or the school's dashboard.")
BOT_DATA_KEY = "guanai_mainland_mode"


def pointer(prompt: Prompt, *, reply: bool) -> Prompt:
    """What goes over Telegram instead of ``prompt`` in mainland mode: a fixed pointer, no parameters, no buttons."""
    del prompt  # nothing of it may travel
    return Prompt(REPLY if reply else NOTIFICATION)
