"""Property: nobody sees a child outside their circle, through any newer command, export or dashboard page.

Issue 10, "How it is checked": the cross-child property extended to every new
command, card and export. In the figures tests' county every child has a
card address, a talk note, an education plan, an aid record, a task and a
draft of the monthly news, each with its own invented words. Random
sequences (hypothesis) of what three people type — the guardian of 小一, the
class teacher of 二年级（1）班 (another class than 王老师's) and the town
official — over ``/card``, ``/talks``, ``/tasks``, ``/plan``, ``/aid``,
``/news``, ``/call``, ``/meeting``, ``/report`` and ``/export`` with every
child's name: no reply and no exported file names a child outside the
person's circle or shows one of that child's records; an official's figures
show no count under 5. The official then walks every dashboard page, every
child's page and every download: no child's name, no record. A positive
control (王老师 sees her own child's card) keeps the property from being
vacuous.
"""

from __future__ import annotations

import io
import re
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot import bootstrap
from bot.config import load_settings
from bot.domain.clock import ManualClock
from bot.domain.enums import TaskKind
from bot.services import child_names
from bot.store.models import AidRecord, Base, Child, EducationPlan, FamilyNews, TalkRecord, Task
from tests.support.chat import Chat
from tests.support.figures_world import County, county

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
BASE = "http://guanai.test"
COMMANDS = ("/card {}", "/talks {}", "/tasks", "/plan {}", "/aid {}", "/news {}", "/news", "/call {}", "/meeting",
            "/report", "/report 学期", "/export 花名册", "/export 统计", "/export 结对", "/export 统计表", "档案{}",
            "资助 {}", "方案{}")
WHO = ("grandma", "li", "town")
NOBODY = "查无此人"  # a name no child has
_SMALL_COUNT = re.compile(r"(?<![\d.<])[1-4]\s*(名|个|人|项|次)")


class World:
    """A fresh SQLite county with a record of every kind for every child, each with its own words."""

    def __init__(self, path: Path) -> None:
        url = f"sqlite:///{path}"
        from bot.store.db import make_engine

        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        self.clock = ManualClock(NOW)
        self.container = bootstrap.build(load_settings(database_url=url, web_base_url=BASE), clock=self.clock)
        self.county: County = county(self.container.uow)
        self.flows = bootstrap.make_flows(self.container)
        self.records: dict[int, tuple[str, ...]] = {}  # child id → its name and its records' words
        with self.container.uow() as uow:
            s = uow.session
            for k, child in enumerate(s.scalars(select(Child).order_by(Child.id)), start=1):
                words = (f"青山村{k}组{k}号", f"谈心记录第{k}号", f"方案目标第{k}号", f"资助物品第{k}号",
                         f"任务详情第{k}号", f"月报留言第{k}号")
                child.address = words[0]
                s.add(TalkRecord(child_id=child.id, author_id=self.county.wang, kind="class_teacher_monthly",
                                 period="2026-11", talked_at=NOW, note=words[1], mood="good"))
                s.add(EducationPlan(child_id=child.id, school_id=child.school_id, reason="class_teacher",
                                    goals=[words[2]], measures=[], opened_at=NOW))
                s.add(AidRecord(child_id=child.id, school_id=child.school_id, given_on=date(2026, 11, 20),
                                kind="stationery", items=words[3], recorded_at=NOW))
                s.add(Task(key=f"prop:{child.id}", kind=TaskKind.HELP_REQUEST.value, child_id=child.id,
                           assignee_id=self.county.wang, created_at=NOW, detail=words[4]))
                s.add(FamilyNews(child_id=child.id, period="2026-11", teacher_id=self.county.wang, status="draft",
                                 facts={"talks": 1}, note=words[5], drafted_at=NOW))
                self.records[child.id] = (child.name, *words)
            uow.commit()
            self.class_of = dict(s.execute(select(Child.id, Child.class_id)).all())
            self.names = dict(s.execute(select(Child.id, Child.name)).all())
        li_class = self.class_of[next(c for c, n in self.names.items() if n == "大一")]
        self.circle = {
            "grandma": {self.county.xiaoyi},
            "li": {c for c, klass in self.class_of.items() if klass == li_class},
            "town": set(),
        }

    def chat(self, who: str) -> Chat:
        return Chat(self.flows, f"tg-{getattr(self.county, who)}")

    def leaks(self, who: str, shown: str, typed: str = "") -> list[str]:
        """The names and records of children outside ``who``'s circle found in ``shown``.

        The name the person typed themselves may be said back (``没有找到…名叫小二的孩子``): that
        reply is checked against the one for a name nobody has instead.
        """
        return [w for child, words in self.records.items() if child not in self.circle[who] for w in words
                if w in shown and w != typed]

    def outside(self, who: str, name: str) -> bool:
        """Every child called ``name`` is outside ``who``'s circle."""
        return all(child not in self.circle[who] for child, n in self.names.items() if n == name)


