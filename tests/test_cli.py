"""The `guanai` command never shows a traceback: each database URL gets its cause named, a closed pipe ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    monkeypatch.delenv("GUANAI_TELEGRAM_TOKEN", raising=False)


@pytest.mark.parametrize(("url", "said"), [
    ("postgresql+psycopg2://guanai:s3cret@127.0.0.1/guanai", "指定了数据库驱动 psycopg2，但它没有安装"),
    ("garbage", "GUANAI_DATABASE_URL 不是数据库地址"),
    ("mysql://guanai:s3cret@127.0.0.1/guanai", "指定的数据库是 mysql"),
    ("postgresql://guanai:s3cret@127.0.0.1:1/guanai", "数据库服务器 127.0.0.1:1 没有响应"),
    ("sqlite:///{tmp}/no-such-folder/guanai.db", "文件夹 {tmp}/no-such-folder 不存在"),
    ("sqlite:///{tmp}/a-file/guanai.db", "{tmp}/a-file 是文件，不是文件夹"),
    ("sqlite:///{tmp}", "{tmp} 是一个文件夹，不是文件"),
])
@pytest.mark.parametrize("command", [["db", "upgrade"], ["invite", "王老师"], ["import", "roster.xlsx"], ["run"]])
def test_every_database_url_form_gets_its_cause_named_without_a_traceback(
    url: str, said: str, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("GUANAI_DATABASE_URL", url.format(tmp=tmp_path))
    if command == ["run"]:
        monkeypatch.setenv("GUANAI_TELEGRAM_TOKEN", "123:abc")  # a channel, so run gets as far as the database
    assert main(command) == 2
    out, err = capsys.readouterr()
    shown = out + err
    assert said.format(tmp=tmp_path) in shown
    assert "Traceback" not in shown and "s3cret" not in shown


def test_the_demo_names_an_unusable_database_too(sample_roster: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/no-such-folder/demo.db"
    assert main(["demo", "--database", url, "--roster", str(sample_roster)]) == 2
    assert f"文件夹 {tmp_path}/no-such-folder 不存在" in capsys.readouterr().err


def test_a_demo_piped_into_head_ends_quietly(sample_roster: Path, tmp_path: Path) -> None:
    # The reader stops after two lines; the demo writes on into a closed pipe (BrokenPipeError).
    env = {**os.environ, "GUANAI_DEFAULT_LOCALE": "zh_Hans", "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(  # noqa: S603 — our own command, with fixed arguments
        [sys.executable, "-m", "bot.cli", "demo", "--roster", str(sample_roster)],
        cwd=tmp_path, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as demo:
        assert demo.stdin is not None and demo.stdout is not None and demo.stderr is not None
        demo.stdin.write(b"/help\n:wait 2h\n/quit\n")
        demo.stdin.close()
        first = [demo.stdout.readline() for _ in range(2)]
        demo.stdout.close()  # `head -2` exits
        err = demo.stderr.read().decode()
        assert demo.wait(timeout=120) == 0
    assert b"roster-sample.xlsx" in first[0]
    assert err == ""


def test_the_demo_clock_moves_at_most_a_school_year(sample_roster: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(":wait 401d\n:wait 9999天\n:wait 1d\n/quit\n"))
    assert main(["demo", "--roster", str(sample_roster), "--at", "2026-09-01 08:00"]) == 0
    out = capsys.readouterr().out
    refused = "演示时钟一次最多前进 400 天（大约一个学年）。请用更短的 :wait，例如 30d。"
    assert out.count(refused) == 2
    assert "2026年9月2日 08:00" in out.split(refused)[-1]  # the day that was allowed


def test_the_demo_chat_shows_no_log_lines_the_admins_hear_of_a_missing_holiday_year_in_chinese(
    sample_roster: Path, tmp_path: Path
) -> None:
    # 2 December 2026: the calendar has no official holidays for 2027 yet. Python prints an unhandled
    # warning on stderr, i.e. into the terminal the demo chats in; the demo keeps it in its log file.
    env = {**os.environ, "GUANAI_DEFAULT_LOCALE": "zh_Hans", "PYTHONPATH": str(ROOT)}
    env.pop("GUANAI_SAMPLE_ROSTER", None)
    done = subprocess.run(  # noqa: S603 — our own command, with fixed arguments
        [sys.executable, "-m", "bot.cli", "demo", "--roster", str(sample_roster), "--at", "2026-12-02 10:00"],
        cwd=tmp_path, env=env, input="/help\n:as 刘主任\n/quit\n".encode(),
        capture_output=True, timeout=180, check=False,
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, err
    # The admins' message, in their language: shown when the demo acts as the admin (刘主任).
    assert "节假日日历中还没有 2027 年的法定节假日" in out.split("您现在是刘主任", 1)[1]
    assert "no official holiday data" not in out + err and "WARNING" not in out + err
    # Piped, the demo says once on stderr how to serve the dashboard (fix9h); nothing else is printed there.
    assert [line for line in err.splitlines() if "guanai demo --web" not in line] == []
    assert "no official holiday data for 2027: weekdays used" in (tmp_path / "guanai-demo.log").read_text()


@pytest.mark.parametrize("command", ["year", "programme", "keys", "db"])
def test_a_command_without_its_sub_command_shows_them(command, capsys):
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: guanai {command}") and "{" in err and "error:" not in err
