"""Property: in one chat, a typed number or word never changes anything outside the question shown last.

Random interleavings (hypothesis) of what reaches one chat — incident alerts
and check-ins for several children delivered by the outbox's seam
(``conversations.present``), talks started, numbers, answer words and free
text typed — for a person who is a class teacher, a guardian of two children
and on an incident chain at once. Before every typed message the test knows,
from what the chat was shown, the question shown last; afterwards only what
that question is about may have changed: its check-in's answer, its alert's
acknowledgement, or — for a flow's question — the check-in note of the child
it names — and, since any reply from an alerted person proves they were
reached, the acknowledgement of the alerts waiting. Every message numbers its
choices from 1, one numbered question per reply.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import Channel, RelationKind, Role
from bot.flows.runner import FlowRunner, Inbound
from bot.i18n import render
from bot.messages import payloads
from bot.messages.prompt import Prompt
from bot.services import conversations
from bot.services.checkin_messages import question_prompt
from bot.services.incident_messages import ack_choice
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Base, Checkin, Incident, IncidentStep
from bot.store.uow import UnitOfWorkFactory
from tests.support.school import SchoolBuilder

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # Friday 18:00 Asia/Shanghai
ACCOUNT = "wx-teacher-grandma"
CHILDREN = ("杨秀云", "杨婷", "李涛")  # the first two are her grandchildren; all three in her class
TYPED = ("1", "2", "3", "4", "5", "好", "很好", "需要帮助", "确认收到", "跳过", "是", "否", "保存",
         "孩子发烧两天了", "/cancel")

events = st.lists(
    st.one_of(
        st.tuples(st.just("checkin"), st.sampled_from(CHILDREN[:2])),
        st.tuples(st.just("alert"), st.sampled_from(CHILDREN)),
        st.tuples(st.just("talk"), st.sampled_from(CHILDREN)),
        st.tuples(st.just("type"), st.sampled_from(TYPED)),
        st.tuples(st.just("wait"), st.sampled_from((5, 60, 420))),
    ),
    min_size=4, max_size=28,
)


class World:
    """A fresh SQLite database with the one chat and the school around it."""

    def __init__(self, path: Path) -> None:
        engine = make_engine(f"sqlite:///{path}")
        Base.metadata.create_all(engine)
        self.engine = engine
        self.uow = UnitOfWorkFactory(make_session_factory(engine))
        self.clock = ManualClock(NOW)
        self.flows = FlowRunner(self.uow, self.clock, Settings(database_url="sqlite://"))
        with self.uow() as uow:
            b = SchoolBuilder(uow.session)
            self.me = b.person("杨老师", Role.CLASS_TEACHER, Role.GUARDIAN)
            self.reporter = b.person("袁老师", Role.CLASS_TEACHER)
            klass = b.klass("一年级（1）班", teacher=self.me)
            self.children = {name: b.child(name, f"P{i}", klass) for i, name in enumerate(CHILDREN)}
            for name in CHILDREN[:2]:
                b.relate(self.children[name], RelationKind.ENTRUSTED_GUARDIAN, self.me)
            b.account(self.me, ACCOUNT, channel=Channel.WECHAT.value)
            uow.commit()
        self.checkins: dict[str, int] = {}
        self.incidents: dict[str, int] = {}
        self.last_question: Prompt | None = None

    def shown(self, prompts: list[Prompt]) -> None:
        """The chat sees these messages: each numbers its choices from 1; the last question becomes current."""
        numbered = [p for p in prompts if p.choices]
        assert len(numbered) <= 1, "two questions numbered side by side"
        for p in numbered:
            assert p.first_number == 1
            self.last_question = p

    def deliver(self, prompt: Prompt) -> None:
        """The outbox's seam, as the drain calls it before sending."""
        with self.uow() as uow:
            sent = conversations.present(uow, channel=Channel.WECHAT.value, account_id=ACCOUNT, prompt=prompt,
                                         now=self.clock.now())
            uow.commit()
        self.shown([sent])

    def checkin(self, child: str) -> None:
        if child in self.checkins:
            cid = self.checkins[child]
        else:
            with self.uow() as uow:
                row = Checkin(child_id=self.children[child], guardian_id=self.me, period="2026-W49",
                              sent_at=self.clock.now(), reminder_due_at=self.clock.now() + timedelta(days=2))
                uow.session.add(row)
                uow.commit()
                cid = self.checkins[child] = row.id
        self.deliver(question_prompt(cid, child))

    def alert(self, child: str) -> None:
        if child not in self.incidents:
            now = self.clock.now()
            with self.uow() as uow:
                incident = Incident(child_id=self.children[child], reporter_id=self.reporter, kind="injury",
                                    severity="emergency", description="摔倒", reported_at=now, policy={})
                uow.session.add(incident)
                uow.session.flush()
                uow.session.add(IncidentStep(incident_id=incident.id, step_no=1, person_id=self.me, send_by=now,
                                             due_by=now + timedelta(minutes=30), sent_at=now))
                uow.commit()
                self.incidents[child] = incident.id
        iid = self.incidents[child]
        self.deliver(Prompt("Incident: {child}", {"child": child}, choices=(ack_choice(iid),),
                            kind="incident_alert"))

    def send(self, typed: str) -> list[Prompt]:
        reply = self.flows.handle(Inbound(channel=Channel.WECHAT.value, account_id=ACCOUNT, text=typed))
        self.shown(reply.prompts)
        return reply.prompts

    def state(self) -> dict[tuple[str, int], Any]:
        """What a typed answer could change: check-in answers and notes, alert acknowledgements."""
        with self.uow() as uow:
            found: dict[tuple[str, int], Any] = {}
            for c in uow.session.scalars(select(Checkin)):
                found[("checkin", c.id)] = c.answer
                found[("note", c.id)] = c.follow_up_text
            for step in uow.session.scalars(select(IncidentStep)):
                found[("ack", step.incident_id)] = step.acknowledged_at is not None
            return found

    def allowed(self) -> set[tuple[str, int]]:
        """What the question shown last is about (nothing when no question was shown)."""
        # Any reply from an alerted person proves they were reached (DESIGN.md "Conversations"): it may
        # acknowledge every alert waiting, whichever question it answers.
        allowed: set[tuple[str, int]] = {("ack", iid) for iid in self.incidents.values()}
        q = self.last_question
        if q is None:
            return allowed
        shown = render(q, "zh_Hans", "Asia/Shanghai").text
        for choice in q.choices:
            pressed = payloads.decode(choice.payload)
            if isinstance(pressed, payloads.CheckinPress):
                allowed.add(("checkin", pressed.checkin_id))
            elif isinstance(pressed, payloads.IncidentAck):
                allowed.add(("ack", pressed.incident_id))
            elif isinstance(pressed, payloads.FlowChoice):
                # A flow's question: only the check-in of the child it names may get its note.
                allowed.update(("note", cid) for child, cid in self.checkins.items() if child in shown)
        return allowed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=events)
def test_a_number_or_word_changes_only_the_question_shown_last(script: list[tuple[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        world = World(Path(tmp) / "agenda.db")
        try:
            for kind, arg in script:
                if kind == "checkin":
                    world.checkin(arg)
                elif kind == "alert":
                    world.alert(arg)
                elif kind == "talk":
                    world.send(f"谈心 {arg}")
                elif kind == "wait":
                    world.clock.advance(timedelta(minutes=arg))
                else:
                    before, allowed = world.state(), world.allowed()
                    world.send(arg)
                    after = world.state()
                    changed = {k for k in after if before.get(k) != after[k]}
                    assert changed <= allowed, (arg, changed, allowed, script)
        finally:
            world.engine.dispose()
