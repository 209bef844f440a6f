"""guanai aid import: an aid ledger into the sample school; a bad row rejects the file; re-importing adds nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import openpyxl
from sqlalchemy import func, select

from bot.cli import main
from bot.store.db import make_engine, make_session_factory
from bot.store.models import AidRecord, Child


def _ledger(path, rows) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "资助台账"
    ws.append(["2026年秋季学期资助台账"])  # a title row above the header
    ws.append(["学籍号", "姓名", "班级", "日期", "类别", "金额", "物品", "来源", "发放人"])
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_aid_import(monkeypatch, tmp_path, sample_roster, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'aid.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    assert main(["import", str(sample_roster)]) == 0
    good = [
        ["G2020356204842", "杨秀云", "一年级（1）班", date(2026, 9, 10), "助学金", 500, None, "县教育局", "王校长"],
        [None, "朱瑞明", "一年级（1）班", "2026.10.8", "学习用品", None, "书包一个", "爱心企业", "王老师"],
    ]
    bad = [*good, ["G0000", "无名", None, "2026-10-01", "现金", "五百", None, None, None]]
    ledger = tmp_path / "资助台账.xlsx"
    _ledger(ledger, bad)
    capsys.readouterr()
    assert main(["aid", "import", str(ledger)]) == 1
    err = capsys.readouterr().err
    assert "资助台账，第5行：没有学籍号为G0000的儿童" in err and "未写入任何内容" in err
    _ledger(ledger, good)
    assert main(["aid", "import", str(ledger)]) == 0
    assert "资助记录：新增2条，已有0条，拒绝0行。" in capsys.readouterr().out
    assert main(["aid", "import", str(ledger)]) == 0
    assert "新增0条，已有2条" in capsys.readouterr().out
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        rows = s.execute(select(Child.name, AidRecord.kind, AidRecord.amount, AidRecord.items, AidRecord.given_by)
                         .join(Child, Child.id == AidRecord.child_id).order_by(AidRecord.id)).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("杨秀云", "cash", Decimal("500.00"), None, "王校长"),
                                        ("朱瑞明", "stationery", None, "书包一个", "王老师")]
    assert main(["aid", "import", str(tmp_path / "none.xlsx")]) == 2


def test_import_apply_removals_asks_first(monkeypatch, tmp_path, sample_roster, capsys) -> None:
    import io

    url = f"sqlite:///{tmp_path / 'rm.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    assert main(["import", str(sample_roster)]) == 0
    assert "结对情况：43名儿童没有学习伙伴。" in capsys.readouterr().out
    wb = openpyxl.load_workbook(sample_roster)
    wb["留守儿童花名册"].delete_rows(2)  # 杨秀云
    path = tmp_path / "new.xlsx"
    wb.save(path)
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "文件中没有：儿童杨秀云（一年级（1）班）" in out and "未做任何删除" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert main(["import", str(path), "--apply-removals"]) == 0
    assert "已处理" not in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    assert main(["import", str(path), "--apply-removals"]) == 0
    assert "已处理：1名儿童已离校（保留历史记录），0名教职工已离开" in capsys.readouterr().out
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        assert s.scalar(select(Child.active).where(Child.name == "杨秀云")) is False
    engine.dispose()


def test_only_a_huamingce_into_a_new_database_by_naming_the_school(monkeypatch, tmp_path, sample_roster,
                                                                    capsys) -> None:
    import csv

    wb = openpyxl.load_workbook(sample_roster, read_only=True)  # read-only keeps the file open: closed below
    path = tmp_path / "花名册.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for row in wb["留守儿童花名册"].iter_rows(values_only=True):
            writer.writerow(["" if v is None else (v.date().isoformat() if hasattr(v, "date") else v) for v in row])
    wb.close()
    url = f"sqlite:///{tmp_path / 'only.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    assert main(["import", str(path)]) == 2  # no school sheet, no school in the database, none named
    assert "学校" in capsys.readouterr().out
    assert main(["import", str(path), "--school", "示例县清溪镇中心小学"]) == 0
    out = capsys.readouterr().out
    assert "警告" in out and "已导入，但不含这项结对" in out  # no staff sheet: the pairings are warnings
    monkeypatch.setenv("GUANAI_SCHOOL_NAME", "示例县清溪镇中心小学")
    assert main(["import", str(path)]) == 0  # again, from the settings: updates in place
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        from sqlalchemy import func

        from bot.store.models import School, SchoolClass

        assert s.scalar(select(func.count()).select_from(Child)) == 122
        assert s.scalar(select(func.count()).select_from(SchoolClass)) == 18
        assert s.scalars(select(School.name)).all() == ["示例县清溪镇中心小学"]
    engine.dispose()


def test_invites_in_bulk_for_a_class(monkeypatch, tmp_path, sample_roster, capsys) -> None:
    from bot.store import crypto
    from bot.store.models import ChatAccount, Invite, Person

    url = f"sqlite:///{tmp_path / 'inv.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setenv("GUANAI_TELEGRAM_BOT_USERNAME", "guanai_test_bot")
    assert main(["import", str(sample_roster)]) == 0
    engine = make_engine(url)
    with make_session_factory(engine)() as s:  # 张强 has joined already
        zhang = s.scalar(select(Person).where(Person.name == "张强",
            Person.phone_index == crypto.phone_index("+8613800136956")))
        s.add(ChatAccount(person_id=zhang.id, channel="telegram", account_id="9", bound_at=datetime(2026, 11, 1,
                                                                                                   tzinfo=UTC)))
        s.commit()
    capsys.readouterr()
    assert main(["invite", "--class", "一年级（1）班", "--role", "guardian", "--pending"]) == 0
    out = capsys.readouterr().out
    assert "一年级（1）班：" in out and "未加入：张强" not in out
    pending = out.count("未加入：")
    assert pending >= 1
    sheet = tmp_path / "邀请.xlsx"
    assert main(["invite", "--class", "一年级（1）班", "--role", "guardian", "--sheet", str(sheet)]) == 0
    ws = openpyxl.load_workbook(sheet)["邀请码"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == pending and len(ws._images) == pending
    assert all(r[5].startswith("https://t.me/guanai_test_bot?start=") and r[4] in r[5] for r in rows)
    # 有效期至 is a date cell the clerk can sort by, shown as a date (issue 9), in the school's time
    assert all(isinstance(r[6], datetime) and r[6].year >= 2026 for r in rows), rows
    assert all(ws.cell(row, 7).number_format == "yyyy-mm-dd hh:mm" for row in range(3, 3 + pending))
    assert "张强" not in [r[0] for r in rows]
    with make_session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Invite)) == pending
    engine.dispose()
    assert main(["invite", "--class", "九年级（9）班"]) == 1


def test_aid_import_refuses_a_child_who_left(monkeypatch, tmp_path, sample_roster, capsys) -> None:
    """杨秀云 left on 20 November: rows dated after that are named with the day; aid given before it is hers."""
    from bot.domain.clock import SystemClock
    from tests.support.demo import LEFT_ON

    url = f"sqlite:///{tmp_path / 'left.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    assert main(["import", str(sample_roster)]) == 0
    book = openpyxl.load_workbook(sample_roster)
    book["留守儿童花名册"].delete_rows(2)  # 杨秀云
    book.save(tmp_path / "without.xlsx")
    monkeypatch.setattr(SystemClock, "now", lambda self: LEFT_ON)
    assert main(["import", str(tmp_path / "without.xlsx"), "--apply-removals", "--yes"]) == 0
    monkeypatch.setattr(SystemClock, "now", lambda self: LEFT_ON + timedelta(days=14))
    rows = [
        [None, "朱瑞明", "一年级（1）班", "2026.11.25", "学习用品", None, "书包一个", "爱心企业", "王老师"],
        ["G2020356204842", None, None, date(2026, 11, 26), "助学金", 500, None, "县教育局", "王校长"],
        [None, "杨秀云", "一年级（1）班", date(2026, 11, 27), "现金", 200, None, None, None],
        [None, "杨秀云", "一年级（1）班", date(2026, 11, 20), "现金", 100, None, None, None],  # her last day
        [None, "杨秀云", "一年级（1）班", date(2026, 11, 2), "现金", 100, None, None, None],
    ]
    ledger = tmp_path / "资助台账.xlsx"
    _ledger(ledger, rows)
    capsys.readouterr()
    assert main(["aid", "import", str(ledger)]) == 1
    err = capsys.readouterr().err
    assert "资助台账，第4行：杨秀云已于2026年11月20日离校，不能登记离校之后的资助" in err, err
    assert "资助台账，第5行：杨秀云已于2026年11月20日离校" in err and "未写入任何内容" in err
    assert "第6行" not in err and "第7行" not in err and "第3行" not in err, err
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    assert main(["aid", "import", str(ledger)]) == 1
    err = capsys.readouterr().err
    assert ("资助台账, row 4: 杨秀云 left the school on November 20, 2026: no aid given after that can be recorded"
            in err), err
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        assert s.scalar(select(func.count(AidRecord.id))) == 0
    engine.dispose()
    _ledger(ledger, [rows[0], *rows[3:]])
    assert main(["aid", "import", str(ledger)]) == 0
    with make_session_factory(engine)() as s:
        given = s.execute(select(Child.name, AidRecord.given_on).join(Child, Child.id == AidRecord.child_id)
                          .order_by(AidRecord.given_on)).all()
    engine.dispose()
    assert [tuple(g) for g in given] == [("杨秀云", date(2026, 11, 2)), ("杨秀云", date(2026, 11, 20)),
                                         ("朱瑞明", date(2026, 11, 25))]


def test_aid_import_by_name_goes_to_the_namesake_at_school(monkeypatch, tmp_path, sample_roster, capsys) -> None:
    """杨秀云 left; another 杨秀云 (朱瑞明 renamed) is at school in the class: a row by name is hers, not ambiguous."""
    from bot.domain.clock import SystemClock
    from tests.support.demo import LEFT_ON

    url = f"sqlite:///{tmp_path / 'namesake.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    assert main(["import", str(sample_roster)]) == 0
    book = openpyxl.load_workbook(sample_roster)
    book["留守儿童花名册"]["B3"] = "杨秀云"  # 朱瑞明, 学籍号 G2020867228486, now called 杨秀云 too
    book["留守儿童花名册"].delete_rows(2)  # the first 杨秀云 leaves
    book.save(tmp_path / "renamed.xlsx")
    monkeypatch.setattr(SystemClock, "now", lambda self: LEFT_ON)
    assert main(["import", str(tmp_path / "renamed.xlsx"), "--apply-removals", "--yes"]) == 0
    ledger = tmp_path / "资助台账.xlsx"
    _ledger(ledger, [[None, "杨秀云", "一年级（1）班", date(2026, 11, 20), "现金", 200, None, None, None]])
    capsys.readouterr()
    assert main(["aid", "import", str(ledger)]) == 0, capsys.readouterr().err
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        assert s.scalars(select(Child.student_no).join(AidRecord, AidRecord.child_id == Child.id)).all() == [
            "G2020867228486"]
    engine.dispose()
