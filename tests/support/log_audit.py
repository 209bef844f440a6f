"""The DEBUG-log audit (issue 10, item 6): run tests with every logger at DEBUG and our redaction installed.

With ``GUANAI_TEST_LOG_AUDIT=<directory>`` set, the autouse fixture
:func:`log_audit` (``tests/conftest.py``) sets the root logger and every
library's logger (python-telegram-bot, httpx, httpcore, SQLAlchemy's engine
and pool, wechatpy, uvicorn, APScheduler) to DEBUG, installs
:func:`bot.logsafety.install` as ``guanai run`` does (with the doubles' bot
token and WeChat secrets as the configured secrets), captures everything
into ``<directory>/<test>.log`` and fails the test when the log holds one of
:func:`needles`: the personal data and secrets of the test school and the
end-to-end scenarios. ``tests/test_logsafety.py`` runs the end-to-end suites
this way in a child pytest.
"""

from __future__ import annotations

import ast
import logging
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "support" / "school.py",
    ROOT / "support" / "wechat_double.py",
    *sorted((ROOT / "handlers").rglob("test_e2e*.py")),
    *sorted((ROOT / "handlers").rglob("test_bindings.py")),
]
LIBRARIES = ("telegram", "httpx", "httpcore", "sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "wechatpy",
             "uvicorn", "apscheduler", "bot")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_PHONE = re.compile(r"1[3-9]\d{9}")


@cache
def needles() -> frozenset[str]:
    """Names, notes, descriptions and phones written in the test data, and the doubles' secrets."""
    from tests.support import wechat_double
    from tests.support.botapi_double import TOKEN

    found: set[str] = {TOKEN, TOKEN.split(":", 1)[1], wechat_double.WECHAT_AES_KEY, wechat_double.WECOM_AES_KEY}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.update(_CJK_RUN.findall(node.value))
                found.update(_PHONE.findall(node.value))
    return frozenset(found)


def secrets() -> list[str]:
    """What a deployment of the doubles would configure as secrets."""
    from tests.support import wechat_double
    from tests.support.botapi_double import TOKEN

    return [TOKEN, wechat_double.WECHAT_TOKEN, wechat_double.WECHAT_AES_KEY, wechat_double.WECOM_TOKEN,
            wechat_double.WECOM_AES_KEY]


def start(path: Path) -> tuple[logging.Handler, dict[str, int]]:
    """Capture every record at DEBUG into ``path``; returns the handler and the levels to restore."""
    from bot import logsafety

    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    levels = {name: logging.getLogger(name).level for name in ("", *LIBRARIES)}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    logsafety.install(secrets())
    return handler, levels


def stop(handler: logging.Handler, levels: dict[str, int]) -> list[str]:
    """Stop capturing; returns the needles found in the captured log."""
    from bot import logsafety

    logsafety.uninstall()
    logging.getLogger().removeHandler(handler)
    handler.close()
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    text = Path(handler.baseFilename).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    return sorted(n for n in needles() if n in text)
