"""Issue 9's trial on main (fig9d): /tasks past nine, an emergency left unconfirmed, the chain's one task, missed."""

from __future__ import annotations

from tests.support.demo import after as _after
from tests.support.demo import run_demo as _demo


def test_a_teacher_with_thirteen_tasks_reaches_all_of_them_page_by_page(monkeypatch, tmp_path, sample_roster):
    script = ":as 王校长\n:wait 13d\n:as 卢老师\n/tasks\n9\n/tasks 李玉梅\n/quit\n"
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:58")
    first = _after(out, "/tasks")
    assert first.startswith("您的未完成任务（13项，其中逾期13项）：\n• 【逾期】杨婷：")
    assert "以上是第1–8项，共13项（逾期的在前）。\n" in first
    assert first.count("\n• 【逾期】") == 8  # this page's eight lines, not thirteen
    assert "也可以发送 /tasks 加孩子姓名，只看这个孩子的任务，例如 /tasks " in first
    assert " 8. 张倩：" in first and first.rstrip().endswith(" 9. 更多任务（还有5项）")
    second = _after(out, "9")
    assert "以上是第9–13项，共13项（逾期的在前）。" in second
    assert "\n1. 赵亮丽：" in second and " 5. 李玉梅：" in second and "更多" not in second
    one = _after(out, "/tasks 李玉梅")
    assert one.startswith("关于李玉梅的未完成任务（1项，其中逾期1项）：\n• 【逾期】李玉梅：")
    assert "\n1. 李玉梅：" in one and " 2. " not in one


def test_the_chain_is_called_one_thing_in_chinese():
    """联系链 everywhere (a task's label said 联络链, its notices 联系链)."""
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "locales" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert "联络链" not in text and text.count("联系链") >= 9
    assert 'msgstr "突发事件：联系链上无人回应"' in text


def test_an_emergency_left_at_the_confirm_step_is_not_silently_dropped(monkeypatch, tmp_path, sample_roster):
    script = (":as 王老师\n报告 杨秀云\n1\n1\n孩子从楼梯摔下，头部流血\n:wait 2m\n:wait 2m\n:wait 15m\n"
              ":as 王校长\n:as 王老师\n1\n/quit\n")
    out = _demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:58")
    assert "1. 立即报告 2. 排除某人 3. 取消" in _after(out, "孩子从楼梯摔下，头部流血")
    waits = out.split("> :wait 2m\n")
    assert "还没有发出" not in waits[1]  # two minutes: not yet
    assert ("[→ 王老师（班主任）]\n您关于杨秀云（一年级（1）班）的紧急报告（受伤）还没有发出：目前还没有通知任何人。"
            "请在上面的问题中选择“立即报告”发出，或直接打电话给学校领导。") in waits[2]
    principal = _after(out, ":as 王校长")
    assert ("王老师开始报告关于杨秀云（一年级（1）班）的紧急事件（受伤），但自2026年12月4日 17:58起一直没有发出："
            "联系链上还没有通知任何人。请马上打电话给王老师：138 0013 0739。") in principal
    assert principal.count("一直没有发出") == 1  # once, not every minute
    answered = out.split("> :as 王老师\n")[-1].split("> 1\n")[1]
    assert answered.startswith("已报告。已开始按联系链通知相关人员")  # the question waiting still works


def test_the_report_counts_missed_talks_as_due_does(monkeypatch, tmp_path, sample_roster):
    import re

    out = _demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n:wait 13d\n/due\n/report\n/quit\n",
                "2026-12-04 17:58", "--all")
    due = _after(out, "/due")
    overdue = int(re.search(r"全校待完成的谈心：\d+，其中逾期(\d+)", due).group(1))
    lu_overdue = int(re.search(r"\n• 卢老师：\d+，其中逾期(\d+)", due).group(1))
    report = _after(out, "/report")
    missed = re.search(r"• 已错过的谈心（当月或当周已过仍未谈）：每月 (\d+)；每周 (\d+)\n", report)
    monthly, weekly = int(missed.group(1)), int(missed.group(2))
    per_teacher = [int(n) for n in re.findall(r"\n• [^\n]*；已错过 (\d+)", report)]
    assert overdue == 244 and monthly + weekly == overdue == sum(per_teacher)  # one computation: bot.services.duties
    assert f"\n• 卢老师：每周 0/26 (0.0%)；已错过 {lu_overdue}\n" in report and lu_overdue == 13
