"""Invite QR codes on the WeChat Official Account: ``create_invite_qr`` and ``guanai invite`` printing the image URL.

Every call goes to the local API double (tests/wechat_api_double.py) on 127.0.0.1, the token request included.
"""

from __future__ import annotations

import logging
import socket
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.config import Settings
from bot.handlers.wechat.api import ApiError
from bot.handlers.wechat.qr import create_invite_qr
from bot.store.models import Invite
from tests.support.cli import invite_code
from tests.support.wechat_api_double import APP_ID, APP_SECRET, WeChatApiDouble

QR = "/cgi-bin/qrcode/create"
CODE = "AbCdEfGhIjKlMnOpQrStUv"


def wx_settings(double: WeChatApiDouble) -> Settings:
    return Settings(database_url="sqlite://", wechat_app_id=APP_ID, wechat_app_secret=APP_SECRET,  # type: ignore[call-arg]
                    wechat_api_url=double.url)


def ticket_of(url: str) -> str:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "mp.weixin.qq.com", "/cgi-bin/showqrcode")
    return parse_qs(parts.query)["ticket"][0]


# --- create_invite_qr -----------------------------------------------------------------------------

async def test_creates_a_string_scene_qr_code_and_returns_the_encoded_image_url(wxapi, uow_factory, clock) -> None:
    url = await create_invite_qr(wx_settings(wxapi), uow_factory, CODE, 72 * 3600, clock=clock)
    assert len(wxapi.token_requests("/cgi-bin/token")) == 1
    [call] = wxapi.calls(QR)
    assert call.ok and call.query["access_token"] == "tok-1"
    assert call.body == {"expire_seconds": 259200, "action_name": "QR_STR_SCENE",
                         "action_info": {"scene": {"scene_str": CODE}}}
    # The double's ticket holds "+", "/" and "=": they reach the URL encoded and come back intact.
    assert "+" not in url and "==" not in url
    assert ticket_of(url).startswith("gQH") and ticket_of(url).endswith("+/tk==")


async def test_lifetime_is_capped_at_wechats_30_days(wxapi, uow_factory, clock) -> None:
    await create_invite_qr(wx_settings(wxapi), uow_factory, CODE, 40 * 24 * 3600, clock=clock)
    assert wxapi.calls(QR)[0].body["expire_seconds"] == 2592000


async def test_a_refused_token_is_refreshed_once_and_shared(wxapi, uow_factory, clock) -> None:
    settings = wx_settings(wxapi)
    await create_invite_qr(settings, uow_factory, CODE, 3600, clock=clock)
    await create_invite_qr(settings, uow_factory, CODE, 3600, clock=clock)
    assert len(wxapi.token_requests()) == 1  # the second call used the stored token
    wxapi.expire_tokens()
    url = await create_invite_qr(settings, uow_factory, CODE, 3600, clock=clock)
    assert ticket_of(url)
    assert len(wxapi.token_requests()) == 2
    assert [c.ok for c in wxapi.calls(QR)] == [True, True, False, True]


async def test_an_error_code_is_raised(wxapi, uow_factory, clock) -> None:
    wxapi.fail(QR, "", 48001)
    with pytest.raises(ApiError) as raised:
        await create_invite_qr(wx_settings(wxapi), uow_factory, CODE, 3600, clock=clock)
    assert raised.value.errcode == 48001


# --- guanai invite --------------------------------------------------------------------------------

@pytest.fixture
def wx_env(wxapi, monkeypatch) -> WeChatApiDouble:
    monkeypatch.setenv("GUANAI_WECHAT_APP_ID", APP_ID)
    monkeypatch.setenv("GUANAI_WECHAT_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("GUANAI_WECHAT_API_URL", wxapi.url)
    return wxapi


def test_invite_prints_the_qr_url_in_chinese(cli_db, wx_env, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    assert main(["invite", "13912347777"]) == 0
    out = capsys.readouterr().out
    code = invite_code(out)
    assert len(wx_env.token_requests("/cgi-bin/token")) == 1
    [call] = wx_env.calls(QR)
    assert call.body["action_info"]["scene"]["scene_str"] == code
    assert call.body["expire_seconds"] == 72 * 3600  # the invite's lifetime (GUANAI_INVITE_TTL_HOURS=72)
    line = next(ln for ln in out.splitlines() if "二维码" in ln)
    assert line.startswith("或用微信扫描此二维码（与邀请码同时失效，最长 30 天）：https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=")
    assert ticket_of(line.split("：", 1)[1]).endswith("+/tk==")
    assert f"绑定 {code}" in out
    assert code not in caplog.text  # printed for the admin, never logged


def test_invite_prints_the_qr_url_in_english(cli_db, wx_env, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    assert main(["invite", "刘老师"]) == 0
    out = capsys.readouterr().out
    assert wx_env.calls(QR)[0].body["action_info"]["scene"]["scene_str"] == invite_code(out)
    assert ("Or scan this WeChat QR code (valid as long as the code, at most 30 days): "
            "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=gQH") in out


def test_a_refused_qr_code_still_prints_the_invite(cli_db, wx_env, capsys) -> None:
    uows, _ = cli_db
    wx_env.fail(QR, "", 48001)
    assert main(["invite", "13912347777"]) == 0
    out = capsys.readouterr().out
    code = invite_code(out)
    assert "未能生成微信二维码（该公众号无权生成二维码，需要已认证的服务号），上面的邀请码仍然可用。" in out
    assert "showqrcode" not in out
    assert f"绑定 {code}" in out
    with uows() as uow:
        assert len(uow.session.scalars(select(Invite)).all()) == 1


def test_a_wrong_secret_says_so_in_english(cli_db, wx_env, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    monkeypatch.setenv("GUANAI_WECHAT_APP_SECRET", "wrong")
    assert main(["invite", "刘老师"]) == 0
    out = capsys.readouterr().out
    assert ("The WeChat QR code could not be made (WeChat gave no access token, error 40001; check the AppID, "
            "AppSecret and IP whitelist); the code above still works.") in out
    assert wx_env.calls(QR) == []


def test_an_unreachable_api_still_prints_the_invite(cli_db, capsys, monkeypatch) -> None:
    with socket.socket() as s:  # a port on 127.0.0.1 that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("GUANAI_WECHAT_APP_ID", APP_ID)
    monkeypatch.setenv("GUANAI_WECHAT_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("GUANAI_WECHAT_API_URL", f"http://127.0.0.1:{port}")
    assert main(["invite", "13912347777"]) == 0
    out = capsys.readouterr().out
    invite_code(out)
    assert "未能生成微信二维码（无法连接微信接口），上面的邀请码仍然可用。" in out


def test_no_qr_line_without_wechat(cli_db, wxapi, capsys, monkeypatch) -> None:
    monkeypatch.delenv("GUANAI_WECHAT_APP_ID", raising=False)
    monkeypatch.delenv("GUANAI_WECHAT_APP_SECRET", raising=False)
    monkeypatch.setenv("GUANAI_WECHAT_API_URL", wxapi.url)
    assert main(["invite", "13912347777"]) == 0
    out = capsys.readouterr().out
    assert "二维码" not in out and "showqrcode" not in out
    assert wxapi.requests == []
