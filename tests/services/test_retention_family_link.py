"""Erasing a child also erases the family link: letter photos and voice replies leave the disk, replies and
dashboard edits lose their words (issue 10, item 4), by ``guanai erase`` and by the daily purge alike."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

import bot.bootstrap
from bot.adapters.media_files import FileMediaStore
from bot.bootstrap import Container, build, tick
from bot.cli import main
from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.services import identity, letters
from bot.store.models import Child, DashboardEdit, Letter, LetterReply, OutboxMessage
from tests.support.fakes import FakeSender
from tests.support.school import TG, chain_school

MONDAY = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
REPLY = "乖孩子，爸爸过年就回来，听爷爷的话"
NEW_ADDRESS = "清溪镇石门村五组3号"


@pytest.fixture
def container(database_url: str, tmp_path: Path) -> Iterator[Container]:
    c = build(Settings(database_url=database_url, media_dir=str(tmp_path / "media")), clock=ManualClock(MONDAY))
    yield c
    c.engine.dispose()


def _letters_of_both_children(c: Container) -> tuple[object, list[Path], Path]:
    """李老师 sends a photographed letter of 张三 and one of 李四; 张爸爸 answers 张三's with words and a voice
    message; 李老师 corrects 张三's address on the dashboard. Returns the school, 张三's files, 李四's photo."""
    school = chain_school(c.uow, c.clock.now())
    store = FileMediaStore(c.settings.media_dir)
    zhang_photo, li_photo = store.save(b"photo of zhang's letter", ".jpg"), store.save(b"photo of li's letter", ".jpg")
    voice = store.save(b"father's voice", ".ogg")
    with c.uow() as uow:
        actor = identity.actor_for(uow, channel="telegram", account_id=str(TG["li"]), now=c.clock.now())
        assert actor is not None
        sent = letters.send_letter(uow, actor=actor, child_id=school.zhang_san, photos=[zhang_photo],
                                   now=c.clock.now(), request_key="l1")
        assert sent is not None and sent[1] >= 1
        assert letters.send_letter(uow, actor=actor, child_id=school.li_si, photos=[li_photo], now=c.clock.now(),
                                   request_key="l2") is not None
        assert letters.reply(uow, letter_id=sent[0], parent_id=school.people["father"], words=REPLY,
                             media=[("voice", voice)], now=c.clock.now())
        uow.session.add(DashboardEdit(person_id=school.people["li"], child_id=school.zhang_san, field="address",
                                      old_value=None, new_value=NEW_ADDRESS, at=c.clock.now()))
        uow.commit()
    return school, [store.path(zhang_photo), store.path(voice)], store.path(li_photo)


def _assert_erased_family_link(c: Container, school, files: list[Path], others: Path) -> None:
    assert [f for f in files if f.exists()] == [] and others.exists()
    with c.uow() as uow:
        s = uow.session
        (zhang_letter,) = s.scalars(select(Letter).where(Letter.child_id == school.zhang_san)).all()
        assert zhang_letter.photos == []
        assert s.execute(select(LetterReply.text, LetterReply.media)).all() == [(None, None)]
        assert s.execute(select(DashboardEdit.old_value, DashboardEdit.new_value)).all() == [(None, None)]
        assert s.scalar(text("SELECT count(*) FROM letter_replies WHERE media IS NULL")) == 1  # SQL NULL
        waiting = s.scalars(select(OutboxMessage.key).where(
            OutboxMessage.key.like(f"letter:{zhang_letter.id}:%"), OutboxMessage.sent_at.is_(None),
            OutboxMessage.cancelled_at.is_(None))).all()
        assert waiting == []  # no delivery left to carry a deleted photo
        (li_letter,) = s.scalars(select(Letter).where(Letter.child_id == school.li_si)).all()
        assert len(li_letter.photos) == 1  # 李四's letter is not touched


def test_guanai_erase_deletes_the_childs_letter_photos_and_the_replies(
    container: Container, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    c = container
    school, files, others = _letters_of_both_children(c)
    assert all(f.exists() for f in files)
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_MEDIA_DIR", c.settings.media_dir)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: c.clock)

    assert main(["erase", "张三", "--yes"]) == 0

    assert "书信照片和家长的回信" in capsys.readouterr().out
    _assert_erased_family_link(c, school, files, others)


def test_the_daily_purge_deletes_the_letter_photos_of_a_child_who_left_three_years_ago(
    container: Container
) -> None:
    c = container
    school, files, others = _letters_of_both_children(c)
    with c.uow() as uow:  # the new roster no longer lists 张三
        uow.session.get(Child, school.zhang_san).active = False
        uow.commit()
    assert asyncio.run(tick(c, {"telegram": FakeSender()})).errors == []
    assert all(f.exists() for f in files)

    c.clock.set(MONDAY + timedelta(days=3 * 365 + 1))
    assert asyncio.run(tick(c, {"telegram": FakeSender()})).errors == []

    _assert_erased_family_link(c, school, files, others)
