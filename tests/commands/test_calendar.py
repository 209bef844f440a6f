"""guanai year / guanai programme on the sample school, and the warning for a year without holiday data."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.cli import main
from bot.services import school_year
from bot.store.models import OutboxMessage
from tests.support.school import tiny_school


def test_year_and_programme_commands(monkeypatch, tmp_path, sample_roster, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'cal.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    assert main(["import", str(sample_roster)]) == 0
    capsys.readouterr()
    assert main(["year", "set", "--term", "2026-09-01~2027-01-22", "--term", "2027-02-24~2027-07-02"]) == 0
    out = capsys.readouterr().out
    assert "2026年9月1日 – 2027年1月22日" in out and "上课日" in out
    assert main(["year", "set", "--term", "2027-02-24~2027-01-02"]) == 1
    assert "结束日早于开始日" in capsys.readouterr().err
    items = tmp_path / "items.yaml"
    items.write_text("- code: letter_mid_autumn\n  offset: -10\n- code: 植树节\n  title: 植树活动\n"
                     "  anchor: date:03-12\n", encoding="utf-8")
    assert main(["programme", "import", str(items)]) == 0
    out = capsys.readouterr().out
    assert "已保存：2 项" in out and "植树活动" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("- code: x\n  anchor: festival:圣诞\n  title: t\n", encoding="utf-8")
    assert main(["programme", "import", str(bad)]) == 1
    assert "不是 anchor 的有效值" in capsys.readouterr().err
    assert main(["programme", "set", "lecture_safety", "active=no"]) == 0
    assert "lecture_safety：法制、安全与心理健康讲座 — 已停用" in capsys.readouterr().out
    assert main(["programme", "report"]) == 0


def test_a_year_without_holiday_data_warns_the_admins_once(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    from bot.domain.enums import Role
    from tests.support.school import SchoolBuilder

    with uow_factory() as uow:
        b = SchoolBuilder.__new__(SchoolBuilder)
        b.s, b._keys, b.school_id = uow.session, 100, ids.school
        admin = b.person("刘主任", Role.ADMIN)
        uow.commit()
    later = datetime(2099, 3, 2, 2, 0, tzinfo=UTC)
    for at in (later, later.replace(hour=5), later.replace(day=3)):
        with uow_factory() as uow:
            school_year.warn_missing_holiday_data(uow, now=at, timezone="Asia/Shanghai")
            uow.commit()
    with uow_factory() as uow:
        rows = uow.session.execute(select(OutboxMessage.person_id, OutboxMessage.payload)).all()
        assert [(p, d["params"]["year"]) for p, d in rows] == [(admin, "2099")]
        assert school_year.is_school_day(uow, ids.school, date(2099, 3, 2))  # weekdays, no crash
