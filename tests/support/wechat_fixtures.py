"""Fixtures and helpers for the WeChat sending tests: the WeChat API double and a grandfather's WeChat account.

Registered from ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.store.models import ChatAccount
from tests.support.wechat_api_double import APP_ID, APP_SECRET, WeChatApiDouble

CS = "/cgi-bin/message/custom/send"
"""The customer-service send path of the WeChat API."""
OPENID = "o-grandpa-openid"


@pytest.fixture
def wxapi() -> Iterator[WeChatApiDouble]:
    """A running WeChat API double on 127.0.0.1."""
    double = WeChatApiDouble().start()
    try:
        yield double
    finally:
        double.close()


def wechat_settings(double: WeChatApiDouble, **kw: object) -> Settings:
    """Settings of an official account whose API is ``double`` (``kw``: further settings)."""
    values: dict[str, object] = dict(database_url="sqlite://", wechat_app_id=APP_ID, wechat_app_secret=APP_SECRET,
                                     wechat_api_url=double.url)
    values.update(kw)
    return Settings(**values)  # type: ignore[arg-type]


def add_wechat(uow_factory, person_id: int, *, seen, openid: str = OPENID, bound=None) -> None:
    """Bind a WeChat account to the person, last seen at ``seen`` and bound at ``bound`` (default: ``seen``)."""
    with uow_factory() as uow:
        uow.session.add(ChatAccount(person_id=person_id, channel="wechat", account_id=openid,
                                    bound_at=bound or seen, last_seen_at=seen))
        uow.commit()


def drop_telegram(uow_factory, person_id: int) -> None:
    """Unbind the person's Telegram accounts (WeChat is then their only chat)."""
    with uow_factory() as uow:
        for account in uow.session.scalars(select(ChatAccount).where(ChatAccount.person_id == person_id,
                                                                      ChatAccount.channel == "telegram")):
            uow.session.delete(account)
        uow.commit()
