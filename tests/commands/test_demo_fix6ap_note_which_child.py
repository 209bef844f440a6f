"""Words after one grandchild's check-in answer while the other's incident is open (issue 6 trial, fix6ap, HIGH).

王老师 reports that 刘帅 was grazed by a car. 李雪 (grandmother of 刘婷婷 and 刘帅, class teacher 张老师) confirms
the alert with ``1``, answers 刘婷婷's Friday check-in ``1`` (很好) and then asks ``在哪个医院``. The words were filed
as a note on 刘婷婷's check-in ("写于每周联系回答“很好”之后"), and 王老师, who knows where 刘帅 is, never saw
them. Words naming neither child are now asked about: which child? 刘帅 (the incident) or 刘婷婷.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
REPORT = ":wait 2m\n报告 刘帅\n1\n1\n校门口被车擦伤，已送镇卫生院\n1\n"
WHICH = "您的留言是关于哪个孩子的？\n1. 刘帅（突发事件） 2. 刘婷婷"
ABOUT_IT = ("李雪（委托监护人）于2026年12月4日 18:00回复了关于刘帅（一年级（3）班）的事件通知"
            "（受伤，报告于2026年12月4日 18:00）：\n“在哪个医院”")


def _asked(out: str) -> str:
    asked = after(out, "在哪个医院")
    assert asked.startswith(WHICH), asked
    assert "[→" not in asked  # nothing passed on yet, to nobody
    return asked


def test_where_is_he_after_tingtings_answer_asks_which_child_and_shuai_reaches_the_reporter(
        monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT + ":as 李雪\n1\n1\n在哪个医院\n1\n/quit\n",
                   FRIDAY, "--all")
    assert "> 1\n谢谢！已记录：刘婷婷这周很好。" in out
    _asked(out)
    picked = after(out, "1", since="在哪个医院")
    assert picked.startswith("谢谢。您关于刘帅（2026年12月4日 18:00报告的突发事件）的留言已马上转给"
                             "王老师（事件报告人）、张老师（班主任），看到后会在这里回复您。"), picked
    for reader in ("王老师（班主任）", "张老师（班主任）"):  # the reporter and the class teacher, about the incident
        assert any(m.startswith(ABOUT_IT) for m in told_to(picked, reader)), reader
    # 刘婷婷's note question was not answered by those words: asked again, named.
    assert "关于刘婷婷，还有什么想告诉老师的吗？" in picked.split("[→")[0]
    assert "写于每周联系回答“很好”之后" not in out  # never filed as 刘婷婷's note


def test_the_answer_tingting_files_the_words_as_her_checkin_note(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT + ":as 李雪\n1\n1\n在哪个医院\n婷婷\n/quit\n",
                   FRIDAY, "--all")
    _asked(out)
    picked = after(out, "婷婷")
    assert picked.startswith("谢谢。您关于刘婷婷的留言已转给张老师（班主任）"), picked
    assert any("“在哪个医院”\n写于每周联系回答“很好”之后。" in m for m in told_to(picked, "张老师（班主任）"))
    assert not told_to(picked, "王老师（班主任）")


def test_words_naming_tingting_go_to_her_checkin_at_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT + ":as 李雪\n1\n1\n婷婷在哪个医院\n/quit\n",
                   FRIDAY, "--all")
    told = after(out, "婷婷在哪个医院")
    assert "您的留言是关于哪个孩子的" not in told
    assert told.startswith("谢谢。您关于刘婷婷的留言已转给张老师（班主任）"), told
    assert any("“婷婷在哪个医院”\n写于每周联系回答“很好”之后。" in m for m in told_to(told, "张老师（班主任）"))


def test_in_english_the_question_names_the_incident(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   REPORT + ":as 李雪\n1\n1\nwhich hospital is he in\n1\n/quit\n", FRIDAY, "--all", "--lang", "en")
    asked = after(out, "which hospital is he in")
    assert asked.startswith("Which child is your message about?\n1. 刘帅 (incident) 2. 刘婷婷"), asked
    assert "Your message about 刘帅 (the incident reported at" in after(out, "1", since="which hospital is he in")


def test_with_one_child_the_question_still_goes_to_the_incident(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n报告 杨秀云\n1\n1\n校门口被车擦伤，已送镇卫生院\n1\n:as #43\n1\n在哪个医院\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    told = after(out, "在哪个医院")
    assert told.startswith("谢谢。您关于杨秀云（2026年12月4日 18:00报告的突发事件）的留言已马上转给"
                           "王老师（事件报告人）")
    assert "您的留言是关于哪个孩子的" not in told


def test_unanswered_the_words_reach_the_incident_and_tingtings_teacher_after_30_minutes(
        monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT + ":as 李雪\n1\n1\n在哪个医院\n:wait 31m\n/quit\n",
                   FRIDAY, "--all")
    _asked(out)
    later = after(out, ":wait 31m")
    assert any(m.startswith(ABOUT_IT.replace("18:00回复", "18:30回复")) for m in told_to(later, "王老师（班主任）"))
    told = "\n".join(told_to(later, "李雪（委托监护人）"))
    assert "您还没说“在哪个医院”说的是哪个孩子，我已把您的话原样转给老师。" in told
    assert "您关于刘帅（2026年12月4日 18:00报告的突发事件）的留言已马上转给王老师（事件报告人）" in told
    # 张老师 is 刘帅's class teacher and 刘婷婷's: she reads the words once, not twice (fix6au)
    words = [m for m in told_to(later, "张老师（班主任）") if "在哪个医院" in m]
    assert len(words) == 1 and words[0].startswith(ABOUT_IT.replace("18:00回复", "18:30回复")), words
    assert "您关于刘婷婷的留言" not in told


def test_a_command_at_which_child_passes_the_words_to_each_reader_once(monkeypatch, tmp_path, sample_roster):
    """She moves on with /lang: the words go on unguessed, and 张老师 (both children's teacher) reads them once."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT + ":as 李雪\n1\n1\n在哪个医院\n/lang\n/quit\n",
                   FRIDAY, "--all")
    told = after(out, "/lang")
    for reader in ("王老师（班主任）", "张老师（班主任）"):
        words = [m for m in told_to(told, reader) if "在哪个医院" in m]
        assert len(words) == 1 and words[0].startswith(ABOUT_IT), (reader, told)
    mine = told.split("[→")[0]
    assert "王老师（事件报告人）、张老师（班主任）" in mine and "您关于刘婷婷的留言" not in mine, mine
    assert "请选择语言" in mine  # the command itself runs


