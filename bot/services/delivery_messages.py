"""What the outbox's fallbacks say: phone-call tasks for class teachers and forwarded staff messages."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, PromptKind, msg, text
from bot.messages.prompt import phone as phone_param


def phone_contact_prompt(*, contact: str, child: str, phone: str | None) -> Prompt:
    """To a class teacher: a guardian or parent of the child cannot be reached by chat; phone them."""
    if phone:
        return Prompt(
            N_("{contact}, a contact of {child}, cannot be reached by chat. Please phone them: {phone}."),
            {"contact": text(contact), "child": text(child), "phone": phone_param(phone)},
            kind=PromptKind.TASK,
        )
    return Prompt(
        N_("{contact}, a contact of {child}, cannot be reached by chat and has no phone number on file. "
           "Please reach them another way."),
        {"contact": text(contact), "child": text(child)},
        kind=PromptKind.TASK,
    )


def forwarded_prompt(original: Prompt, *, name: str, roles: list[str], urgent: bool) -> Prompt:
    """A copy of a message a staff member could not get, for whoever can act on it instead.

    It starts with a line naming whom it was meant for (worded as urgent for an
    urgent message), then the original message and its lines; the original's
    buttons are left out (they answer the original recipient's conversation).

    Args:
        original: the undelivered message.
        name: the intended recipient's name.
        roles: their ``Role`` values, in ``Role`` order.
        urgent: the original was URGENT.
    """
    heading = (
        N_("URGENT, forwarded to you: this message was meant for {name} ({roles}), who cannot be reached "
           "by chat. Please act on it or pass it on:")
        if urgent else
        N_("Forwarded to you: this message was meant for {name} ({roles}), who cannot be reached by chat. "
           "Please act on it or pass it on:")
    )
    labels: list[dict[str, Any]] = [msg(ROLE_LABELS[r]) for r in roles if r in ROLE_LABELS]
    return Prompt(heading, {"name": text(name), "roles": labels or "—"},
                  lines=((original.message_id, original.params), *original.lines), kind=PromptKind.NOTICE)


REPEAT_NOTE = N_("(Sent again: we could not confirm that the first copy reached you.)")
"""Added to a message sent a second time after its worker stopped in the middle of sending it."""


def marked_as_repeat(prompt: Prompt) -> Prompt:
    """``prompt`` with a last line saying it may be the second copy (the person need not act twice)."""
    return replace(prompt, lines=(*prompt.lines, (REPEAT_NOTE, {})))
