"""``guanai consent``: the consent rate, the children still pending, a guardian's signed paper form."""

from __future__ import annotations

import os

import openpyxl
import pytest
from sqlalchemy import delete, select

from bot.cli import main
from bot.domain.privacy import NOTICE_VERSION
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Consent
from bot.store.uow import UnitOfWorkFactory


def _pending(uows, *child_ids: int) -> None:
    with uows() as uow:
        uow.session.execute(delete(Consent).where(Consent.child_id.in_(child_ids)))
        uow.commit()


def test_the_rate_and_the_children_without_consent_per_school(cli_db, capsys) -> None:
    uows, t = cli_db
    _pending(uows, t.zs_b, t.wang)
    assert main(["consent", "--pending"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "测试小学：4名儿童中2名已同意（50%）；尚未答复2，不同意0，已撤回0。"
    assert out[1:3] == [f"  #{t.wang} 王 五（三年级1班），学籍号S4：尚未答复",
                        f"  #{t.zs_b} 张三（三年级2班），学籍号S2：尚未答复"]


def test_a_paper_form_is_recorded_with_signer_time_notice_version_and_scope(cli_db, capsys) -> None:
    uows, t = cli_db
    _pending(uows, t.zs_b)
    # Two children are called 张三: the student number picks one.
    assert main(["consent", "张三", "--agree"]) == 1
    assert "S2" in capsys.readouterr().err
    # Only a guardian or parent of the child on the roster can have signed.
    assert main(["consent", "S2", "--agree", "--guardian", "张爷爷"]) == 1
    assert "不是张三的监护人或家长" in capsys.readouterr().err
    assert main(["consent", "S2", "--agree", "--guardian", "13912347777"]) == 0
    assert capsys.readouterr().out.strip() == f"已记录张三（三年级2班）：同意（纸质同意书，告知版本{NOTICE_VERSION}）。"
    with uows() as uow:
        (row,) = uow.session.scalars(select(Consent).where(Consent.child_id == t.zs_b)).all()
        assert (row.decision, row.person_id, row.channel, row.notice_version) == (
            "granted", t.guardian_b, "paper", NOTICE_VERSION)
        assert row.scope == ["care_records", "family_messages"] and row.at is not None
    assert main(["consent", "不存在", "--decline"]) == 1


@pytest.mark.usefixtures("empty_url")
def test_the_roster_consent_column_records_paper_forms_and_the_import_prints_the_rate(
    sample_roster, tmp_path, capsys
) -> None:
    wb = openpyxl.load_workbook(sample_roster)
    ws = wb["留守儿童花名册"]
    children = ws.max_row - 1
    column = ws.max_column + 1
    ws.cell(1, column).value = "监护人同意"
    for row, value in ((2, "是"), (3, "是"), (4, "否")):
        ws.cell(row, column).value = value
    path = tmp_path / "with-consent.xlsx"
    wb.save(path)

    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"已记录监护人同意的儿童：{children}名中2名（2%）。监护人同意之前，该儿童不会收到每周联系" in out
    engine = make_engine(os.environ["GUANAI_DATABASE_URL"])
    with UnitOfWorkFactory(make_session_factory(engine))() as uow:
        rows = uow.session.scalars(select(Consent).order_by(Consent.id)).all()
        assert [(r.decision, r.channel) for r in rows] == [("granted", "roster")] * 2
    engine.dispose()
    assert main(["import", str(path)]) == 0  # again: nothing recorded twice
    assert f"已记录监护人同意的儿童：{children}名中2名（2%）" in capsys.readouterr().out
