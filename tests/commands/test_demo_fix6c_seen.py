"""A family message held for 07:00 does not arrive as new once its reader read it in ``/due`` (issue 6, fix6c).

李雪 writes to 张老师 at 22:00: quiet hours hold her words until 07:00. 张老师 opens ``/due`` at 22:05 and reads
them there (and may answer them at once). The 07:00 copy then came as a new message with a second Reply; it is now
dropped for her (answered: it goes to nobody), while words nobody has read still arrive at 07:00.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

NIGHT = "2026-12-02 22:00"
FIRST = "孩子这两天咳嗽，麻烦老师多看看"
LATER = "婷婷的作业本忘在家里了"  # written after 张老师 looked: nobody has read it


def _morning(out: str, reader: str = "张老师（班主任）") -> str:
    """What 张老师 was sent when the quiet hours ended."""
    return "\n".join(told_to(after(out, ":wait 10h"), reader))


def test_words_read_in_due_at_night_do_not_arrive_again_at_seven(monkeypatch, tmp_path, sample_roster):
    script = (f":as 李雪\n{FIRST}\n:as 张老师\n/due\n:as 李雪\n{LATER}\n:wait 10h\n:as 张老师\n/due\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--all")
    assert after(out, "/due").startswith(f"李雪（刘婷婷、刘帅的外祖母，一年级（3）班）留言：\n“{FIRST}”")
    morning = _morning(out)
    assert FIRST not in morning  # already read at 22:00: no second Reply at 07:00
    assert f"李雪（刘婷婷的外祖母，一年级（3）班）留言：\n“{LATER}”" in morning  # unread: delivered as before
    # Read, not answered: it stays on her /due until she answers it (quoted by its first words behind the
    # newer message a number answers, fix6h).
    quoted = "李雪发来的关于刘婷婷、刘帅的留言：2026年12月2日 22:00“孩子这两天咳嗽，麻烦老师…”"
    assert quoted in after(out, "/due", nth=2)


def test_words_answered_at_night_go_to_nobody_at_seven(monkeypatch, tmp_path, sample_roster):
    script = (f":as 李雪\n{FIRST}\n:as 张老师\n/due\n1\n好的，明天我留意孩子\n:as 李雪\n{LATER}\n:wait 10h\n"
              ":as 张老师\n/due\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--all")
    assert after(out, "1", "/due").startswith("请写下给李雪的回复（关于刘婷婷、刘帅）：")
    morning = _morning(out)
    assert FIRST not in morning and f"“{LATER}”" in morning
    answer = "\n".join(told_to(after(out, ":wait 10h"), "李雪（委托监护人）"))
    assert "张老师（刘婷婷、刘帅的班主任）回复了您的留言：\n“好的，明天我留意孩子”" in answer  # held, then sent
    assert FIRST not in after(out, "/due", nth=2)


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    script = (":as 李雪\nThe child has a cough\n:as 张老师\n/due\n"
              ":as 李雪\nHer homework book is at home\n:wait 10h\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, NIGHT, "--lang", "en", "--all")
    assert "“The child has a cough”" in after(out, "/due")
    morning = _morning(out, "张老师 (class teacher)")
    assert "The child has a cough" not in morning and "“Her homework book is at home”" in morning
