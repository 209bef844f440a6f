"""A correction right after answering for both children: ``婷婷很好，帅帅有点咳嗽`` after ``都挺好的`` (fix6aj).

李雪 (刘婷婷, 刘帅) answered the Friday check-in 都挺好的, then wrote that 帅帅 has a bit of a cough: 刘帅 stayed 很好
and her words went to the teacher as a message that named no answer. Now 刘帅 is 一般 with her words as the note.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"


def test_the_cough_after_both_fine_makes_liu_shuai_so_so(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n:wait 2m\n都挺好的\n婷婷很好，帅帅有点咳嗽\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    fixed = after(out, "婷婷很好，帅帅有点咳嗽")
    assert fixed.startswith("已改为：刘帅这周一般。")
    assert "刘婷婷这周" not in fixed  # 婷婷很好 agrees with what was recorded: nothing to change
    assert "您关于刘帅的留言已转给张老师（班主任）" in fixed
    teacher = fixed.split("[→ 张老师（班主任）]", 1)[1]
    assert "“帅帅有点咳嗽”" in teacher and "写于每周联系回答“一般”之后。" in teacher
    assert "婷婷很好" not in teacher


def test_in_english_the_cough_after_both_fine(monkeypatch, tmp_path, sample_roster):
    script = ":as 李雪\n:wait 2m\nboth are fine\n婷婷 is fine, 帅帅 has a bit of a cough\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--lang", "en")
    fixed = after(out, "婷婷 is fine, 帅帅 has a bit of a cough")
    assert fixed.startswith("Changed: 刘帅 this week: So-so.")
    assert "Written after the weekly check-in answer “so-so”." in fixed
    assert "“婷婷 is fine”" not in fixed
