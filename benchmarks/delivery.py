"""Benchmark: the outbox sender against the strict local Bot API double (issue 7).

The double answers 429 as Telegram does beyond 30 messages/s overall and one
per second per chat, and takes ``--latency`` seconds per call (real calls take
100–300 ms). The real python-telegram-bot bot, the shared pacer, the
``TelegramSender`` and the long-lived ``OutboxSender`` run as in ``guanai run``;
rows are written by committing transactions, as the services do. Prints, side
by side with the goal:

* alert latency with an idle queue: commit of an urgent row → its arrival (p50, p99);
* a bulk send to ``--chats`` distinct chats: messages/s and 429s, and the latency
  of alerts committed every half second during it (p50, p99);
* several messages to one chat (siblings): 429s, none lost;
* a worker stopped mid-send and restarted at once: how soon the rows it had not
  attempted arrive, and how many arrive twice;
* with ``--incidents N``: an incident reported through the real use case → the
  guardian's alert at the double, and step 2 falling due → the parent's alert
  (the escalator as in ``guanai run``; step 2 is moved to fall due 2 s later).

The double runs in a process of its own (``--double-process``, the default:
``benchmarks.double_process``), so that its arrival stamps do not wait for
the bot's interpreter lock; ``--no-double-process`` serves it from threads of
this process, as the tests do. The double stamps a call when the kernel
received its last bytes (``--no-kernel-stamps``: when its process read them,
which a loaded machine delays by tens of milliseconds — 429s Telegram, on
its own servers, would not give). Asserts nothing about speed. Usage::

    python -m benchmarks.delivery --chats 3000
    python -m benchmarks.delivery --chats 3000 --no-double-process --incidents 0
    python -m benchmarks.delivery --chats 3000 --incidents 0 --no-bulk-alerts   # the bulk's rate alone
    python -m benchmarks.delivery --chats 3000 --incidents 0 --no-bulk-alerts --trace   # each 429's second
    python -m benchmarks.delivery --chats 600 --database postgresql://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import logging
import tempfile
import time
import uuid
from datetime import time as dt_time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text as sql
from sqlalchemy import update

from benchmarks.double_process import RemoteDouble
from bot import bootstrap
from bot.config import load_settings
from bot.domain.enums import Priority, RelationKind, Role
from bot.handlers.telegram import limiter
from bot.messages.prompt import Prompt, text
from bot.scheduler.outbox_sender import OutboxSender
from bot.services import incidents
from bot.services.incident_limits import REPORTS_PER_WINDOW
from bot.services.outbox import Outgoing, enqueue, enqueue_many
from bot.services.pacing import Pacer, current_chat
from bot.store.db import make_engine
from bot.store.models import IncidentStep
from bot.store.schema import prepare_database
from tests.support.botapi_double import BotApiDouble
from tests.support.fakes import FakeFlows
from tests.support.school import SchoolBuilder

FIRST_CHAT = 8_900_000_000_000

Double = BotApiDouble | RemoteDouble

WRITTEN: dict[str, float] = {}
"""Chat → when the pacer last counted a request to it as written (``time.monotonic()``, as the double's stamps)."""
BODY_SENT: dict[str, float] = {}
"""Chat → when its last request's body was handed to the socket."""
HELD: list[float] = []
"""Seconds each counted call waited in the pacer's overall count (the platform's 30 arriving in a second)."""
DECIDED: list[tuple[str, float, int, Any]] = []
"""With ``--trace``: each counted call as the pacer decided it: (chat, when let go, how many calls it believed had
arrived or could arrive in the second before, its count entry — whose ``sent_at`` is its body's time once sent)."""


def _stamp_writes() -> None:
    """Note when each paced request is written, to compare with its arrival at the double."""
    counted = Pacer.request_written

    async def request_written(self: Pacer) -> None:
        await counted(self)
        chat = current_chat()
        if chat is not None:
            WRITTEN[chat] = time.monotonic()

    Pacer.request_written = request_written  # type: ignore[method-assign]
    count = Pacer._count  # noqa: SLF001 — how long the overall count held each call back

    async def timed_count(self: Pacer) -> Any:
        began = time.monotonic()
        counted = await count(self)
        HELD.append(time.monotonic() - began)
        DECIDED.append((current_chat() or "", counted.written, counted.window, counted))
        return counted

    Pacer._count = timed_count  # type: ignore[method-assign]  # noqa: SLF001
    traced = limiter._tracer  # noqa: SLF001 — the httpcore trace the bot's client installs

    def tracer(pacer: Pacer, other: Any) -> Any:
        inner = traced(pacer, other)

        async def trace(event: str, info: dict[str, Any]) -> None:
            await inner(event, info)
            if event.endswith("send_request_body.complete") and (chat := current_chat()) is not None:
                BODY_SENT[chat] = time.monotonic()

        return trace

    limiter._tracer = tracer  # noqa: SLF001


def _database(url: str | None) -> str:
    if url is None:
        return f"sqlite:///{Path(tempfile.mkdtemp()) / 'delivery.db'}"
    schema = f"bd_{uuid.uuid4().hex[:8]}"
    with make_engine(url).begin() as conn:
        conn.execute(sql(f'CREATE SCHEMA "{schema}"'))
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def _people(container: bootstrap.Container, chats: int) -> list[int]:
    with container.uow() as uow:
        b = SchoolBuilder(uow.session)
        people = [b.person(f"监护人{i}", Role.GUARDIAN) for i in range(chats)]
        for i, person in enumerate(people):
            b.account(person, str(FIRST_CHAT + i))
        uow.commit()
    return people


def _alert(container: bootstrap.Container, person: int, key: str) -> float:
    with container.uow() as uow:
        enqueue(uow.session, key=key, person_id=person, priority=Priority.URGENT, now=container.clock.now(),
                prompt=Prompt("Alert {k}", {"k": text(key)}))
        uow.commit()
    return time.monotonic()


def _bulk(container: bootstrap.Container, people: list[int], tag: str) -> float:
    with container.uow() as uow:
        enqueue_many(uow.session, [Outgoing(key=f"{tag}:{p}", person_id=p, priority=Priority.BULK,
                                            prompt=Prompt("Weekly {k}", {"k": text(tag)})) for p in people],
                     now=container.clock.now())
        uow.commit()
    return time.monotonic()


def _incident_school(container: bootstrap.Container, n: int) -> list[tuple[int, int, int, int]]:
    """``n`` children, each with a guardian and a father on Telegram: (teacher, child, guardian chat, father chat).

    One class and class teacher per :data:`~bot.services.incident_limits.REPORTS_PER_WINDOW` children, so
    that no reporter goes over the reports a person may make in ten minutes (the limit would refuse the rest).
    """
    out = []
    with container.uow() as uow:
        b = SchoolBuilder(uow.session, "事件小学")
        for i in range(n):
            if i % REPORTS_PER_WINDOW == 0:
                k = i // REPORTS_PER_WINDOW + 1
                teacher = b.person(f"李老师{k}", Role.CLASS_TEACHER)
                klass = b.klass(f"一年级{k}班", teacher=teacher, grade="一年级")
            child = b.child(f"孩子{i}", f"B{i:04d}", klass)
            guardian, father = b.person(f"爷爷{i}", Role.GUARDIAN), b.person(f"爸爸{i}", Role.PARENT)
            b.relate(child, RelationKind.ENTRUSTED_GUARDIAN, guardian)
            b.relate(child, RelationKind.FATHER, father)
            b.account(guardian, str(FIRST_CHAT + 500_000 + 2 * i))
            b.account(father, str(FIRST_CHAT + 500_001 + 2 * i))
            out.append((teacher, child, FIRST_CHAT + 500_000 + 2 * i, FIRST_CHAT + 500_001 + 2 * i))
        uow.commit()
    return out


async def _incidents(container: bootstrap.Container, double: Double, escalator: Any, n: int) -> None:
    reported: list[float] = []
    due: list[float] = []
    early = 0
    for teacher, child, guardian, father in _incident_school(container, n):
        before = len(double.sent)
        with container.uow() as uow:
            incident_id = incidents.report_incident(uow, reporter_id=teacher, child_id=child, kind="injury",
                                                    severity="emergency", description="摔倒", now=container.clock.now())
            uow.commit()
        committed = time.monotonic()
        await _wait(lambda g=guardian, b=before: any(m.chat_id == g for m in double.sent[b:]), 10)
        reported.append(next((m.at for m in double.sent[before:] if m.chat_id == guardian), float("nan")) - committed)
        with container.uow() as uow:  # step 2 falls due in 2 s
            falls_due = container.clock.now() + timedelta(seconds=2)
            uow.session.execute(update(IncidentStep).where(IncidentStep.incident_id == incident_id,
                                                           IncidentStep.step_no == 2)
                                .values(next_action_at=falls_due))
            uow.commit()
        due_at = time.monotonic() + 2.0
        escalator.wake()  # it re-reads the earliest next_action_at
        await _wait(lambda f=father, b=before: any(m.chat_id == f for m in double.sent[b:]), 15)
        arrived = next((m.at for m in double.sent[before:] if m.chat_id == father), float("nan"))
        early += int(arrived < due_at)
        due.append(arrived - due_at)
    print(f"report → guardian alert:  p50 {_pct(reported, .5):.3f} s  p99 {_pct(reported, .99):.3f} s  "
          f"({n} incidents)   (goal ≤ 2 s)")
    print(f"step 2 due → its alert:   p50 {_pct(due, .5):.3f} s  p99 {_pct(due, .99):.3f} s, {early} early   "
          "(goal ≤ 2 s, never early)")


def _arrived(double: Double, body: str) -> float | None:
    return next((m.at for m in double.sent if m.text == body), None)


async def _wait(condition: Any, within: float) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True


def _refused_windows(double: Double, since: int, written: dict[str, float], most: int = 3) -> None:
    """The double's view of the first refusals: the arrivals in the second before each, and when they were written.

    Accepted arrivals whose writes span more than a second were bunched after the write (arrival jitter);
    writes within a second would mean the pacer let them go too soon (the refused call's own write is
    not shown: its retry's write replaced it).
    """
    for at, chat in double.refused[since:since + most]:
        window = [m for m in double.sent if at - 1.0 < m.at <= at]
        late = [m.at - written[str(m.chat_id)] for m in window if str(m.chat_id) in written]
        writes = sorted(written[str(m.chat_id)] for m in window if str(m.chat_id) in written)
        arrivals = ", ".join(f"{m.at - at:+.3f}" for m in window[:3]) + " … " + ", ".join(
            f"{m.at - at:+.3f}" for m in window[-2:])
        print(f"  429 at the double ({chat}): {len(window)} arrivals in the second before it ({arrivals} s); "
              f"their writes span {writes[-1] - writes[0] if writes else float('nan'):.3f} s "
              f"; write → arrival max {max(late, default=float('nan')) * 1000:.0f} ms, "
              f"the first's {late[0] * 1000 if late else float('nan'):.0f} ms")


def _trace_refusals(double: Double, since: float) -> None:
    """``--trace``: for each 429 of the bulk, the 30 accepted arrivals of its second and the refused one.

    One line a call, in ms from the refused call's stamp: the double's stamp, when it read the request line
    and the body; the pacer's count (let go), when the body was handed to the socket, and how many calls the
    pacer believed were in the window then. The first accepted call's ``stamp − body`` against the refused
    call's tells whether the double stamped late (its process) or the pacer let 31 go within a second.
    """
    stamps = [s for s in double.stamps if s[0] >= since]
    by_chat: dict[str, list[tuple[float, int, Any]]] = {}
    for chat, decided, believed, counted in DECIDED:
        by_chat.setdefault(chat, []).append((decided, believed, counted))
    for at, chat, refused, _, _ in stamps:
        if not refused:
            continue
        window = [s for s in stamps if at - 1.0 < s[0] <= at and (not s[2] or s[0] == at)]
        print(f"  429 at the double, chat {chat}: {sum(1 for s in window if not s[2])} accepted in (t−1 s, t]; "
              "ms from t: stamp, line read, body read | pacer let go, body sent, believed in window")
        for stamp, c, was_refused, line, body in window:
            mine = [d for d in by_chat.get(str(c), []) if d[0] <= stamp]
            decided, believed, counted = mine[-1] if mine else (float("nan"), -1, None)
            sent = counted.sent_at if counted is not None and counted.sent_at is not None else float("nan")
            print(f"    {'REFUSED' if was_refused else '       '} {c}: {1000 * (stamp - at):+8.1f} "
                  f"{1000 * (line - at):+8.1f} {1000 * (body - at):+8.1f} | {1000 * (decided - at):+8.1f} "
                  f"{1000 * (sent - at):+8.1f}  {believed:2d}  (stamp − sent {1000 * (stamp - sent):5.1f})")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _run(url: str, chats: int, latency: float, n_incidents: int,  # noqa: PLR0915 — one scenario after the other
               double_process: bool, bulk_alerts: bool = True, trace: bool = False,
               kernel_stamps: bool = False) -> None:
    double: Double = (RemoteDouble(strict=True, latency=latency, kernel_stamps=kernel_stamps) if double_process
                      else BotApiDouble(strict=True, latency=latency, kernel_stamps=kernel_stamps).start())
    settings = load_settings(database_url=url, telegram_token=double.token, telegram_api_url=double.api_url,
                             quiet_start=dt_time(0, 0), quiet_end=dt_time(0, 0))  # bulk goes at any hour of the run
    container = bootstrap.build(settings)
    people = _people(container, chats + 10)
    bulk_people, alert_people = people[:chats], people[chats:]
    application = bootstrap.make_telegram_application(container, FakeFlows(), webhook=True)
    assert application is not None
    async with application:
        senders = {"telegram": bootstrap.make_telegram_sender(application, settings)}

        def start() -> tuple[OutboxSender, asyncio.Task[None]]:
            sender = bootstrap.make_outbox_sender(container, senders)
            return sender, asyncio.create_task(sender.run())

        sender, task = start()
        escalator = bootstrap.make_escalator(container)
        escalator_task = asyncio.create_task(escalator.run())
        await asyncio.sleep(0.5)
        print(f"backend={container.engine.dialect.name} chats={chats} latency={latency * 1000:.0f} ms "
              f"concurrency={settings.send_concurrency} (urgent reserved {settings.urgent_reserved}) "
              f"double={'own process' if double_process else 'in process'}"
              f"{', stamped as the kernel received' if kernel_stamps else ''}")
        if n_incidents:
            await _incidents(container, double, escalator, n_incidents)

        # 1. Idle alerts.
        idle: list[float] = []
        for n in range(20):
            who = alert_people[n % len(alert_people)]
            committed = _alert(container, who, f"idle-{n}")
            await _wait(lambda n=n: _arrived(double, f"Alert idle-{n}") is not None, 10)
            idle.append((_arrived(double, f"Alert idle-{n}") or float("nan")) - committed)
            await asyncio.sleep(1.1)  # the next alert's chat may be the same: its gap is not the point here
        print(f"alert, idle queue:        p50 {_pct(idle, .5):.3f} s  p99 {_pct(idle, .99):.3f} s   (goal ≤ 2 s)")

        # 2. Bulk to distinct chats, alerts during it.
        before_refusals, before = double.flood_refusals, len(double.sent)
        HELD.clear()
        in_flight: list[int] = []
        began = _bulk(container, bulk_people, "w1")
        during: list[float] = []
        pending: list[tuple[str, float]] = []
        n = 0
        while len(double.sent) - before < chats + len(pending) and time.monotonic() - began < 3600:
            if bulk_alerts and len(double.sent) - before < chats * 0.9:
                key = f"bulk-{n}"
                pending.append((key, _alert(container, alert_people[n % len(alert_people)], key)))
                n += 1
            in_flight.append(sender.in_flight)
            await asyncio.sleep(0.5)
        took = max(m.at for m in double.sent[before:]) - began
        for key, committed in pending:
            arrived = _arrived(double, f"Alert {key}")
            if arrived is not None:
                during.append(arrived - committed)
        bulk = [m for m in double.sent[before:] if (m.text or "").startswith("Weekly")]
        bulk_sent = len(bulk)
        late = [m.at - WRITTEN[str(m.chat_id)] for m in bulk if str(m.chat_id) in WRITTEN]
        ours = [BODY_SENT[c] - WRITTEN[c] for m in bulk if (c := str(m.chat_id)) in WRITTEN and c in BODY_SENT]
        arrivals = sorted(m.at for m in double.sent[before:])
        busiest = max((bisect.bisect_left(arrivals, t + 1.0) - i for i, t in enumerate(arrivals)), default=0)
        print(f"bulk to {chats} chats:     {bulk_sent / took:.1f} msg/s, {bulk_sent} sent, "
              f"{double.flood_refusals - before_refusals} × 429   (goal ≥ 28.5 msg/s, 0 × 429)")
        # The alerts sent meanwhile share the platform's 30/s: with one every 0.5 s the bulk alone
        # cannot go beyond about 27 msg/s, so the platform's whole rate is printed too.
        everything = sum(1 for m in double.sent[before:] if m.at <= began + took)
        print(f"  all messages during it (bulk and alerts): {everything / took:.1f} msg/s ({everything})")
        print(f"  counted as written → arrival: p50 {_pct(late, .5) * 1000:.1f} ms  p99 {_pct(late, .99) * 1000:.1f} ms"
              f"  max {max(late, default=float('nan')) * 1000:.1f} ms; most arrivals in one second: {busiest}")
        print(f"    of which counted → body written (this process): p50 {_pct(ours, .5) * 1000:.1f} ms  "
              f"p99 {_pct(ours, .99) * 1000:.1f} ms  max {max(ours, default=float('nan')) * 1000:.1f} ms")
        _refused_windows(double, before_refusals, WRITTEN)
        if trace:
            _trace_refusals(double, began)
        held = [h for h in HELD if h > 0.0005]
        print(f"  pacer: {len(held)} of {len(HELD)} calls held back by the overall count, {sum(held):.2f} s in all "
              f"(p99 {_pct(HELD, .99) * 1000:.0f} ms); sends in flight (every 0.5 s): "
              f"p50 {_pct([float(i) for i in in_flight], .5):.0f}, max {max(in_flight, default=0)}")
        print(f"alert during the bulk:    p50 {_pct(during, .5):.3f} s  p99 {_pct(during, .99):.3f} s  "
              f"({len(during)} alerts)   (goal ≤ 2 s)")

        # 3. Siblings: four messages each to 25 chats at once.
        before_refusals, before = double.flood_refusals, len(double.sent)
        for k in range(4):
            _bulk(container, bulk_people[:25], f"sib{k}")
        await _wait(lambda: len(double.sent) - before >= 100, 120)
        got = len(double.sent) - before
        print(f"siblings (4 × 25 chats):  {got} of 100 arrived, {double.flood_refusals - before_refusals} × 429"
              "   (goal: none lost, 0 × 429)")

        # 4. Killed mid-send: the task is cancelled with sends in flight, and a new sender starts at once.
        before = len(double.sent)
        _bulk(container, bulk_people[:300], "kill")
        await _wait(lambda: len(double.sent) - before >= 50, 60)
        task.cancel()  # no outcome recorded for what was in flight: as after kill -9
        await asyncio.gather(task, return_exceptions=True)
        for t in [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]:
            if "deliver" in repr(t.get_coro()):
                t.cancel()
        killed_at = time.monotonic()
        sender, task = start()
        def kill_rows() -> list[Any]:
            return [m for m in double.sent[before:] if (m.text or "").startswith("Weekly kill")]

        await _wait(lambda: len({m.chat_id for m in kill_rows()}) >= 300, 120)
        after = [m for m in kill_rows() if m.at > killed_at and m.text == "Weekly kill"]
        first = min((m.at for m in after), default=float("nan")) - killed_at
        marked = sum(1 for m in kill_rows() if m.text != "Weekly kill")
        repeats = len(kill_rows()) - 300
        print(f"killed mid-send:          first unattempted row {first:.2f} s after the restart; "
              f"{marked} sent again marked as a repeat (the sends in flight), {repeats} arrived twice   "
              "(goal ≤ 5 s, at most one repeat per row in flight)")
        sender.stop()
        escalator.stop()
        await asyncio.wait_for(asyncio.gather(task, escalator_task), 60)
    double.close()
    container.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=3000)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per Bot API call (default 0.2)")
    parser.add_argument("--database", help="PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--incidents", type=int, default=20, help="incidents reported (0: none)")
    parser.add_argument("--double-process", action=argparse.BooleanOptionalAction, default=True,
                        help="serve the Bot API double from a process of its own (default) or from threads of this one")
    parser.add_argument("--bulk-alerts", action=argparse.BooleanOptionalAction, default=True,
                        help="commit an alert every 0.5 s during the bulk (default); without: the bulk's rate alone")
    parser.add_argument("--trace", action="store_true",
                        help="print each 429 of the bulk: its second's arrivals as the double and the pacer saw them")
    parser.add_argument("--kernel-stamps", action=argparse.BooleanOptionalAction, default=True,
                        help="the double stamps a call when the kernel received it (default), as the platform "
                             "would, not when its process on this machine read it")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the incidents' fallbacks log every teacher without an account
    _stamp_writes()
    url = _database(args.database)
    prepare_database(url)
    started = time.perf_counter()
    asyncio.run(_run(url, args.chats, args.latency, args.incidents, args.double_process, args.bulk_alerts,
                     args.trace, args.kernel_stamps))
    print(f"total {timedelta(seconds=round(time.perf_counter() - started))}")


if __name__ == "__main__":
    main()
