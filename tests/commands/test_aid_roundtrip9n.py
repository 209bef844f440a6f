"""The aid ledger ``guanai export 资助`` writes goes back in with ``guanai aid import`` (issue 9, new-user trial).

A clerk exported the ledger, kept it as the school's file and imported it
again: "aid.xlsx中没有资助台账格式的工作表". Export and import now share one
layout; the same ledger comes back, and importing it again (or over the aid
recorded in chat) adds nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import delete, select

from bot.cli import main
from bot.domain.clock import SystemClock
from bot.domain.enums import AidKind
from bot.services import aid
from bot.store.db import make_engine, make_session_factory
from bot.store.models import AidRecord, Child
from bot.store.uow import UnitOfWorkFactory

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _ledger(url: str) -> list[tuple]:
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        rows = s.execute(select(Child.name, AidRecord.given_on, AidRecord.kind, AidRecord.amount, AidRecord.items,
                                AidRecord.source, AidRecord.given_by)
                         .join(Child, Child.id == AidRecord.child_id)
                         .order_by(Child.name, AidRecord.given_on, AidRecord.kind)).all()
    engine.dispose()
    return [tuple(r) for r in rows]


@pytest.fixture
def school(monkeypatch, tmp_path, sample_roster, capsys):
    url = f"sqlite:///{tmp_path / 'aid.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setattr(SystemClock, "now", lambda self: NOW)
    assert main(["import", str(sample_roster)]) == 0
    sheet = tmp_path / "资助台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "资助台账"
    ws.append(["学籍号", "姓名", "班级", "日期", "类别", "金额", "物品", "来源", "发放人"])
    ws.append([None, "朱瑞明", "一年级（1）班", date(2026, 11, 25), "学习用品", None, "书包一个", "爱心企业", "王老师"])
    ws.append(["G2020356204842", "杨秀云", None, date(2026, 10, 8), "助学金", 500, None, "县教育局", "王校长"])
    ws.append([None, "杨秀云", "一年级（1）班", date(2026, 11, 2), "其他", 88.5, None, None, None])
    wb.save(sheet)
    assert main(["aid", "import", str(sheet)]) == 0
    engine = make_engine(url)
    with UnitOfWorkFactory(make_session_factory(engine))() as uow:  # aid recorded in chat: no import key
        child = uow.session.scalar(select(Child.id).where(Child.name == "胥龙"))
        aid.record(uow, None, child_id=child, given_on=date(2026, 11, 30), kind=AidKind.FEE_WAIVER, amount=None,
                   items="午餐费", source="县教育局", given_by="王老师", now=NOW)
        uow.commit()
    engine.dispose()
    capsys.readouterr()
    return url


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_the_exported_ledger_imports_again_as_the_same_ledger(school, tmp_path, capsys, monkeypatch, lang) -> None:
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", lang)
    before = _ledger(school)
    assert len(before) == 4
    exported = tmp_path / "aid.xlsx"
    assert main(["export", "资助", "学年", "--out", str(exported)]) == 0
    capsys.readouterr()
    # Over the ledger it came from: every row is already there, the chat's record too — nothing twice.
    assert main(["aid", "import", str(exported)]) == 0
    out = capsys.readouterr().out
    assert ("资助记录：新增0条，已有4条" if lang == "zh_Hans" else "Aid records: 0 added, 4 already there") in out, out
    assert _ledger(school) == before
    # Into a school whose ledger was lost: the same ledger comes back, and once only.
    engine = make_engine(school)
    with make_session_factory(engine)() as s:
        s.execute(delete(AidRecord))
        s.commit()
    engine.dispose()
    assert main(["aid", "import", str(exported)]) == 0
    assert main(["aid", "import", str(exported)]) == 0
    assert _ledger(school) == before
