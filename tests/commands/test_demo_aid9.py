"""Aid (资助) as the class teacher, the principal and the official act (issue 9, the aid items).

The class teacher records aid in chat (a bare ``500`` at the amount prompt is 500 yuan, a number anywhere
else is no answer); the principal's and the official's figures show the roster's 救助帮扶 column and the
aid recorded in the bot side by side; ``/export 资助`` is the aid ledger for the school's staff.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.commands.test_report import county_db  # noqa: F401 — the fixture
from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
# 王老师 records 500 yuan cash for 杨秀云 with a grandfather's message waiting for her answer in the same chat.
RECORD = ":as #43\n孩子发烧两天了\n:as 王老师\n资助 杨秀云\n1\n1\n"


def test_a_bare_number_is_the_amount_at_the_amount_prompt_only(monkeypatch, tmp_path, sample_roster):
    script = RECORD + "500\n500\n县教育局\n500\n1\n保存\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert after(out, "1", nth=2).startswith("金额（元，例如500）：")
    assert after(out, "500", nth=1).startswith("资助来源（例如：县教育局、爱心企业）？\n1. 跳过")  # 500 yuan taken
    # At the source question 500 is neither its choice 1 (Skip) nor a source.
    assert after(out, "500", nth=2).startswith("请直接输入要写的文字。如果要选“跳过”，请回复 1。\n\n资助来源")
    # At the date question 500 is no date and not "Today".
    assert after(out, "500", nth=3).startswith("请回复 1，或直接回复答案的文字。\n\n什么时候发放的？")
    assert "• 2026年12月4日 现金：¥500.00——来源：县教育局，发放人：王老师" in out
    assert out.count("资助已登记。") == 1


def test_cash_needs_an_amount_and_a_kind_out_of_range_is_asked_again(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n资助 杨秀云\n1\n7\n1\n助学金\n300元\n1\n11月20日\n保存\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert after(out, "7").startswith("请回复 1 到 6 之间的数字。\n\n杨秀云得到的是哪类资助？")
    assert after(out, "助学金").startswith("现金资助请填写金额（元），例如500。\n\n金额（元，例如500）：")
    assert "• 2026年11月20日 现金：¥300.00——来源：—，发放人：王老师" in out


def test_goods_take_an_amount_or_the_items_in_english(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n/aid 杨秀云\n1\n2\n200\n1\n1\n1\n/aid 杨秀云\n1\n3\nschool bag\n1\n1\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert "The amount in yuan (e.g. 500), or the items given" in out
    assert "• December 4, 2026 goods: ¥200.00 — from —, given by 王老师" in out
    assert "stationery: school bag" in out


# 王老师 records cash for 杨秀云 (500) and 丁倩 (300.5), and a school bag for 李涛; the grandfather's message waits.
THREE = (RECORD + "500\n县教育局\n1\n1\n资助 丁倩\n1\n1\n300.5\n1\n1\n1\n"
         "资助 李涛\n1\n3\n书包一个\n爱心企业\n12月1日\n1\n")
MORE = "".join(f"资助 {name}\n1\n1\n100\n1\n1\n1\n" for name in ("朱瑞明", "杨婷", "胥龙"))


def _book(tmp_path, name: str):
    import openpyxl

    [path] = (tmp_path / "guanai-files").glob(f"*{name}*.xlsx")
    return openpyxl.load_workbook(path)


def test_the_principal_sees_both_aid_figures_and_exports_the_ledger(monkeypatch, tmp_path, sample_roster):
    script = THREE + ":as 王校长\n/report\n/export\n7\n/export 统计\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    assert "• 花名册登记救助帮扶：71名儿童；本期资助记录：3名儿童，现金合计800.50元" in after(out, "/report")
    assert "7. 资助 — 资助台账：每笔资助一行，含儿童、日期和金额（可加 学期 或 学年）" in after(out, "/export")
    assert after(out, "7").startswith("这是“示例县清溪镇中心小学-资助台账-2026年12月-导出2026-12-04.xlsx”。")
    ledger = _book(tmp_path, "资助台账")
    rows = list(ledger.worksheets[0].iter_rows(values_only=True))
    assert ledger.worksheets[0].title == "资助台账 2026-12"
    # The columns guanai aid import reads (issue 9): the exported ledger goes back in unchanged.
    assert rows[0] == ("学籍号", "姓名", "班级", "日期", "类别", "金额（元）", "物品", "来源", "发放人")
    assert all(r[0] for r in rows[1:])  # each child's 学籍号: a namesake is never a question
    assert [(r[1], r[2], r[3].date().isoformat(), r[4], r[5], r[6], r[7], r[8]) for r in rows[1:]] == [
        ("丁倩", "一年级（1）班", "2026-12-04", "现金", 300.5, None, None, "王老师"),
        ("李涛", "一年级（1）班", "2026-12-01", "学习用品", None, "书包一个", "爱心企业", "王老师"),
        ("杨秀云", "一年级（1）班", "2026-12-04", "现金", 500, None, "县教育局", "王老师")]
    figures = list(_book(tmp_path, "统计数据").worksheets[0].iter_rows(values_only=True))
    at = figures[0].index("花名册登记救助帮扶")
    assert figures[0][at:at + 3] == ("花名册登记救助帮扶", "本期资助儿童（资助记录）", "本期现金资助合计（元）")
    school = next(r for r in figures if r[0] == "示例县清溪镇中心小学")  # the notes follow the table (fix9y)
    assert school[at:at + 3] == (71, 3, 800.5)  # the school's row


def test_a_month_without_aid_gives_no_empty_ledger(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/export 资助\n/report\n/quit\n", AT)
    assert after(out, "/export 资助").startswith("这段时间没有资助记录，资助台账会是空的。")
    assert "• 花名册登记救助帮扶：71名儿童；本期资助记录：0名儿童，现金合计0元" in out
    assert not (tmp_path / "guanai-files").exists() or not list((tmp_path / "guanai-files").glob("*资助*"))


def test_the_official_sees_under_five_without_a_sum_and_may_not_export_the_ledger(monkeypatch, tmp_path,
                                                                                 sample_roster):
    script = THREE + ":as 镇教育办张科长\n/report\n/export 资助\n/export 统计\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    shown = after(out, "/report")
    assert "• 花名册登记救助帮扶：71名儿童；本期资助记录：<5名儿童\n" in shown and "现金合计" not in shown
    refused = after(out, "/export 资助")
    assert refused.startswith("只有学校领导和管理员可以导出资助台账，因为其中有每个孩子的姓名和信息。"
                              "您可以导出不含任何孩子姓名的汇总数据")  # as for the other record exports (exp9)
    assert "1. 统计表" in refused and "资助 —" not in refused
    figures = list(_book(tmp_path, "统计数据").worksheets[0].iter_rows(values_only=True))
    at = figures[0].index("花名册登记救助帮扶")
    county_row = next(r for r in figures if r[1] == "县")  # the last of the table; the notes on <5 follow
    assert county_row[at:at + 3] == (71, "<5", None)
    assert not list((tmp_path / "guanai-files").glob("*资助*"))


def test_the_official_sees_five_children_and_the_sum_once_five_were_given_cash(monkeypatch, tmp_path,
                                                                              sample_roster):
    five = THREE + MORE.rsplit("资助 ", 1)[0]  # 5 children aided, 4 of them with cash: the sum is about 4
    out = run_demo(monkeypatch, tmp_path, sample_roster, five + ":as 镇教育办张科长\n/report\n/quit\n", AT)
    assert "• 花名册登记救助帮扶：71名儿童；本期资助记录：5名儿童\n" in after(out, "/report")
    six = THREE + MORE  # 6 children aided, 5 with cash
    out = run_demo(monkeypatch, tmp_path, sample_roster, six + ":as 镇教育办张科长\n/report\n/quit\n", AT)
    assert "• 花名册登记救助帮扶：71名儿童；本期资助记录：6名儿童，现金合计1100.50元" in after(out, "/report")


def test_the_class_teacher_may_not_export_the_ledger(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, THREE + "/export 资助\n/quit\n", AT)
    assert after(out, "/export 资助").startswith(
        "导出只提供给学校领导和管理员；教育主管部门和镇政府可以导出统计数据和留守儿童统计表。")


def test_in_english_the_principal_and_the_official(monkeypatch, tmp_path, sample_roster):
    script = (":as 王老师\n/aid 杨秀云\n1\n1\n500\n1\n1\n1\n:as 王校长\n/report\n/export aid\n"
              ":as 镇教育办张科长\n/report\n/export aid\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--lang", "en")
    assert ("• Aid in the roster (救助帮扶): 71 children; aid recorded this period: 1 child, cash 500 yuan in all"
            in after(out, "/report", nth=1))
    assert ("• Aid in the roster (救助帮扶): 71 children; aid recorded this period: <5 children\n"
            in after(out, "/report", nth=2))
    assert after(out, "/export aid", nth=1).startswith(
        "Here is “示例县清溪镇中心小学-资助台账-2026年12月-导出2026-12-04.xlsx”.")
    assert after(out, "/export aid", nth=2).startswith(
        "Only the school's leaders and admins may export the aid ledger (资助台账), because the file names each child.")
    rows = list(_book(tmp_path, "资助台账").worksheets[0].iter_rows(values_only=True))
    assert rows == [("学籍号", "姓名", "班级", "日期", "类别", "金额（元）", "物品", "来源", "发放人"),
                    ("G2020356204842", "杨秀云", "一年级（1）班", rows[1][3], "cash", 500, None, None, "王老师")]


def test_guanai_export_aid_writes_the_ledger_and_audits_the_children_it_names(county_db, capsys, tmp_path):  # noqa: F811
    from datetime import date

    import openpyxl
    from sqlalchemy import select

    from bot.cli import main
    from bot.domain.enums import AidKind
    from bot.services import aid
    from bot.store.db import make_engine, make_session_factory
    from bot.store.models import AuditEntry
    from bot.store.uow import UnitOfWorkFactory

    out = tmp_path / "ledger.xlsx"
    assert main(["export", "资助", "--school", "清溪小学", "--out", str(out)]) == 1
    assert "这段时间没有资助记录，资助台账会是空的。" in capsys.readouterr().err and not out.exists()
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    uows = UnitOfWorkFactory(make_session_factory(engine))
    with uows() as uow:
        aid.record(uow, None, child_id=county_db.xiaoer, given_on=date(2026, 11, 3), kind=AidKind.GOODS, amount=None,
                   items="棉衣一件", source=None, given_by="周校长", now=datetime(2026, 11, 3, tzinfo=UTC))
        uow.commit()
    assert main(["export", "aid", "--school", "清溪小学", "--out", str(out)]) == 0
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["小二"] and rows[1][6] == "棉衣一件"
    with uows() as uow:
        audited = uow.session.scalars(select(AuditEntry.child_id).where(AuditEntry.action == "export")).all()
    engine.dispose()
    assert audited == [county_db.xiaoer]  # the child the ledger names, not the whole school
