"""One line about both grandchildren at the Friday check-in: each part to its own child (fix6q, trial item 6).

李雪 (刘婷婷 and 刘帅) wrote ``刘帅发烧了，婷婷还好``: asked "which child?", the whole line went under 刘帅 and
``婷婷还好`` counted for nobody; her next ``婷婷很好，帅帅不太好`` became 刘帅's note. Now each child's words go to
that child: 刘帅's fever is his "needs help" (his helper teacher told, the words quoted), 婷婷还好 answers hers.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
SCRIPT = ":wait 2m\n:as 李雪\n刘帅发烧了，婷婷还好\n婷婷很好，帅帅不太好\n/quit\n"


@pytest.mark.parametrize(("lang", "shuai", "ting", "helper"), [
    ("zh_Hans", "已记录：刘帅这周需要帮助。", "谢谢！已记录：刘婷婷这周一般。", "唐老师（帮扶教师）"),
    ("en", "Recorded: 刘帅 this week: Needs help.", "Thank you! Recorded: 刘婷婷 this week: So-so.",
     "唐老师 (helper teacher)"),
])
def test_each_child_gets_its_own_words(monkeypatch, tmp_path, sample_roster, lang, shuai, ting, helper):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, FRIDAY, "--lang", lang)
    first = after(out, "刘帅发烧了，婷婷还好")
    assert first.startswith(shuai) and ting in first
    assert any("“刘帅发烧了”" in m for m in told_to(first, helper))
    assert "婷婷还好" not in "".join(told_to(first, helper))
    second = after(out, "婷婷很好，帅帅不太好")
    teacher = told_to(second, "张老师（班主任）" if lang == "zh_Hans" else "张老师 (class teacher)")
    assert any("刘帅" in m and "“帅帅不太好”" in m for m in teacher)
    assert not any("“婷婷很好，帅帅不太好”" in m for m in teacher)
