"""After ``guanai erase`` no row kept about the child points at, or names, the people around the child (issue 10.4).

A week in 张三's life as the school lives it: the Friday check-in (his
grandfather answers "needs help" with a note), the grandfather's message to
the class teacher and her answer, an emergency whose chain alerts the
grandfather, then the parents (the father's account has blocked the bot: a
phone task about him), acknowledged and closed. Then the deletion request.
What stays for the figures (the check-in's answer, the incident's steps and
times, the deliveries) must tie the child to nobody by id, and the school's
timelines, reports, exports, ``/tasks``, ``/due``, digests and the dashboard
still work.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyotp
import pytest
from sqlalchemy import ForeignKey, select, text

import bot.bootstrap
from bot.bootstrap import Container, build, make_web_app, tick
from bot.cli import main
from bot.config import load_settings
from bot.domain.clock import ManualClock
from bot.domain.enums import IncidentKind, Severity
from bot.domain.figures import month_period
from bot.flows.runner import FlowRunner
from bot.i18n import render
from bot.messages import family_payloads
from bot.services import checkins, exports, family_messages, figures, incident_close, incidents
from bot.services.incident_timeline import timeline_prompt
from bot.store.models import (
    Base,
    Checkin,
    FamilyCall,
    FamilyMessage,
    IncidentEvent,
    Letter,
    OutboxMessage,
    Task,
)
from tests.support.chat import Chat
from tests.support.fakes import FakeSender
from tests.support.school import TG, ChainSchool, chain_school
from tests.web.test_dashboard import enrol_code

FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # Friday 18:00 school time: the check-in moment
BASE = "http://guanai.test"
RELATIVES = ("grandpa", "father", "mother")  # 张三's guardian and parents (staff ids stay: assignees, authors)
NAMES = ("张爷爷", "张爸爸", "张妈妈", "张三")
WENT_WRONG = "出了点问题"


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    c = build(load_settings(database_url=database_url, web_base_url=BASE), clock=ManualClock(FRIDAY))
    yield c
    c.engine.dispose()


def run_tick(c: Container, sender: FakeSender) -> None:
    report = asyncio.run(tick(c, {"telegram": sender}))
    assert report.errors == []


def _a_week(c: Container, sender: FakeSender) -> tuple[ChainSchool, int]:
    """The week before the deletion request; returns the school and the incident's id."""
    school = chain_school(c.uow, c.clock.now())
    flows = FlowRunner(c.uow, c.clock, c.settings)
    grandpa, teacher = Chat(flows, str(TG["grandpa"])), Chat(flows, str(TG["li"]))
    with c.uow() as uow:
        checkins.plan_checkins(uow, now=c.clock.now(), settings=c.settings)
        uow.commit()
    run_tick(c, sender)
    with c.uow() as uow:
        checkin = uow.session.scalar(select(Checkin.id).where(Checkin.child_id == school.zhang_san))
    grandpa.press(f"ci:{checkin}:h")
    assert "需要帮助" in grandpa.text
    grandpa.send("1")
    grandpa.send("孩子最近咳嗽，想请老师帮忙看看。")
    assert grandpa.text.startswith("谢谢。您关于张三的留言已转给李老师（班主任）")  # and kept for the digest
    grandpa.send("孩子发烧两天了，我腿脚不好")
    assert "老师" in grandpa.text
    mother = Chat(flows, str(TG["mother"]))
    mother.send("亲情电话")  # a family call with 张三 next week, still to come at the erasure
    mother.tap(mother.choices[0][0])
    assert "已申请" in mother.text, mother.text
    teacher.send_media(("photo", "letter-page-1.jpg"))  # his letter to the parents, and his mother's reply
    teacher.tap("张三（三年级1班）")
    teacher.tap("发送")
    with c.uow() as uow:
        letter = uow.session.scalars(select(Letter.id)).one()
    mother.press(family_payloads.letter_reply(letter))
    mother.send("乖孩子，妈妈过年就回来看你")
    assert "您的回信已转给班主任" in mother.text, mother.text
    with c.uow() as uow:
        message = uow.session.scalar(select(FamilyMessage.id).where(FamilyMessage.kind == "message"))
        assert family_messages.answer(uow, teacher_id=school.li, message_id=message, body="明天我去您家看看",
                                      now=c.clock.now()).writer == "张爷爷"
        incident = incidents.report_incident(uow, reporter_id=school.li, child_id=school.zhang_san,
                                             kind=IncidentKind.INJURY.value, severity=Severity.EMERGENCY.value,
                                             description="放学路上被摩托车擦伤，已送镇卫生院。", now=c.clock.now())
        uow.commit()
    run_tick(c, sender)
    grandpa.press(f"ack:{incident}")
    assert grandpa.text == "谢谢：已记录您对张三事件通知的确认。"
    sender.blocked.add(str(TG["father"]))  # step 2 to the parents: the father's account refuses it
    c.clock.advance(timedelta(minutes=1))
    run_tick(c, sender)
    Chat(flows, str(TG["mother"])).press(f"ack:{incident}")
    teacher.send("/due")
    with c.uow() as uow:
        assert uow.session.scalar(select(Task.id).where(Task.about_person_id == school.father)) is not None
        assert uow.session.scalar(select(OutboxMessage.id).where(OutboxMessage.last_error.is_not(None)))
        incident_close.close_incident(uow, person_id=school.li, incident_id=incident, now=c.clock.now(),
                                      outcome="safe_at_home")
        uow.commit()
    run_tick(c, sender)
    return school, incident


