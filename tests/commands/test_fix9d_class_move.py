"""fix9d: a re-import moves 杨秀云 to 一年级（2）班; her former class teacher's open tasks go to the new one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from sqlalchemy import select

from bot.cli import main
from bot.domain.enums import TaskKind
from bot.services import tasks
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Child, Person, SchoolClass, Task
from bot.store.uow import UnitOfWorkFactory

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def _moved(sample_roster: Path, path: Path) -> Path:
    book = openpyxl.load_workbook(sample_roster)
    ws = book["留守儿童花名册"]
    header = [c.value for c in ws[1]]
    assert ws.cell(row=2, column=2).value == "杨秀云"
    ws.cell(row=2, column=header.index("班级") + 1).value = "一年级（2）班"
    book.save(path)
    return path


def test_a_child_moved_to_another_class_takes_her_open_tasks_to_the_new_class_teacher(
        empty_url, sample_roster, tmp_path, capsys):
    assert main(["import", str(sample_roster)]) == 0
    capsys.readouterr()
    engine = make_engine(empty_url)
    uows = UnitOfWorkFactory(make_session_factory(engine))
    try:
        with uows() as uow:
            child = uow.session.scalar(select(Child).where(Child.name == "杨秀云"))
            assert child is not None
            wang = uow.session.scalar(select(Person.id).where(Person.name == "王老师"))
            tasks.create(uow, key="t1", kind=TaskKind.TALK_FOLLOW_UP.value, assignee_id=wang, child_id=child.id,
                         now=NOW)
            tasks.create(uow, key="t2", kind=TaskKind.HELP_REQUEST.value, assignee_id=wang, child_id=child.id,
                         now=NOW)
            uow.commit()
            child_id = child.id
        assert main(["import", str(_moved(sample_roster, tmp_path / "moved.xlsx"))]) == 0
        with uows() as uow:
            new_teacher = uow.session.scalar(select(Person.name).join(SchoolClass, SchoolClass.class_teacher_id
                                                                      == Person.id)
                                             .where(SchoolClass.name == "一年级（2）班"))
            held = uow.session.scalars(select(Person.name).join(Task, Task.assignee_id == Person.id)
                                       .where(Task.child_id == child_id, Task.done_at.is_(None))).all()
        assert new_teacher and new_teacher != "王老师" and held == [new_teacher, new_teacher]
        out = capsys.readouterr().out
        assert f"调到{new_teacher}班上的儿童有2项未完成任务，已从王老师交接给{new_teacher}。" in out, out
    finally:
        engine.dispose()
