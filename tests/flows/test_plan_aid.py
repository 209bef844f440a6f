"""/plan (方案) and /aid (资助) as the class teacher, a helper and a guardian type them; review reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, text

from bot.config import Settings
from bot.domain.enums import TaskKind
from bot.domain.privacy import AuditAction
from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.services import plans
from bot.store.models import AidRecord, AuditEntry, EducationPlan, EducationPlanReview, OutboxMessage, Task
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS

SETTINGS = Settings(database_url="sqlite://")


def _starting(chat: Chat, prefix: str) -> str:
    """The payload of the button whose label starts with ``prefix`` (namesakes carry their details)."""
    return next(payload for label, payload in chat.choices if label.startswith(prefix))


def _open_plan(li: Chat) -> None:
    li.send("方案 张三")
    assert "张三还没有个别教育管理方案。现在制定吗？" in li.text
    li.tap("制定方案")
    li.send("按时完成作业；\n每周和妈妈视频一次")
    li.send("班主任每周谈心一次\n帮扶教师辅导数学")
    assert "责任人是谁？" in li.text
    li.send("陈老师、王七")
    assert "本校没有找到名叫王七的同事。" in li.text
    li.send("陈老师、李老师")
    assert "第一次复查在什么时候？" in li.text
    li.send("13月40日")
    assert "请给出今天之后、一年之内的日期" in li.text
    li.send("12月15日")
    assert "张三的方案已制定；第一次复查在2026年12月15日" in li.text


def test_class_teacher_opens_a_plan_helper_adds_a_note_reviews_are_reminded(flows, school, uow_factory, clock):
    li = Chat(flows, ACCOUNTS["li"])
    _open_plan(li)
    with uow_factory() as uow:
        plan = uow.session.scalar(select(EducationPlan))
        assert plan.goals == ["按时完成作业", "每周和妈妈视频一次"]
        assert plan.measures == ["班主任每周谈心一次", "帮扶教师辅导数学"]
        assert plan.reason == "class_teacher"
    chen = Chat(flows, ACCOUNTS["chen"])
    chen.send("/plan 张三")
    chen.press(_starting(chen, "张三（三年级1班"))
    assert "张三的个别教育管理方案：" in chen.text and "责任人：陈老师、李老师" in chen.text
    assert [label for label, _ in chen.choices] == ["添加进展记录"]  # a helper does not review or close
    chen.tap("添加进展记录")
    chen.send("数学作业按时交了")
    assert "已记入张三的方案。" in chen.text
    grandpa = Chat(flows, ACCOUNTS["grandpa"])
    grandpa.send("/plan 张三")
    assert "没有找到您可以查看方案的、名叫张三的孩子。" in grandpa.text
    # The review day, 09:00 school time: a task and a message for each responsible person.
    review_day = datetime(2026, 12, 15, 1, 0, tzinfo=UTC)
    with uow_factory() as uow:
        assert plans.remind_reviews(uow, now=review_day - timedelta(days=1), settings=SETTINGS) == 0
        assert plans.remind_reviews(uow, now=review_day, settings=SETTINGS) == 2
        uow.commit()
        assert plans.remind_reviews(uow, now=review_day + timedelta(hours=1), settings=SETTINGS) == 0
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == school.chen))
        assert render(Prompt.from_dict(row.payload), "zh_Hans").text == (
            "张三的个别教育方案该复查了（2026年12月15日）：发送 /plan 张三。")
    clock.set(review_day + timedelta(hours=2))
    li.send("/plan 张三")
    assert "• " in li.text and "数学作业按时交了" in li.text
    li.tap("登记复查")
    li.send("作业情况好转，继续")
    assert "复查已登记。张三方案的下次复查在2027年1月14日。" in li.text
    with uow_factory() as uow:
        tasks = uow.session.scalars(select(Task).where(Task.kind == TaskKind.PLAN_REVIEW.value)).all()
        assert len(tasks) == 2 and all(t.done_at is not None for t in tasks)
        reviews = uow.session.scalars(select(EducationPlanReview).order_by(EducationPlanReview.due_on)).all()
        assert [(r.due_on, r.note) for r in reviews] == [(date(2026, 12, 15), "作业情况好转，继续"),
                                                         (date(2027, 1, 14), None)]
    li.send("/plan 张三")
    li.tap("结束方案")
    assert "张三的方案已结束。" in li.text


def test_aid_in_chat(flows, school, uow_factory):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("资助 张三")
    assert "张三的资助记录：" in li.text and "还没有资助记录。" in li.text
    li.tap("登记资助")
    li.tap("现金")
    li.send("￥500")
    li.send("县教育局")
    li.tap("今天")
    assert "发放人：李老师" in li.text and "资助已登记" not in li.text  # shown first (fix6ad)
    li.tap("保存")
    assert "资助已登记。" in li.text and "现金：¥500.00——来源：县教育局，发放人：李老师" in li.text
    li.tap("登记资助")
    li.tap("学习用品")
    li.send("书包一个、文具一套")
    li.tap("跳过")
    li.send("11月20日")
    li.tap("保存")
    assert "学习用品：书包一个、文具一套——来源：—" in li.text
    with uow_factory() as uow:
        rows = uow.session.scalars(select(AidRecord).order_by(AidRecord.id)).all()
        assert [(r.kind, r.amount, r.items, r.given_on) for r in rows] == [
            ("cash", Decimal("500.00"), None, date(2026, 11, 30)),
            ("stationery", None, "书包一个、文具一套", date(2026, 11, 20))]
    grandpa = Chat(flows, ACCOUNTS["grandpa"])
    grandpa.send("/aid 张三")  # his waiting alert is acknowledged by any reply, too
    assert grandpa.text.splitlines()[0] == "没有找到您可以查看资助记录的、名叫张三的孩子。"
    chen = Chat(flows, ACCOUNTS["chen"])  # a helper teacher sees no ledger
    chen.send("/aid 张三")
    chen.press(_starting(chen, "张三（三年级1班"))
    assert chen.text == "没有找到您可以查看资助记录的、名叫张三的孩子。"
    wang = Chat(flows, ACCOUNTS["wang"])  # the other class's teacher finds only his own 张三, without records
    wang.send("/aid 张三")
    assert "张三的资助记录：\n还没有资助记录。" in wang.text


def test_aid_given_by_someone_else_is_saved_in_the_ledgers_column(flows, school, uow_factory):
    """发放人 changed at the confirmation is what the ledger (aid.LEDGER_HEADER's 发放人) holds (fix6ad)."""
    li = Chat(flows, ACCOUNTS["li"])
    li.send("资助 张三")
    li.tap("登记资助")
    li.tap("物资")
    li.send("棉衣一件")
    li.tap("跳过")
    li.tap("今天")
    li.tap("改发放人")
    li.send("陈老师")
    assert "发放人：陈老师" in li.text
    with uow_factory() as uow:
        assert uow.session.scalar(select(AidRecord.id)) is None  # shown, not saved yet
    li.tap("保存")
    with uow_factory() as uow:
        row = uow.session.scalars(select(AidRecord)).one()
        assert (row.given_by, row.given_by_id, row.recorded_by_id) == ("陈老师", None, school.li)


def test_plans_and_aid_are_encrypted_at_rest_and_their_reads_audited(flows, school, uow_factory):
    li = Chat(flows, ACCOUNTS["li"])
    _open_plan(li)
    li.send("/plan 张三")
    li.tap("添加进展记录")
    li.send("孩子说想妈妈，夜里哭")
    li.send("资助 张三")
    li.tap(li.choices[0][0])  # Record aid given
    li.tap(li.choices[1][0])  # a kind with items
    li.send("棉衣一件")
    li.tap(li.choices[0][0])  # Skip the source
    li.tap(li.choices[0][0])  # Today
    li.tap(li.choices[0][0])  # Save
    with uow_factory() as uow:
        raw = uow.session.execute(text(
            "SELECT p.goals, n.text, a.items FROM education_plans p JOIN education_plan_notes n ON n.plan_id = p.id"
            " JOIN aid_records a ON a.child_id = p.child_id")).one()
        assert all("enc1:" in str(v) for v in raw)
        assert not any(word in str(raw) for word in ("作业", "想妈妈", "棉衣"))
        assert uow.session.scalar(select(AidRecord.items)) == "棉衣一件"
        actions = [a for a, in uow.session.execute(select(AuditEntry.action).where(
            AuditEntry.actor_id == school.li, AuditEntry.child_id == school.zhang_a).order_by(AuditEntry.id))]
    assert actions == [AuditAction.PLAN_RECORDED, AuditAction.VIEW_PLAN, AuditAction.PLAN_RECORDED,
                       AuditAction.VIEW_AID, AuditAction.AID_RECORDED, AuditAction.VIEW_AID]
