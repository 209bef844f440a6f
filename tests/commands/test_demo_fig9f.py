"""Issue 9's leftovers, tried in the demo: /tasks with a child's name, paging by word, an empty talk-card export."""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


def test_a_principal_asking_for_a_childs_tasks_hears_the_child_has_none(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   ":as 王校长\n/tasks 杨婷\n/tasks 杨亭\n/tasks 卢老\n/tasks 无此人\n/quit\n", AT)
    assert after(out, "/tasks 杨婷").strip() == "杨婷没有未完成的任务。"  # not "no colleague called 杨婷"
    assert after(out, "/tasks 杨亭").strip() == ("在本校没有找到名叫杨亭的孩子或同事。\n"
                                                "您是不是要找：杨婷？请发送 /tasks 加姓名。")
    assert "您是不是要找：卢老师？" in after(out, "/tasks 卢老")
    assert after(out, "/tasks 无此人").strip() == "在本校没有找到名叫无此人的孩子或同事。"


def test_a_teacher_hears_her_childs_tasks_and_nothing_of_others(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 卢老师\n/tasks 杨婷\n/tasks 杨秀云\n/quit\n",
                   AT, "--lang", "en")
    assert after(out, "/tasks 杨婷").strip() == "杨婷 has no open tasks."
    # 杨秀云 is at the school but not one of hers: nothing about her, just her own list (as before)
    assert after(out, "/tasks 杨秀云").strip() == "You have no open tasks."


@pytest.mark.parametrize("word", ["更多", "下一页", "next", "More"])
def test_more_tasks_by_its_word(monkeypatch, tmp_path, sample_roster, word):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as 王校长\n:wait 13d\n/tasks 卢老师\n{word}\n/quit\n", AT)
    assert "9. 更多任务（还有5项）" in after(out, "/tasks 卢老师")
    assert "以上是第9–13项，共13项（逾期的在前）。" in after(out, word)


@pytest.mark.parametrize(("lang", "said"), [
    ("zh_Hans", "还没有记录任何谈心，暂无谈心记录卡可导出。"),
    ("en", "No talk has been recorded yet, so there are no talk record cards to export."),
])
def test_no_talk_cards_to_export_before_any_talk(monkeypatch, tmp_path, sample_roster, lang, said):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/export 谈心\n/quit\n", AT, "--lang", lang)
    assert after(out, "/export 谈心").strip() == said
    assert not list(tmp_path.glob("*.xlsx"))


def test_an_officials_tasks_point_to_the_figures_as_due_does(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 镇教育办张科长\n/tasks\n/quit\n", AT)
    assert after(out, "/tasks").strip() == "您没有任务：各校的任务由学校教职工完成。发送 /report（统计）查看各校情况。"
