"""Logs carry ids only, at every level (issue 10, item 6): the redactor, and the end-to-end suites at DEBUG."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import logsafety
from bot.config import Settings
from bot.logsafety import REDACTED, Redactor
from tests.support.log_audit import needles

TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
CODE = "q3X9_kd02LmPz-81WcA7eQ"  # the shape of an invite code (token_urlsafe(16))


@pytest.mark.parametrize(("line", "kept"), [
    (f"HTTP Request: POST https://api.telegram.org/bot{TOKEN}/sendMessage \"HTTP/1.1 200 OK\"", "sendMessage"),
    (f"update 1234 text /start {CODE}", "update 1234"),
    ("Calling Bot API endpoint `sendMessage` with parameters `{'chat_id': 8123456789012, 'text': 'Tom is sad'}`",
     "8123456789012"),
    ("InlineKeyboardButton(callback_data='ack:12', text='Confirm for Tom')", "InlineKeyboardButton"),
    ('{"touser": "oAbc", "msgtype": "text", "text": {"content": "Lily fell over"}}', "touser"),
    ("<xml><Content><![CDATA[Lily fell over]]></Content><MsgId>42</MsgId></xml>", "<MsgId>42</MsgId>"),
    ("guardian phone 138 0013 8000 and +86-13800138000 and 0851-88123456", "guardian phone"),
    ("GET /wechat/callback?signature=abcdef0123&timestamp=1764700000&nonce=77", "timestamp=1764700000"),
    ("conversation 7 note 孩子说继父打他，身上有淤青", "conversation 7 note"),
    ("(psycopg.errors.UniqueViolation) duplicate\n[SQL: INSERT INTO person (name) VALUES (%s)]\n"
     "[parameters: ('王小明',)]", "[SQL: INSERT INTO person (name) VALUES (%s)]"),
])
def test_the_redactor_keeps_ids_and_removes_the_rest(line: str, kept: str) -> None:
    redacted = Redactor([]).redact(line)
    assert kept in redacted and REDACTED in redacted
    for secret in (TOKEN, CODE, "Tom", "Lily", "13800138000", "138 0013 8000", "88123456", "abcdef0123", "继父",
                   "王小明"):
        assert secret not in redacted


def test_configured_secrets_go_word_for_word_and_records_stay(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(database_url="postgresql://guanai:pa55-word@db/guanai", wechat_app_secret="s3cr3t-app",  # type: ignore[arg-type]
                        telegram_webhook_secret="hook-secret", wechat_encoding_aes_key="k" * 43)
    logsafety.install(logsafety.settings_secrets(settings))
    try:
        log = logging.getLogger("wechatpy.client")
        caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # SQLAlchemy sets its loggers to WARNING
        with caplog.at_level(logging.DEBUG):
            log.debug("secret %s hook %s password pa55-word key %s", "s3cr3t-app", "hook-secret", "k" * 43)
            try:
                raise ValueError("note: 张三被打")
            except ValueError:
                log.exception("failed for child %s", 12)
            logging.getLogger("sqlalchemy.engine.Engine").info("[generated in 0.00011s] %r", ("张三", "13800138000"))
            logging.getLogger("sqlalchemy.engine.Engine").debug("Row %r", (1, "Lily Chen", "fever"))
    finally:
        logsafety.uninstall()
    text = caplog.text
    assert "s3cr3t-app" not in text and "hook-secret" not in text and "pa55-word" not in text and "k" * 43 not in text
    assert "张三" not in text and "13800138000" not in text and "Lily" not in text and "fever" not in text
    assert "failed for child 12" in text and "ValueError" in text
    assert len(caplog.records) == 4


def test_the_end_to_end_suites_at_debug_log_no_name_phone_note_code_or_token(tmp_path: Path) -> None:
    suites = [str(p) for p in sorted((Path(__file__).parent / "handlers").rglob("test_e2e*.py"))]
    suites += [str(p) for p in sorted((Path(__file__).parent / "handlers").rglob("test_bindings.py"))]
    env = dict(os.environ, GUANAI_TEST_LOG_AUDIT=str(tmp_path))
    env.pop("GUANAI_TEST_POSTGRES_URL", None)  # SQLite is enough: the redaction does not depend on the database
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *suites],  # noqa: S603
                         env=env, capture_output=True, text=True, timeout=3000)
    assert run.returncode == 0, run.stdout[-3000:]
    logs = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.log"))
    for library in ("DEBUG telegram", "INFO httpx", "sqlalchemy.engine", "DEBUG httpcore", "INFO bot."):
        assert library in logs  # the libraries did log, at DEBUG
    assert len(needles()) > 50  # names, notes, phones of the test school and the scenarios
    assert [n for n in needles() if n in logs] == []
