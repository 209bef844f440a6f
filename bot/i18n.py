"""Language: gettext catalogs (Babel) and locale-aware formatting.

Catalogs live in ``locales/<locale>/LC_MESSAGES/messages.po`` (zh_Hans first,
en second) and are compiled to ``.mo`` by the build (setup.py). When no
compiled file is found (running from a source checkout), the ``.po`` is
compiled in memory with Babel, so the bot never speaks untranslated text for
want of a build step.

Message ids are the English source text, so English needs no translation
and a missing Chinese entry shows English rather than a key.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.messages.prompt import PLURAL, Prompt

LOCALES = ("zh_Hans", "en")
DEFAULT_LOCALE = "zh_Hans"
DOMAIN = "messages"

_PACKAGE_DIR = Path(__file__).resolve().parent
_SEARCH = (_PACKAGE_DIR.parent / "locales", _PACKAGE_DIR / "locales")


def normalise_locale(value: str | None, default: str = DEFAULT_LOCALE) -> str:
    """Map a stored or platform language code to one of :data:`LOCALES`.

    ``zh``, ``zh-CN``, ``zh_Hans_CN``, ``zh-hans`` → ``zh_Hans``; ``en``,
    ``en-US`` → ``en``; anything else → ``default``.
    """
    if not value:
        return default
    low = value.replace("-", "_").lower()
    if low.startswith("zh"):
        return "zh_Hans"
    if low.startswith("en"):
        return "en"
    return default


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """The gettext translations of ``locale`` (cached)."""
    for root in _SEARCH:
        mo = root / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
        po = mo.with_suffix(".po")
        if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as fh:
                return _gettext.GNUTranslations(fh)
        if po.is_file():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=locale)
            buf = io.BytesIO()
            write_mo(buf, catalog)
            buf.seek(0)
            return _gettext.GNUTranslations(buf)
    return _gettext.NullTranslations()


def gettext(locale: str, message_id: str) -> str:
    """Translate one message id into ``locale``."""
    return translations(normalise_locale(locale)).gettext(message_id)


def ngettext(locale: str, singular: str, plural: str, n: int) -> str:
    """The form of a count message for ``n`` in ``locale`` (by the catalog's Plural-Forms; English when missing)."""
    return translations(normalise_locale(locale)).ngettext(singular, plural, n)


def babel_locale(locale: str) -> Locale:
    """Babel's locale for one of ours (``zh_Hans`` formats as mainland China does)."""
    return Locale.parse("zh_Hans_CN" if normalise_locale(locale) == "zh_Hans" else "en")


def format_when(value: datetime, locale: str, tz: str) -> str:
    """Format an aware datetime in the school's zone, to the minute (``2026年11月29日 18:00``)."""
    zone = ZoneInfo(tz)
    local = value.astimezone(zone)
    loc = babel_locale(locale)
    # CLDR has skeletons for the date and for the time separately; join them as the locale does.
    return format_datetime(local, "{1} {0}", tzinfo=zone, locale=loc).format(
        format_skeleton("Hm", local, tzinfo=zone, locale=loc),
        format_skeleton("yMMMd", local, tzinfo=zone, locale=loc),
    )


def format_duration(seconds: float, locale: str) -> str:
    """Format a duration (``30 minutes`` / ``30分钟``)."""
    return format_timedelta(timedelta(seconds=seconds), locale=babel_locale(locale))


def format_phone(e164: str, region: str = "CN") -> str:
    """A stored E.164 number in the national form for numbers of ``region``, else international.

    Falls back to the stored text when it does not parse (phonenumbers).
    """
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL
           if phonenumbers.region_code_for_number(number) == region
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, fmt)


@dataclass(frozen=True)
class Rendered:
    """A prompt rendered for one recipient.

    Attributes:
        text: the message text (escaped by the channel's ``escape``).
        choices: ``(label, payload)`` pairs in order.
    """

    text: str
    choices: tuple[tuple[str, str], ...]


def _resolve(value: Any, locale: str, tz: str, escape: Callable[[str], str]) -> Any:
    if isinstance(value, dict) and "$t" in value:
        kind = value["$t"]
        if kind == "datetime":
            return escape(format_when(datetime.fromisoformat(value["v"]).astimezone(UTC), locale, tz))
        if kind == "date":
            return escape(format_date(date.fromisoformat(value["v"]), "long", locale=babel_locale(locale)))
        if kind == "month":
            first = date.fromisoformat(f"{value['v']}-01")
            return escape(format_skeleton("yMMMM", datetime(first.year, first.month, 1, tzinfo=UTC),
                                          tzinfo=UTC, locale=babel_locale(locale)))
        if kind == "duration":
            return escape(format_duration(value["v"], locale))
        if kind == "msg":
            return _format(value["v"], value.get("p") or {}, locale, tz, escape)
        if kind == "phone":
            return escape(format_phone(str(value["v"])))
        if kind == "text":
            return escape(str(value["v"]))
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return escape("、" if normalise_locale(locale) == "zh_Hans" else ", ").join(
            str(_resolve(v, locale, tz, escape)) for v in value
        )
    return value


def _format(message_id: str, params: dict[str, Any], locale: str, tz: str, escape: Callable[[str], str]) -> str:
    count = params.get(PLURAL)
    if isinstance(count, dict):
        source = message_id if count["n"] == 1 else count["pl"]
        template = ngettext(locale, message_id, count["pl"], count["n"])
    else:
        source, template = message_id, gettext(locale, message_id)
    values = {k: _resolve(v, locale, tz, escape) for k, v in params.items() if k != PLURAL}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        # A catalog entry with a broken field must not lose the message: fall back to the source text.
        return source.format(**values)


def format_param(value: Any, locale: str, tz: str = "Asia/Shanghai") -> str:
    """One prompt parameter (a roster term, a date, a name) as the reader reads it, unescaped.

    For pages whose template escapes (the dashboard): the same words as the chat shows.
    """
    return str(_resolve(value, normalise_locale(locale), tz, lambda s: s))


def render(
    prompt: Prompt,
    locale: str,
    tz: str = "Asia/Shanghai",
    escape: Callable[[str], str] = lambda s: s,
) -> Rendered:
    """Render a prompt for one recipient.

    Args:
        prompt: what to say.
        locale: the recipient's locale (``zh_Hans`` / ``en``).
        tz: the school's IANA zone for datetimes.
        escape: the channel's escaping for user-supplied text (HTML for Telegram).
    """
    loc = normalise_locale(locale)
    parts = [_format(prompt.message_id, prompt.params, loc, tz, escape)]
    parts.extend(_format(m, p, loc, tz, escape) for m, p in prompt.lines)
    choices = tuple(
        (_format(c.label, c.params, loc, tz, lambda s: s), c.payload) for c in prompt.choices
    )
    return Rendered(text="\n".join(parts), choices=choices)
