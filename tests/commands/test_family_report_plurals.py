"""``guanai family report`` in English: every count of a line takes its own plural form (issue 9, item 5).

"Letters: 1 sent by 1 children, 1 replies" read wrong; each count now reads 1 letter / 2 letters, 1 child /
2 children, 1 reply / 2 replies, 1 minute / 2 minutes, while Chinese keeps its one natural form.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.cli import main
from bot.domain.enums import RelationKind, Role
from bot.store.db import make_engine, make_session_factory
from bot.store.models import CallRoom, FamilyCall, Letter, LetterReply
from bot.store.uow import UnitOfWorkFactory
from tests.support.school import SchoolBuilder

WHEN = datetime(2026, 11, 12, 8, 0, tzinfo=UTC)


def _school(url: str, n: int) -> None:
    """``n`` children, each with one letter answered by their mother, and one held call of 1 minute each."""
    engine = make_engine(url)
    with UnitOfWorkFactory(make_session_factory(engine))() as uow:
        s = uow.session
        b = SchoolBuilder(s, "青山村小学")
        teacher = b.person("王老师", Role.CLASS_TEACHER)
        klass = b.klass("三(1)班", teacher=teacher)
        room = CallRoom(school_id=b.school_id, name="亲情电话室", kind="phone", slots="sat 09:00-10:00/30")
        s.add(room)
        s.flush()
        for i in range(n):
            mother = b.person(f"张妈妈{i}", Role.PARENT)
            child = b.child(f"张小{i}", f"S00{i}", klass)
            b.relate(child, RelationKind.MOTHER, mother)
            letter = Letter(child_id=child, teacher_id=teacher, photos=[], created_at=WHEN)
            s.add(letter)
            s.flush()
            s.add(LetterReply(letter_id=letter.id, parent_id=mother, text="好", received_at=WHEN))
            s.add(FamilyCall(school_id=b.school_id, child_id=child, room_id=room.id, parent_id=mother,
                             starts_at=WHEN, minutes=30, status="logged", requested_at=WHEN, held=True,
                             duration_minutes=1))
        uow.commit()
    engine.dispose()


@pytest.mark.parametrize(("n", "letters", "calls"), [
    (1, "Letters: 1 letter sent by 1 child, 1 reply from the parents", "Family calls: 1 held (1 minute, 1 child)"),
    (2, "Letters: 2 letters sent by 2 children, 2 replies from the parents",
     "Family calls: 2 held (2 minutes, 2 children)"),
])
def test_each_count_of_a_line_is_pluralised_in_english(database_url, monkeypatch, capsys, n, letters, calls) -> None:
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    _school(database_url, n)
    assert main(["family", "report", "--from", "2026-11-01", "--to", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert letters in out and calls in out, out


def test_chinese_reads_naturally(database_url, monkeypatch, capsys) -> None:
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    _school(database_url, 2)
    assert main(["family", "report", "--from", "2026-11-01", "--to", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert "亲情书信：2名儿童寄出2封，家长回信2封" in out
    assert "亲情电话：已通话 2 次（2分钟，2名儿童）" in out, out
