"""The worry part of a line about two children reaches the class teacher too (fix6s, new-user trial item 3).

李雪 answered 刘婷婷's Friday check-in "一般" and wrote ``帅帅发烧了两天，婷婷没事`` as her note. 刘帅 was marked
"needs help" and his fever went only to his helper teacher's task; his class teacher 张老师 read "婷婷没事" alone,
and 李雪 was not told who reads the fever. Now 张老师 reads both parts, and 李雪 is told who reads each.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
LINE = "帅帅发烧了两天，婷婷没事"
SCRIPT = f":wait 2m\n:as 李雪\n2\n{LINE}\n:as 张老师\n/due\n/quit\n"

ZH = {"teacher": "张老师（班主任）", "helper": "唐老师（帮扶教师）",
      "told": ["已记录：刘帅这周需要帮助。",
               "谢谢。您关于刘帅的留言已转给张老师（班主任），老师看到后会在这里回复您。\n会联系您的帮扶教师唐老师也已收到。",
               "谢谢。您关于刘婷婷的留言已转给张老师（班主任），老师看到后会在这里回复您。"]}
EN = {"teacher": "张老师 (class teacher)", "helper": "唐老师 (helper teacher)",
      "told": ["Recorded: 刘帅 this week: Needs help.", "Your message about 刘帅 was passed to 张老师 (class teacher)",
               "Your message about 刘婷婷 was passed to 张老师 (class teacher)"]}


@pytest.mark.parametrize(("lang", "want"), [("zh_Hans", ZH), ("en", EN)])
def test_the_class_teacher_reads_the_fever_and_the_grandmother_is_told(monkeypatch, tmp_path, sample_roster,
                                                                       lang, want):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, FRIDAY, "--all", "--lang", lang)
    said = after(out, LINE)
    mine = said.split("\n\n[→ ", 1)[0]
    at = [mine.index(line) for line in want["told"]]
    assert at == sorted(at)  # 刘帅's answer, who reads his part, then who reads 婷婷's
    teacher = told_to(said, want["teacher"])
    assert any("刘帅" in m and "“帅帅发烧了两天”" in m for m in teacher)
    assert any("刘婷婷" in m and "“婷婷没事”" in m for m in teacher)
    assert any("“帅帅发烧了两天”" in m for m in told_to(said, want["helper"]))
    assert "帅帅发烧了两天" in after(out, "/due")  # waiting for her answer too
