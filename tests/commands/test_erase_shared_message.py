"""Erasing one of two children a family message is about (conv6u, DESIGN.md "Privacy").

李雪 writes ``两个孩子都感冒了`` about 刘婷婷 and 刘帅 in the demo; 张老师 answers. Then the admin erases one
child with ``guanai erase``. The words cannot be split by child: they are emptied (an erasure never leaves
words that may describe the erased child). The sibling's link stays, so the sibling's record keeps that the
family wrote that day; a message filed under the erased child is filed under the sibling.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Child, FamilyMessage, FamilyMessageChild, OutboxMessage
from bot.store.uow import UnitOfWorkFactory
from tests.support.demo import run_demo

WEEKDAY = "2026-12-02 10:00"
SAID = "两个孩子都感冒了"


def _state(url: str) -> tuple[dict[str, int], list[tuple[str, str | None, str | None, set[str]]], list[str]]:
    """Children by name; each family message as (kind, words, filed under, linked children); the outbox texts."""
    engine = make_engine(url)
    with UnitOfWorkFactory(make_session_factory(engine))() as uow:
        s = uow.session
        names = {c.id: c.name for c in s.scalars(select(Child))}
        rows = []
        for m in s.scalars(select(FamilyMessage).order_by(FamilyMessage.id)):
            linked = {names[i] for i in s.scalars(select(FamilyMessageChild.child_id)
                                                 .where(FamilyMessageChild.message_id == m.id))}
            rows.append((m.kind, m.body, names.get(m.child_id or 0), linked))
        sent = [repr(o.payload) for o in s.scalars(select(OutboxMessage))]
        ids = {name: i for i, name in names.items()}
    engine.dispose()
    return ids, rows, sent


@pytest.mark.parametrize(("erased", "sibling"), [("刘帅", "刘婷婷"), ("刘婷婷", "刘帅")])
def test_erasing_one_child_empties_the_shared_words_and_keeps_the_siblings_link(monkeypatch, tmp_path,
                                                                                 sample_roster, erased, sibling):
    script = f":as 李雪\n{SAID}\n:as 张老师\n/due\n1\n知道了\n/quit\n"
    run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    url = f"sqlite:///{tmp_path / 'guanai-demo.db'}"
    _ids, before, _sent = _state(url)
    assert [(k, b, f, linked) for k, b, f, linked in before] == [
        ("message", SAID, "刘婷婷", {"刘婷婷", "刘帅"}), ("answer", "知道了", "刘婷婷", {"刘婷婷", "刘帅"})]

    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    assert main(["erase", erased, "--yes"]) == 0

    _ids, after, sent = _state(url)
    # Emptied and closed, filed under (and linked to) the sibling only.
    assert after == [("erased", None, sibling, {sibling}), ("erased", None, sibling, {sibling})]
    assert not [text for text in sent if SAID in text]  # nor left in the copies sent
