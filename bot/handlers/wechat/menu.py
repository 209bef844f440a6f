"""The custom menu of the Official Account and the WeCom app (created at start-up when ``GUANAI_WECHAT_MENU``)."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from bot.config import Settings
from bot.domain.clock import Clock
from bot.handlers.wechat.api import (
    WECHAT,
    WECOM,
    ApiError,
    PlatformApi,
    TokenError,
    wechat_api,
    wecom_api,
)
from bot.i18n import gettext
from bot.messages.prompt import N_
from bot.services.api_tokens import TokenStore
from bot.services.ports import UowFactory

log = logging.getLogger(__name__)

MENU_TALK = N_("Talk")
MENU_INCIDENT = N_("Report")
MENU_CHECKIN = N_("Weekly check-in")
MENU_HELP = N_("Help")
MENU_MORE = N_("More")


def menu_json(locale: str) -> dict[str, Any]:
    """The custom menu: 每周联系 (``checkin``), 报告 (``incident``), 更多 → 谈心 (``talk``), 帮助 (``help``).

    WeChat allows 3 top-level buttons (up to 5 under each), hence "More".
    Click keys are what the inbound side receives as ``EventKey``
    (``bot.handlers.wechat.incoming.MENU_COMMANDS``).
    """
    def click(label: str, key: str) -> dict[str, str]:
        return {"type": "click", "name": gettext(locale, label), "key": key}

    return {"button": [
        click(MENU_CHECKIN, "checkin"),
        click(MENU_INCIDENT, "incident"),
        {"name": gettext(locale, MENU_MORE), "sub_button": [click(MENU_TALK, "talk"), click(MENU_HELP, "help")]},
    ]}


async def create_menu(settings: Settings, uow_factory: UowFactory, *, clock: Clock,
                      http: httpx.AsyncClient | None = None) -> list[str]:
    """Create the custom menu (:func:`menu_json`, default locale) on the configured WeChat account and WeCom app.

    Called at start-up when ``settings.wechat_menu`` is true. A failure is
    logged, never raised: the bot works without a menu.

    Args:
        settings: the ``wechat_*`` / ``wecom_*`` settings.
        uow_factory: the shared database (token store).
        clock: UTC clock for token expiry.
        http: an ``httpx.AsyncClient``; default: a client per platform.

    Returns:
        The channels whose menu was created.
    """
    tokens = TokenStore(uow_factory, clock)
    done = []
    body = menu_json(settings.default_locale)
    targets: list[tuple[str, PlatformApi, dict[str, str]]] = []
    if settings.wechat_app_id:
        targets.append((WECHAT, wechat_api(settings, tokens, http), {}))
    if settings.wecom_corp_id:
        targets.append((WECOM, wecom_api(settings, tokens, http), {"agentid": settings.wecom_agent_id}))
    for channel, api, params in targets:
        try:
            await api.call("/cgi-bin/menu/create", body, params)
            done.append(channel)
        except (ApiError, TokenError, httpx.HTTPError) as exc:
            log.error("%s: menu not created: %s", channel, getattr(exc, "errcode", type(exc).__name__))
        finally:
            await api.aclose()
    return done