def _people_columns() -> dict[str, list[str]]:
    """Every column holding a person's id, per table (foreign keys to ``people.id``)."""
    found: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(isinstance(fk, ForeignKey) and fk.target_fullname == "people.id" for fk in column.foreign_keys):
                found.setdefault(table.name, []).append(column.name)
    return found


def _rows_tied_to(c: Container, child_id: int, incident_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row tied to the child, by raw SQL: tables with ``child_id``, the incident's steps and events, and
    outbox rows found by the incident's keys or steps."""
    tied: dict[str, list[dict[str, Any]]] = {}
    with c.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if "child_id" in table.columns and table.name != "audit_log":  # audit: staff reads, append-only
                tied[table.name] = [dict(r._mapping) for r in conn.execute(
                    text(f"SELECT * FROM {table.name} WHERE child_id = :c"), {"c": child_id})]  # noqa: S608
        for name in ("incident_steps", "incident_events"):
            tied[name] = [dict(r._mapping) for r in conn.execute(
                text(f"SELECT * FROM {name} WHERE incident_id = :i"), {"i": incident_id})]  # noqa: S608
        tied["outbox"] += [dict(r._mapping) for r in conn.execute(
            text("SELECT * FROM outbox WHERE (child_id IS NULL OR child_id <> :c) AND (key LIKE :k OR "
                 "incident_step_id IN (SELECT id FROM incident_steps WHERE incident_id = :i))"),
            {"c": child_id, "k": f"incident:{incident_id}:%", "i": incident_id})]
    return tied


def _same_rows(c: Container, before: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``before`` as they are now, by id (a row deleted is gone from the list); a link table
    without ids (``family_message_children``) by its child."""
    with c.engine.connect() as conn:
        return {name: [dict(r._mapping) for r in conn.execute(
                    text(f"SELECT * FROM {name} WHERE id IN ({', '.join(str(int(row['id'])) for row in rows)})"  # noqa: S608
                         if "id" in rows[0] else
                         f"SELECT * FROM {name} WHERE child_id IN ({', '.join(str(int(row['child_id'])) for row in rows)})"))]  # noqa: S608, E501
                for name, rows in before.items() if rows}


def test_after_erasure_no_row_about_the_child_points_at_or_names_a_relative(container, database_url,
                                                                             monkeypatch) -> None:
    c, sender = container, FakeSender()
    school, incident = _a_week(c, sender)
    relatives = {school.people[k] for k in RELATIVES}
    before = _rows_tied_to(c, school.zhang_san, incident)
    person_columns = _people_columns()
    linked = {(t, col) for t, rows in before.items() for row in rows for col in person_columns.get(t, [])
              if row[col] in relatives}
    assert {("checkins", "guardian_id"), ("incident_steps", "person_id"), ("incident_events", "person_id"),
            ("family_messages", "from_person_id"), ("family_messages", "to_person_id"), ("outbox", "person_id"),
            ("tasks", "about_person_id"), ("family_calls", "parent_id"), ("family_calls", "requested_by_id")} \
        <= linked  # the week did tie the child to them
    with c.engine.connect() as conn:
        assert conn.scalar(text("SELECT parent_id FROM letter_replies")) == school.mother

    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: c.clock)
    assert main(["erase", "E001", "--yes"]) == 0

    after = _same_rows(c, before)
    gone = {name for name, rows in before.items() if rows and not after.get(name)}
    # The erased child's links go (a sibling's link to the same message would stay); the rest stays for the figures.
    links = ("child_relations", "family_message_children")
    assert gone == set(links), gone
    assert {name: len(rows) for name, rows in after.items() if name not in links} == \
        {name: len(rows) for name, rows in before.items() if rows and name not in links}
    for table, rows in after.items():
        for row in rows:
            assert not {row[col] for col in person_columns.get(table, [])} & relatives, (table, row)
    assert all(row["person_id"] is None for row in after["incident_steps"])
    assert all(row["guardian_id"] is None for row in after["checkins"])
    assert all(row["key"].startswith("erased:") and row["to_account"] is None for row in after["outbox"])
    assert all(row["key"].startswith("erased:") for row in after["tasks"])
    with c.engine.connect() as conn:
        assert conn.scalar(text("SELECT parent_id FROM letter_replies")) is None
    with c.uow() as uow:  # the call still to come was called off, its slot free for another child
        call = uow.session.scalars(select(FamilyCall)).one()
        assert (call.status, call.slot_key) == ("cancelled", None)
    with c.uow() as uow:  # and what those rows say (decrypted) names none of them
        events = [(e.kind, e.detail, e.note) for e in uow.session.scalars(
            select(IncidentEvent).where(IncidentEvent.incident_id == incident))]
        said: list[Any] = [(o.payload, o.last_error) for o in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.child_id == school.zhang_san))]
        said += [(t.detail, t.outcome) for t in uow.session.scalars(
            select(Task).where(Task.child_id == school.zhang_san))]
        said += [m.body for m in uow.session.scalars(
            select(FamilyMessage).where(FamilyMessage.child_id == school.zhang_san))]
    shown = repr([*events, *said])
    assert not [n for n in NAMES if n in shown], shown
    [reported] = [detail for kind, detail, _note in events if kind == "reported"]
    assert [person for _step, person, _role in reported["recipients"]] == [None] * 5
    assert [role for _step, _person, role in reported["recipients"]] == [
        "entrusted_guardian", "father", "mother", "education_bureau", "town_government"]  # roles stay, ids go

    # The school's views of that week still work, showing "—" where a person was.
    flows = FlowRunner(c.uow, c.clock, c.settings)
    teacher, principal = Chat(flows, str(TG["li"])), Chat(flows, str(TG["admin"]))
    teacher.press(f"inc:{incident}")
    assert teacher.text.startswith("突发事件 1：—（三年级1班），受伤，紧急，由李老师于2026年12月4日 18:00报告。"
                                   "状态：已结束。")
    assert "第1步：—（委托监护人）— 须于2026年12月4日 18:30前联系到" in teacher.text  # the role stays, not who
    assert "第2步：—（母亲）— 须于2026年12月4日 19:00前联系到；发送：2026年12月4日 18:00；确认：2026年12月4日 18:01" \
        in teacher.text
    assert not [n for n in NAMES if n in teacher.text], teacher.text
    for chat, command in ((teacher, "/tasks"), (teacher, "/due"), (principal, "/report"), (principal, "/due"),
                          (Chat(flows, str(TG["chen"])), "/tasks")):
        chat.send(command)
        assert WENT_WRONG not in chat.text and "张爷爷" not in chat.text, (command, chat.text)
    with c.uow() as uow:
        view = render(timeline_prompt(uow, incident), "en", "Asia/Shanghai")
        assert "Step 2: — (father) — due by Dec 4, 2026 19:00; sent: Dec 4, 2026 18:00; acknowledged: not yet" \
            in view.text, view.text
        sheet = exports.incident_sheet(uow, school.school_id, "zh_Hans")
        assert len([r for r in sheet.rows if r[0] == incident]) >= 3  # one line per step, no names
        assert not [n for n in NAMES[:3] if n in repr(sheet.rows)]
        assert figures.school_figures(uow, school.school_id, month_period(2026, 12), c.clock.now()).total.incidents == 1
    c.clock.advance(timedelta(days=1))  # the next morning: digests, escalations, no-signal checks, the purge
    run_tick(c, sender)
    page = asyncio.run(_dashboard_incidents(c, school))
    assert "受伤" in page and "已结束" in page


async def _dashboard_incidents(c: Container, school: ChainSchool) -> str:
    """The principal's /web/incidents page, signed in with the link from /web in chat and a TOTP code."""
    chat = Chat(FlowRunner(c.uow, c.clock, c.settings), str(TG["admin"]))
    chat.send("/web")
    link = re.search(r"http://guanai\.test(/web/login/[\w-]+)", chat.text)
    assert link, chat.text
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_web_app(c)), base_url=BASE) as client:
        shown = await client.get(link.group(1))
        form = {"csrf": re.search(r'name="csrf" value="([^"]+)"', shown.text).group(1)}
        page = await client.post(link.group(1), data=form, follow_redirects=True)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf, page.text
        page = await client.post("/web/totp", data={"csrf": csrf.group(1), "code": enrol_code(c)})
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert secret and csrf, page.text
        await client.post("/web/totp", data={"csrf": csrf.group(1),
                                             "code": pyotp.TOTP(secret.group(1)).at(c.clock.now())})
        page = await client.get("/web/incidents")
    assert page.status_code == 200 and "—" in page.text, page.text[:2000]
    assert not [n for n in NAMES[:3] if n in page.text]
    return page.text
