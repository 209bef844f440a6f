"""Logs carry ids only, at every level (issue 10, item 6).

:class:`Redactor` is a :class:`logging.Filter`; :func:`install` applies it to
each record as it is made, whichever logger makes it — ours,
python-telegram-bot's, httpx's, wechatpy's, SQLAlchemy's, uvicorn's — and at
every level, DEBUG included. It formats the record, removes what must never
be written and leaves the record holding the cleaned text:

* the configured secrets, word for word (bot token, webhook secret, WeChat
  app secret, callback tokens, EncodingAESKeys, the data key), and anything
  shaped like a Telegram bot token (also inside Bot API URLs);
* invite codes and other random codes (22+ URL-safe characters with a digit),
  and the values of ``access_token=``, ``secret=``, ``code=``, ``echostr=``…
  in URLs and forms;
* phone numbers (mainland mobiles and landlines, ``+86``, any run of 7+
  digits written with spaces or dashes between groups);
* names and free text: every run of Chinese characters (our own log lines
  are English; Chinese in a record is always a name, a note or a message),
  and in third-party records the values of free-text fields such as
  ``text``, ``first_name``, ``Content`` or ``description``;
* SQL parameters (SQLAlchemy logs them, and puts them in exception messages).

Numbers that are ids (update, conversation, incident, chat ids up to 13
digits written without separators) stay: they are what an operator needs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                  r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]+")
_CODE = re.compile(r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]{0,200}\d)(?=[A-Za-z0-9_-]{0,200}[A-Za-z])"
                   r"[A-Za-z0-9_-]{22,}(?![A-Za-z0-9_-])")
_PARAMS = re.compile(r"(?i)\b(access_token|secret|token|code|echostr|ticket|signature|msg_signature|password"
                     r"|start|scene_str|EventKey)(=|\"?\s*:\s*\"?|'?\s*:\s*'?)([^&\s'\",}<]+)")
_FREE_TEXT = re.compile(
    r"(?i)(['\"]?\b(?:text|caption|first_name|last_name|username|title|content|description|note|notes|detail|"
    r"details|address|phone|name|query|data|bio)\b['\"]?\s*[:=]\s*)('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
)
_XML_TEXT = re.compile(r"(?s)<(Content|Recognition|Title|Description|EventKey)>.*?</\1>")
_SQL_PARAMS = re.compile(r"\[parameters: [^\n]*")
_PHONE = re.compile(
    r"(?<![\w.])(?:\+?86[\s-]?)?(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]\d{7,8}|\d{2,4}(?:[\s-]\d{3,4}){2,})"
    r"(?![\w.])"
)

_SQL_LOGGERS = ("sqlalchemy.engine",)


class Redactor(logging.Filter):
    """Removes secrets, codes, phones, names and free text from every record (see the module doc).

    Args:
        secrets: literal values never to be written (empty ones are ignored).
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        given = {s for s in secrets if s}
        # A bot token's secret half ("123456:<secret>") is a secret on its own (URLs may encode the colon).
        given |= {s.split(":", 1)[1] for s in given if ":" in s}
        self.secrets = sorted({s for s in given if len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """``text`` with everything listed in the module doc replaced by :data:`REDACTED`."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = _TOKEN.sub(REDACTED, text)
        text = _SQL_PARAMS.sub("[parameters: " + REDACTED + "]", text)
        text = _XML_TEXT.sub(lambda m: f"<{m.group(1)}>{REDACTED}</{m.group(1)}>", text)
        text = _FREE_TEXT.sub(lambda m: m.group(1) + repr(REDACTED), text)
        text = _PARAMS.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)
        text = _CODE.sub(REDACTED, text)
        text = _PHONE.sub(REDACTED, text)
        return _CJK.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's message (and traceback text) by the redacted text; never drops a record."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a bad format string must not make the record vanish
            message = f"{record.msg!r} (unformattable arguments)"
        if record.name.startswith(_SQL_LOGGERS) and message.startswith(("[", "Row ")):
            # Bound parameters ("[generated in 0.0001s] ('…',)") and result rows: values, never needed.
            message = message.split("]", 1)[0] + "] " + REDACTED if message.startswith("[") else "Row " + REDACTED
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


_BASE_FACTORY = logging.getLogRecordFactory()


def install(secrets: Iterable[str] = ()) -> Redactor:
    """Redact every log record when it is made (a log-record factory), whoever logs it and wherever it goes.

    A factory rather than a handler filter: it also covers loggers that do not
    propagate to the root (uvicorn's) and handlers added later by a library.
    Installing again replaces the earlier redactor (new secrets).
    """
    redactor = Redactor(secrets)

    def make_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = _BASE_FACTORY(*args, **kwargs)
        redactor.filter(record)
        return record

    logging.setLogRecordFactory(make_record)
    return redactor


def uninstall() -> None:
    """Back to the standard log records (tests)."""
    logging.setLogRecordFactory(_BASE_FACTORY)


def settings_secrets(settings: object) -> list[str]:
    """Every secret-looking setting's value (names ending in token, secret, key; the database URL's password)."""
    values = []
    for name, value in vars(settings).items():
        if isinstance(value, str) and name.endswith(("token", "secret", "_key", "password")):
            values.append(value)
    url = str(getattr(settings, "database_url", ""))
    match = re.match(r"^[a-z0-9+]+://[^:/@]+:([^@]+)@", url)
    if match:
        values.append(match.group(1))
    return values
