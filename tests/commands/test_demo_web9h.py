"""The demo serves the dashboard, so the link /web prints opens (fix9h, item 7).

A principal trying ``guanai demo --web`` sends /web (后台): the link is on a local port the demo serves, and
opening it shows the dashboard's sign-in page, on the demo's own clock.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROSTER = Path(__file__).resolve().parents[2] / "bot" / "samples" / "roster-sample.xlsx"


def test_the_demo_serves_the_dashboard_its_link_opens(tmp_path):
    demo = subprocess.Popen(  # noqa: S603 — this interpreter, the demo command
        [sys.executable, "-m", "bot.cli", "demo", "--web", "--roster", str(ROSTER), "--at", "2026-12-04 17:58"],
        cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "GUANAI_DEFAULT_LOCALE": "zh_Hans"})
    assert demo.stdin is not None and demo.stdout is not None
    try:
        served = link = None
        demo.stdin.write(":as 王校长\n/web\n")
        demo.stdin.flush()
        deadline = time.monotonic() + 120
        while link is None and time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line:
                break
            served = served or re.search(r"演示：管理后台已在 (http://127\.0\.0\.1:\d+)/web 运行", line)
            link = re.search(r"http://127\.0\.0\.1:\d+/web/login/[\w-]+", line)
        assert served and link, "no dashboard address or link printed"
        assert link.group(0).startswith(served.group(1))
        page = httpx.get(link.group(0), timeout=30)
        assert page.status_code == 200 and "登录关爱管理后台" in page.text
    finally:
        demo.stdin.close()
        demo.wait(timeout=60)
        demo.stdout.close()
