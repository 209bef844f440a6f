"""Questions a command or a number must not lose or misread (fix6aj, issue 6 "Conversations").

王老师 saved a talk with 安全隐患：有 and was asked 「现在报告突发事件吗？」; ``/tasks`` or ``数据`` typed there ended
that question unsaid. ``报告`` alone at a talk's note question asked "which child?", and ``2`` typed there was read
as a child's name ("no child called 2"), ending the report.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

WEEKDAY = "2026-12-02 10:00"
SAVED = "/talk 杨秀云\n1\n1\n1\n2\n保存\n"
OFFER = "现在报告突发事件吗？"
BACK = "回到与杨秀云的谈心记录（已保存）之后的问题："


def test_tasks_at_the_offer_sets_it_aside_and_it_comes_back_named(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SAVED + "/tasks\n数据\n1\n", WEEKDAY)
    tasks = after(out, "/tasks")
    assert tasks.startswith("已暂存与杨秀云的谈心记录（已保存）之后的问题“现在报告突发事件吗？”；"
                            "这件事办完后我会再问您。")
    assert "您的未完成任务（1项" in tasks
    figures = after(out, "数据")
    assert BACK in figures and figures.rstrip().endswith("1. 报告突发事件 2. 暂不报告")
    assert after(out, "1", "数据").startswith("关于杨秀云的突发事件：发生了什么？")


def test_another_talk_at_the_offer_brings_it_back_after_that_talk(monkeypatch, tmp_path, sample_roster):
    script = SAVED + "/talk 杨婷\n1\n1\n1\n1\n保存\n2\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    assert after(out, "/talk 杨婷").startswith("已暂存与杨秀云的谈心记录（已保存）之后的问题")
    saved = after(out, "保存", nth=2)
    assert "已保存：与杨婷的谈心记录。" in saved
    assert BACK in saved and saved.rstrip().endswith("1. 报告突发事件 2. 暂不报告")
    assert out.rsplit("\n> 2\n", 1)[1].startswith("好的。跟进任务会保留在您的待办中。")


def test_due_at_the_offer_still_asks_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SAVED + "/due\n", WEEKDAY)
    due = after(out, "/due")
    assert BACK in due and due.rstrip().endswith("1. 报告突发事件 2. 暂不报告")


def test_in_english_the_offer_comes_back_after_tasks(monkeypatch, tmp_path, sample_roster):
    script = "/talk 杨秀云\n1\n1\n1\n2\nsave\n/tasks\n/figures\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--lang", "en")
    assert after(out, "/tasks").startswith(
        "Set aside the question after your saved talk with 杨秀云: report an incident now?; I will ask it again")
    back = after(out, "/figures")
    assert "Back to the question after your saved talk with 杨秀云:" in back
    assert back.rstrip().endswith("1. Report an incident 2. Not now")


def test_a_number_at_which_child_asks_for_the_name(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/talk 杨秀云\n1\n1\n1\n1\n报告\n2\n杨秀云\n", WEEKDAY)
    number = after(out, "2", "报告")
    assert number.startswith("只发数字我认不出是哪个孩子：请发送孩子的姓名。")
    assert "没有找到名叫2的孩子" not in number and number.rstrip().endswith("是哪个孩子？请发送姓名。")
    assert after(out, "杨秀云", "报告").startswith("关于杨秀云的突发事件：发生了什么？")


def test_in_english_a_number_at_which_child_asks_for_the_name(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/talk 杨秀云\n1\n1\n1\n1\n/incident\n2\n", WEEKDAY,
                   "--lang", "en")
    number = after(out, "2", "/incident")
    assert number.startswith("A number alone is no child's name: please send the child's name.")
    assert "couldn't find" not in number


AID = "/aid 杨秀云\n1\n1\n500\n跳过\n今天\n"


def test_a_second_aid_at_save_asks_to_drop_the_first_naming_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, AID + "/aid 杨秀云\n2\n保存\n", WEEKDAY)
    asked = after(out, "/aid 杨秀云", nth=2)
    assert asked.startswith("您还没有完成给杨秀云登记的资助，目前还没有保存。要放弃吗？")
    back = after(out, "2")
    assert back.startswith("回到给杨秀云登记的资助：") and "金额或物品：¥500.00" in back
    saved = after(out, "保存")
    assert saved.startswith("资助已登记。") and "现金：¥500.00" in saved


def test_in_english_a_second_aid_drops_the_first_only_when_told(monkeypatch, tmp_path, sample_roster):
    script = "/aid 杨秀云\n1\n1\n500\nskip\ntoday\n/aid 杨秀云\n1\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY, "--lang", "en")
    asked = after(out, "/aid 杨秀云", nth=2)
    assert asked.startswith("You have not finished the aid entry for 杨秀云; nothing of it is saved yet. Drop it?")
    dropped = out.rsplit("\n> 1\n", 1)[1]
    # said what was dropped first (fix6an), then the new command
    assert dropped.startswith("Dropped the aid entry for 杨秀云; nothing of it was saved.\n\nAid given to 杨秀云:\n"
                              "No aid recorded yet.")


def test_words_at_open_a_plan_ask_again_and_yes_words_open_it(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/plan 杨秀云\n什么意思\n好的\n", WEEKDAY)
    again = after(out, "什么意思")
    assert again.startswith("请回答“好”或“不用”。") and "不再进行中" not in again
    assert again.rstrip().endswith("1. 制定方案 2. 取消")
    assert after(out, "好的").startswith("杨秀云的目标，每行一条")


def test_in_english_no_at_open_a_plan_cancels(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, "/plan 杨秀云\nwhat is that\nno thanks\n", WEEKDAY,
                   "--lang", "en")
    again = after(out, "what is that")
    assert again.startswith("Please answer yes or no.") and "no longer open" not in again
    assert "1. Open a plan 2. Cancel" in again
    assert "Cancelled" in after(out, "no thanks")


def test_words_at_the_plan_shown_record_no_review(monkeypatch, tmp_path, sample_roster):
    script = "/plan 杨秀云\n1\n提高阅读\n每天读书\n跳过\n1\n/plan 杨秀云\n阅读进步很大\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, WEEKDAY)
    typed = after(out, "阅读进步很大")
    assert typed.startswith("请选择一个选项") and "已登记复查" not in typed and "复查已登记" not in typed
    assert typed.rstrip().endswith("1. 添加进展记录 2. 登记复查 3. 结束方案")
