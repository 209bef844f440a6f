"""``guanai consent``: the consent rate, the children still pending, a guardian's signed paper form."""

from __future__ import annotations

from sqlalchemy import delete, select

from bot.cli import main
from bot.domain.privacy import NOTICE_VERSION
from bot.store.models import Consent


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
