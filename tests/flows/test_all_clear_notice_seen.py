"""``好的`` / ``嗯`` / ``ok`` right after another family member's all clear sees it, like a closing notice (issue 6).

Friday 18:00: 张老师 reports 刘帅 missing; his guardian 李雪 confirms the alert, so the check-in about 刘帅 waits
for the close and the one about his sister 刘婷婷 is shown. His father 刘亮 confirms too and writes
``刘帅没事了，在他外婆家`` — the all clear reaches 李雪 ("刘亮说刘帅没事了…"). Her ``好的`` was recorded as
"刘婷婷这周很好"; now it sees the news (``all_clear_seen`` on the incident's timeline) and the check-in is shown
again, its numbers still answering it. The grandfather 张强 whose check-in about 杨秀云 is held for her emergency
read "not recorded as an answer about the week" — now his ``好的`` sees the news too; 杨秀云's mother 谢冬梅, with
nothing waiting, is no longer told "no question is waiting" as if she had said nothing of it.
"""

from __future__ import annotations

import sqlite3

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
LIU = (":wait 2m\n:as 张老师\n报告 刘帅\n3\n1\n放学后没回家\n1\n:wait 2m\n:as 李雪\n1\n:as 刘亮\n1\n"
       "刘帅没事了，在他外婆家\n:as 李雪\n")
YANG = (":wait 2m\n报告 杨秀云\n3\n1\n放学后没回家\n1\n:wait 2m\n:as #43\n1\n:as #45\n1\n:as #44\n1\n"
        "杨秀云没事了，在奶奶家\n")


def _seen_events(tmp_path) -> list[str]:
    with sqlite3.connect(tmp_path / "guanai-demo.db") as db:
        return [kind for (kind,) in db.execute("SELECT kind FROM incident_events WHERE kind = 'all_clear_seen'")]


def test_ok_after_the_all_clear_sees_it_not_the_sisters_good_week(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, LIU + "好的\n1\n", AT, "--all")
    assert "刘亮说刘帅没事了" in after(out, "刘帅没事了，在他外婆家")
    seen = after(out, "好的", "刘帅没事了，在他外婆家")
    assert "已记下您看过了刘帅平安的消息" in seen
    assert "这周很好" not in seen and "已记录" not in seen
    assert seen.rstrip().endswith("刘婷婷这周过得怎么样？\n1. 很好 2. 一般 3. 需要帮助")
    assert "已记录：刘婷婷这周很好" in after(out, "1", "好的")
    assert _seen_events(tmp_path) == ["all_clear_seen"]


def test_ok_in_english_after_the_all_clear_is_no_all_good(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, LIU + "ok\n", AT, "--all", "--lang", "en")
    seen = after(out, "ok", "刘帅没事了，在他外婆家")
    assert "Noted that you have seen the news that 刘帅 is all right." in seen
    assert "All good" not in seen.split("Still waiting")[0] and "Recorded" not in seen
    assert seen.rstrip().endswith("How is 刘婷婷 this week?\n1. All good 2. So-so 3. Needs help")


def test_ok_while_the_check_in_is_held_sees_the_all_clear(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, YANG + ":as #43\n嗯\n", AT, "--all")
    seen = after(out, "嗯", ":as #43")
    assert "已记下您看过了杨秀云平安的消息" in seen
    assert "没有记录为杨秀云这周情况的回答" not in seen and "这周很好" not in seen


def test_ok_with_nothing_waiting_sees_the_all_clear(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, YANG + ":as #45\n好的\n", AT, "--all")
    seen = after(out, "好的", ":as #45")
    assert "已记下您看过了杨秀云平安的消息" in seen and "目前没有需要您回答的问题" not in seen
    en = run_demo(monkeypatch, tmp_path / "en", sample_roster, YANG + ":as #45\nok\n", AT, "--all", "--lang", "en") \
        if (tmp_path / "en").mkdir() is None else ""
    assert "Noted that you have seen the news that 杨秀云 is all right." in after(en, "ok", ":as #45")