def test_a_safeguarding_report_she_is_kept_away_from_is_never_named_to_her(monkeypatch, tmp_path, sample_roster):
    script = ("报告 刘帅\n5\n孩子身上有多处淤青，怀疑在家被打\n1\n:wait 5m\n:as 李雪\n1\n在哪个医院\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 17:56")
    told = after(out, "在哪个医院")
    assert "您的留言是关于哪个孩子的" not in told and "突发事件" not in told, told
    assert told.startswith("谢谢。您关于刘婷婷的留言已转给张老师（班主任）"), told


def test_cancel_at_which_child_sends_her_words_to_nobody_and_says_so(monkeypatch, tmp_path, sample_roster):
    """取消 / 算了 / /cancel there is "don't send it" (fix6au: it sent them to 王老师 and twice to 张老师)."""
    for word in ("取消", "算了", "/cancel", "cancel"):
        script = REPORT + f":as 李雪\n1\n1\n在哪个医院\n{word}\n:wait 31m\n/quit\n"
        out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
        told = after(out, word, since="在哪个医院")
        assert told.startswith("好的，这条留言没有发出。\n"), (word, told)
        assert "[→" not in told and "转给" not in told, (word, told)  # nobody reads the words
        # what waits in her chat comes back named: 刘帅's check-in, held while his incident is open
        assert "关于刘帅的每周问题先等一等" in told, (word, told)
        assert "在哪个医院" not in after(out, ":wait 31m"), word  # nor later, by the which-child wait


def test_in_english_cancel_at_which_child_says_the_message_was_not_sent(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   REPORT + ":as 李雪\n1\n1\nwhich hospital is he in\ncancel\n/quit\n", FRIDAY, "--all", "--lang", "en")
    told = after(out, "cancel", since="which hospital is he in")
    assert told.startswith("All right, that message was not sent.\n"), told
    assert "[→" not in told, told
