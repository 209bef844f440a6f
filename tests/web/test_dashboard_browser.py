"""The dashboard in headless Chromium (Debian's package, driven by Playwright) against a local server.

A principal signs in with the link ``/web`` sends in chat, gives the TOTP
code, reads the figures, corrects a card and downloads an export — clicking
and typing as a person would. Chromium must be at ``/usr/bin/chromium``
(``.ci/run`` installs it); without it the test is skipped locally, and fails
in CI (``CI=true``), where a skipped browser test would hide a broken setup.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from bot import bootstrap
from bot.config import load_settings
from bot.domain.clock import ManualClock
from bot.store.db import make_engine
from bot.store.models import Base
from tests.support.chat import Chat
from tests.support.figures_world import County, county
from tests.web.test_dashboard import enrol_code

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def _need_browser() -> Any:
    """Playwright's sync API, or skip (locally) / fail (in CI) when the browser cannot run here."""
    in_ci = os.environ.get("CI", "").lower() == "true"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            pytest.fail("playwright is not installed in CI")
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path, clock: ManualClock) -> Iterator[tuple[str, bootstrap.Container, County]]:
    import uvicorn

    url = f"sqlite:///{tmp_path / 'web.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    container = bootstrap.build(load_settings(database_url=url, web_base_url=base), clock=clock)
    world = county(container.uow)
    web = uvicorn.Server(uvicorn.Config(bootstrap.make_web_app(container), host="127.0.0.1", port=port,
                                        lifespan="off", log_level="warning"))
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not web.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert web.started
    yield base, container, world
    web.should_exit = True
    thread.join(10)
    container.engine.dispose()


def test_a_principal_signs_in_reads_the_figures_corrects_a_card_and_exports(server, clock, tmp_path) -> None:
    sync_playwright = _need_browser()
    base, container, world = server
    chat = Chat(bootstrap.make_flows(container), f"tg-{world.leader}")
    chat.send("/web")
    link = re.search(r"http://127\.0\.0\.1:\d+/web/login/[\w-]+", chat.text)
    assert link, chat.text

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = browser.new_page(accept_downloads=True, locale="zh-CN")
            page.goto(link.group(0))
            page.click("#sign-in")
            page.wait_for_selector("#enrol")  # first setup: the code the bot sent to the chat, then the key
            page.fill("#code", enrol_code(container))
            page.click("#check")
            page.wait_for_selector("#totp-secret")
            secret = page.inner_text("#totp-secret").strip()
            page.fill("#code", pyotp.TOTP(secret).at(clock.now()))
            page.click("#check")

            page.wait_for_selector("#title")
            assert page.inner_text("#title") == "清溪小学（学校）统计数据，2026-11："
            figures = page.inner_text("#figures")
            assert "档案完整（建档率）：7/8 (87.5%)" in figures and "班主任每月谈心：4/8 (50.0%)" in figures
            assert page.locator("#chart rect").count() >= 4
            page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)

            page.click("text=儿童")
            page.click("text=小二")
            page.fill("input[name=address]", "示例县清溪镇梨树村3组")
            page.click("#save")
            assert page.inner_text("#saved") == "已保存：现居住地。"
            assert "梨树村3组" in page.inner_text("#edits")

            page.click("text=导出")
            with page.expect_download() as download:
                page.click("#export-roster")
            saved = tmp_path / "roster.xlsx"
            download.value.save_as(saved)
            assert download.value.suggested_filename == "清溪小学-花名册-2026-11-30.xlsx"
            assert saved.read_bytes()[:2] == b"PK"

            page.click("text=退出")
            page.goto(f"{base}/web/")
            assert "您尚未登录" in page.inner_text("#message")
        finally:
            browser.close()
