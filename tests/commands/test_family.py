"""``guanai rooms`` and ``guanai family report`` on a database with a small school."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.cli import main
from bot.domain.enums import RelationKind, Role
from bot.store.db import make_engine, make_session_factory
from bot.store.models import FamilyNews, Meeting, MeetingInvite
from bot.store.uow import UnitOfWorkFactory
from tests.support.school import SchoolBuilder


def _school(url: str) -> None:
    engine = make_engine(url)
    with UnitOfWorkFactory(make_session_factory(engine))() as uow:
        b = SchoolBuilder(uow.session, "青山村小学")
        teacher = b.person("王老师", Role.CLASS_TEACHER)
        mother = b.person("张妈妈", Role.PARENT)
        child = b.child("张小明", "S001", b.klass("三(1)班", teacher=teacher))
        b.relate(child, RelationKind.MOTHER, mother)
        uow.session.add(FamilyNews(child_id=child, period="2026-11", teacher_id=teacher, status="sent", facts={},
                                   drafted_at=datetime(2026, 12, 1, tzinfo=UTC)))
        meeting = Meeting(school_id=b.school_id, kind="guardian_meeting", organiser_id=teacher, place="教室",
                          starts_at=datetime(2026, 12, 10, 7, tzinfo=UTC), created_at=datetime(2026, 12, 1, tzinfo=UTC),
                          attended=5)
        uow.session.add(meeting)
        uow.session.flush()
        uow.session.add(MeetingInvite(meeting_id=meeting.id, person_id=mother, reply="yes"))
        uow.commit()
    engine.dispose()


def test_rooms_and_the_report(database_url, monkeypatch, capsys) -> None:
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    _school(database_url)
    assert main(["rooms", "set", "视频室", "--kind", "video", "--slots", "sat 09:00-10:00/30",
                 "--keeper", "王老师"]) == 0
    assert "视频室（video）：sat 09:00-10:00/30；由王老师确认" in capsys.readouterr().out
    assert main(["rooms", "set", "视频室", "--slots", "someday 9-10"]) == 1
    assert "无法识别时段" in capsys.readouterr().err
    assert main(["rooms", "set", "视频室", "--keeper", "李老师"]) == 1
    assert main(["rooms", "list"]) == 0
    assert "视频室" in capsys.readouterr().out
    assert main(["family", "report", "--from", "2026-11-01", "--to", "2026-12-31"]) == 0
    out = capsys.readouterr().out
    assert "每月反馈：已发送 1，跳过 0，待班主任审阅 0" in out and "亲情电话：已通话 0 次" in out
    assert "监护人会议：召开 1 次，邀请 1 人，回复参加 1 人，到会 5 人" in out
    assert "亲情书信：0名儿童寄出0封，家长回信0封" in out
