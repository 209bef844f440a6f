"""Template messages: which configured template carries a prompt outside WeChat's 48-hour window, and its data.

WeChat lets an account send customer-service messages for 48 hours after the
person's last message (客服消息接口); later only template messages, each of
a template the school configured (``GUANAI_WECHAT_TEMPLATE_CHECKIN``,
``…_REMINDER``, ``…_INCIDENT``, ``…_ACCOUNT``: a chat told it was unlinked).
The template is chosen by the prompt's :class:`~bot.messages.prompt.PromptKind`,
never by reading its text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.handlers.wechat.render import render_text
from bot.i18n import format_when, render
from bot.messages.prompt import Prompt, PromptKind

TEMPLATE_VALUE_CHARS = 200

TEMPLATES: dict[str, tuple[str, ...]] = {
    PromptKind.CHECKIN: ("checkin",),
    PromptKind.CHECKIN_REMINDER: ("reminder", "checkin"),
    PromptKind.INCIDENT_ALERT: ("incident",),
    PromptKind.INCIDENT_REMINDER: ("reminder", "incident"),
    PromptKind.INCIDENT_NOTICE: ("incident",),
    PromptKind.ACCOUNT_NOTICE: ("account",),
}
"""Prompt kind → the template settings (``wechat_template_<name>``) that may carry it, best first.

Other kinds (digest, task, notice) have no template: outside the window they
cannot go on WeChat, and the outbox tries the person's next account.
"""

# Which template field carries which part of a message. The default fits the classic
# first / keyword1–3 / remark templates; a school using the newer category templates
# (thing1, time2 …, 20 characters each) maps the parts with GUANAI_WECHAT_TEMPLATE_FIELDS.
CLASSIC_FIELDS = {"title": "first", "child": "keyword1", "time": "keyword2", "detail": "keyword3",
                  "reply": "remark"}


def template_kind(prompt: Prompt) -> tuple[str, ...]:
    """Which configured template(s) may carry ``prompt`` outside the 48 h window, best first (:data:`TEMPLATES`)."""
    return TEMPLATES.get(prompt.kind or "", ())


def _value(text: str, limit: int = TEMPLATE_VALUE_CHARS) -> dict[str, str]:
    text = " ".join(text.split())
    return {"value": text if len(text) <= limit else text[: limit - 1] + "…"}


def template_data(prompt: Prompt, locale: str, timezone: str, now: datetime,
                  fields: Mapping[str, str] | None = None,
                  limit: int = TEMPLATE_VALUE_CHARS) -> dict[str, dict[str, str]]:
    """The template message's ``data``.

    The parts of a message — ``title`` (its first line), ``child`` (the
    child's name, ``—`` when none), ``time`` (sending time in the school's
    zone), ``detail`` (the rest of the message) and ``reply`` (the numbered
    choices and the reply hint) — go to the template fields named by
    ``fields`` (default :data:`CLASSIC_FIELDS`; a part mapped to no field is
    left out). Values are single-line, at most ``limit`` characters (cut with
    ``…``; WeChat's newer templates allow 20).

    Args:
        prompt: the message.
        locale: the recipient's locale.
        timezone: the school's IANA zone.
        now: the sending time (aware UTC).
        fields: message part → template field name.
        limit: the longest value, in characters.
    """
    fields = dict(fields or CLASSIC_FIELDS)
    rendered = render(prompt, locale, timezone)
    first, _, rest = rendered.text.partition("\n")
    child = prompt.params.get("child")
    child_name = child.get("v") if isinstance(child, dict) else child
    full = render_text(prompt, locale, timezone)
    reply = full[len(rendered.text):].strip() if rendered.choices else ""
    parts = {
        "title": first,
        "child": str(child_name) if child_name else "—",
        "time": format_when(now, locale, timezone),
        "detail": rest or first,
        "reply": reply,
    }
    return {key: _value(parts[part], limit) for part, key in fields.items() if part in parts and key}