def _shown(chat: Chat) -> str:
    """The reply's text and every attached spreadsheet's cells."""
    parts = [chat.text]
    for prompt in chat.reply.prompts:
        if prompt.attachment is not None and prompt.attachment.filename.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(prompt.attachment.data))
            parts += [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                      for cell in row if cell is not None]
    return "\n".join(parts)


CHILDREN = ("小一", "小二", "小三", "小六", "大一", "大二", "大三", "河0", "河6", "石1")
steps = st.lists(st.tuples(st.sampled_from(WHO), st.sampled_from(COMMANDS), st.sampled_from(CHILDREN)),
                 min_size=3, max_size=12)


def test_nobody_sees_a_child_outside_their_circle_in_a_newer_command_or_export() -> None:
    # One county for every example: the commands only read (a flow they start is cancelled after each).
    with tempfile.TemporaryDirectory() as tmp:
        world = World(Path(tmp) / "county.db")
        try:
            own = world.chat("wang")
            own.send("/card 小二")  # the positive control: a class teacher sees her own child's card
            assert world.records[world.county.xiaoer][1] in own.text, own.text

            @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
            @given(script=steps)
            def typed(script: list[tuple[str, str, str]]) -> None:
                for who, command, name in script:
                    chat = world.chat(who)
                    chat.send(command.format(name))
                    shown = _shown(chat)
                    assert world.leaks(who, shown, typed=name if "{}" in command else "") == [], \
                        (who, command, name, shown)
                    if who == "town":  # the footnote stating the rule ("为1至4项时") is no count
                        figures = "\n".join(x for x in shown.splitlines() if not x.startswith("为保护儿童隐私"))
                        assert _SMALL_COUNT.findall(figures) == [], (command, shown)
                    chat.send("/cancel")
                    # No existence oracle (a keyword glued to a name with a digit is no command: skipped).
                    glued_digit = "{}" in command and " " not in command and not name.isalpha()
                    # A glued keyword is a command only with a name close to one of the person's own children
                    # (issue 6.3), and a name close to theirs is answered with their own children's names (/card
                    # and /talks offer close names, fix6c): the reply then differs from NOBODY's because of their
                    # own children only (world.leaks above checks it names nobody else).
                    glued_near = "{}" in command and any(
                        child_names.similarity(name, world.names[c]) >= child_names.CLOSE_ENOUGH
                        or name in world.names[c] for c in world.circle[who])
                    # A family member's staff keyword with a name of 2 to 4 letters is told "that command is for
                    # the child's teachers" (fix6al); with 河0 (a digit: no name's shape) it is her words, relayed
                    # about her own child. intent.for_teachers reads the shape only, never the roster: the two
                    # replies differ by what she typed, not by whether the child exists (both name nobody else).
                    family_word = who == "grandma" and not command.startswith("/") and not name.isalpha()
                    if ("{}" in command and world.outside(who, name) and not glued_digit and not glued_near
                            and not family_word):
                        chat.send(command.format(NOBODY))
                        assert _shown(chat).replace(NOBODY, name) == shown, (who, command, name)
                        chat.send("/cancel")

            typed()
        finally:
            world.container.engine.dispose()


async def test_an_official_walks_every_dashboard_page_and_download_and_sees_no_child(tmp_path: Path) -> None:
    world = World(tmp_path / "county.db")
    app = bootstrap.make_web_app(world.container)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        official = world.chat("town")
        official.send("/web")
        link = re.search(r"http://guanai\.test(/web/login/[\w-]+)", official.text)
        assert link, official.text
        shown = await client.get(link.group(1))
        form = {"csrf": re.search(r'name="csrf" value="([^"]+)"', shown.text).group(1)}
        page = await client.post(link.group(1), data=form, follow_redirects=True)
        assert page.status_code == 200 and "清溪镇" in page.text
        paths = ["/web/", "/web/children", "/web/tasks", "/web/incidents", "/web/programme", "/web/exports",
                 *(f"/web/children/{child}" for child in world.records)]
        pages = [page] + [await client.get(path) for path in paths]
        pages += [await client.get("/web/exports/download", params={"kind": kind})
                  for kind in ("roster", "figures", "pairs", "registration", "talks")]
        for response in pages:
            body = response.text if not response.headers.get("content-type", "").startswith(
                "application/vnd.openxmlformats") else "\n".join(
                str(cell) for sheet in openpyxl.load_workbook(io.BytesIO(response.content)).worksheets
                for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
            assert world.leaks("town", body) == [], (response.request.url, body[:2000])
        figures = re.sub(r"为保护儿童隐私[^<]*", "", page.text)  # the footnote stating the rule ("1至4项") is no count
        assert _SMALL_COUNT.findall(re.sub(r"<[^>]+>", " ", figures)) == [], page.text
    world.container.engine.dispose()
