"""``/web`` in a piped demo (no dashboard served) says how to get one, never a link nothing opens (fix6w).

A principal pipes ``:as 王校长`` and ``/web`` into ``guanai demo``. Before, the chat printed
``http://127.0.0.1:8080/web/login/…``, an address nothing served. Now it says the dashboard is not served in this
demo and to start it with ``guanai demo --web``; a teacher, for whom the dashboard is not, is told that as before.
(At a terminal, or with ``--web``, the link is served: tests/commands/test_demo_web9h.py.)
"""

from __future__ import annotations

from tests.support.demo import after, run_demo


def test_the_principal_is_told_to_start_the_demo_with_web(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/web\n:as 王老师\n/web\n", "2026-12-02 10:00")
    told = after(out, "/web")
    assert "/web/login/" not in out and "127.0.0.1" not in out
    assert told.startswith("本次演示没有开启管理后台") and "guanai demo --web" in told
    assert after(out, "/web", nth=2).startswith("管理后台只提供给学校领导、管理员")


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/web\n", "2026-12-02 10:00", "--lang", "en")
    told = after(out, "/web")
    assert "/web/login/" not in told
    assert told.startswith("The dashboard is not served in this demo") and "guanai demo --web" in told
