"""``guanai invite PERSON`` as an admin runs it (bot.cli.main)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.cli import main
from bot.services.invites import BindStatus, bind, hash_code
from bot.store.models import Invite
from tests.support.cli import invite_code

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 09:00 in Asia/Shanghai


def test_invite_prints_name_roles_code_expiry_and_deep_link(cli_db, capsys, monkeypatch) -> None:
    uows, school = cli_db
    monkeypatch.setenv("GUANAI_TELEGRAM_BOT_USERNAME", "@guanai_test_bot")
    assert main(["invite", "陈老师"]) == 0
    out = capsys.readouterr().out
    code = invite_code(out)
    assert "陈老师（班主任、帮扶教师）的邀请码" in out
    assert "仅可使用一次" in out
    assert "有效期至：2026年12月3日 09:00" in out  # 72 h later, school time
    assert f"Telegram 链接：https://t.me/guanai_test_bot?start={code}" in out
    assert f"/start {code}" in out and f"绑定 {code}" in out
    with uows() as uow:
        row = uow.session.scalars(select(Invite)).one()
        assert row.person_id == school.teacher_a and row.code_hash == hash_code(code)
        # The printed code binds.
        assert bind(uow, channel="telegram", account_id="42", code=code, now=NOW).status is BindStatus.BOUND


def test_without_username_it_says_how_to_set_it_and_still_prints_theinvite_code(cli_db, capsys) -> None:
    assert main(["invite", "13912347777"]) == 0
    out = capsys.readouterr().out
    code = invite_code(out)
    assert "张强（委托监护人）的邀请码" in out
    assert "GUANAI_TELEGRAM_BOT_USERNAME" in out
    assert "t.me" not in out
    assert f"/start {code}" in out and f"绑定 {code}" in out


def test_english_output_follows_the_default_locale(cli_db, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    monkeypatch.setenv("GUANAI_TELEGRAM_BOT_USERNAME", "guanai_test_bot")
    assert main(["invite", "刘老师"]) == 0
    out = capsys.readouterr().out
    code = invite_code(out)
    assert "Invite for 刘老师 (class teacher)" in out
    assert "Valid until: Dec 3, 2026 09:00" in out
    assert f"https://t.me/guanai_test_bot?start={code}" in out


def test_unknown_person_exits_1_with_a_clear_message(cli_db, capsys) -> None:
    uows, _ = cli_db
    assert main(["invite", "没有这个人"]) == 1
    captured = capsys.readouterr()
    assert "没有找到“没有这个人”" in captured.err
    assert captured.out == ""
    with uows() as uow:
        assert uow.session.scalars(select(Invite)).all() == []


def test_ambiguous_person_lists_candidates_and_exits_1(cli_db, capsys) -> None:
    uows, school = cli_db
    assert main(["invite", "张强"]) == 1
    err = capsys.readouterr().err
    assert "有多人与“张强”相符" in err
    assert f"#{school.caring} 张强（爱心家长），手机 138****6956" in err
    assert f"#{school.guardian_b} 张强（委托监护人），手机 139****7777" in err
    assert "13812346956" not in err
    assert "guanai invite '#" in err
    with uows() as uow:
        assert uow.session.scalars(select(Invite)).all() == []
    # Picking one by #id works.
    assert main(["invite", f"#{school.caring}"]) == 0
    assert "张强（爱心家长）的邀请码" in capsys.readouterr().out
