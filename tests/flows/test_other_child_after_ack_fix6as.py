"""Words about another child after an alert was acknowledged take that child's path (fix6as, issue 6).

李雪 answers 刘婷婷's Friday check-in; 王老师 (class teacher of another class) reports 刘帅 ill; 李雪 acknowledges
the alert, and 刘帅's weekly question waits for his incident. Her ``婷婷咳嗽三天了`` went to 王老师 as a reply about
刘帅's incident — the wrong child, and her sister's words outside 刘婷婷's circle. Now words naming 刘婷婷 (by name
or home nickname) reach 刘婷婷's class teacher (张老师) as a message about 刘婷婷; words naming 刘帅 or no child still
go to those handling 刘帅's incident.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
ALERTED = (":wait 2m\n:as 李雪\n1\n跳过\n:as 王老师\n报告 刘帅\n2\n1\n发烧39度在医务室\n1\n"
           ":as 李雪\n收到\n")
TO_TINGTING_TEACHER = "谢谢。您关于刘婷婷的留言已转给张老师（班主任），老师看到后会在这里回复您。"
ABOUT_SHUAI = "您关于刘帅（2026年12月4日 18:00报告的突发事件）的留言已马上转给王老师（事件报告人）、张老师（班主任）"


def test_words_naming_tingting_reach_her_class_teacher_never_the_reporter(monkeypatch, tmp_path, sample_roster):
    lines = ("婷婷咳嗽三天了，晚上睡不好", "刘婷婷今天没吃饭", "不对，是刘婷婷")
    out = run_demo(monkeypatch, tmp_path, sample_roster, ALERTED + "\n".join(lines) + "\n/quit\n", FRIDAY)
    for line in lines:
        told = after(out, line)
        assert told.startswith(TO_TINGTING_TEACHER), (line, told)
        assert "刘帅" not in told.split("[→ ", 1)[0]
        assert told_to(told, "王老师（班主任）") == []  # outside 刘婷婷's circle: nothing of hers
        (teacher,) = told_to(told, "张老师（班主任）")
        assert teacher.startswith("李雪（刘婷婷的外祖母，一年级（3）班）留言：")
        assert f"“{line}”" in teacher and "事件通知" not in teacher


def test_words_about_the_incident_or_no_child_still_go_to_those_handling_it(monkeypatch, tmp_path, sample_roster):
    lines = ("婷婷咳嗽三天了", "在哪个医院", "帅帅现在退烧了吗")
    out = run_demo(monkeypatch, tmp_path, sample_roster, ALERTED + "\n".join(lines) + "\n/quit\n", FRIDAY)
    assert after(out, lines[0]).startswith(TO_TINGTING_TEACHER)
    for line in lines[1:]:
        told = after(out, line)
        assert ABOUT_SHUAI in told.split("[→ ", 1)[0], (line, told)
        (reporter,) = told_to(told, "王老师（班主任）")
        assert "回复了关于刘帅（一年级（3）班）的事件通知" in reporter and f"“{line}”" in reporter


NOTE_OPEN = ":wait 2m\n:as 李雪\n2\n:as 张老师\n报告 刘婷婷\n2\n1\n发高烧\n1\n:as 李雪\n"
"""李雪 answered 刘婷婷 一般; 张老师's alert about 刘婷婷 arrives over "anything to tell the teacher?"."""


def test_a_check_in_correction_as_the_first_reply_to_the_alert_is_offered_not_lost(
        monkeypatch, tmp_path, sample_roster):
    script = NOTE_OPEN + "不对，是需要帮助\n1\n在哪个医院\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY)
    told = after(out, "不对，是需要帮助")
    mine = told.split("[→ ", 1)[0]
    assert "谢谢：已记录您对刘婷婷事件通知的确认。" in mine
    assert mine.rstrip().endswith("您是要把刘婷婷这周改成“需要帮助”吗？\n1. 是 2. 不是")
    (reporter,) = told_to(told, "张老师（班主任）")
    assert "确认收到关于刘婷婷" in reporter and "不对，是需要帮助" not in reporter  # the check-in's, not the incident's
    changed = after(out, "1", "不对，是需要帮助")
    assert changed.startswith("已改为：刘婷婷这周需要帮助。\n已通知帮扶老师")
    assert "刘婷婷需要哪方面的帮助" not in changed  # held while her incident is open (fix6u), never asked over it
    (helper,) = told_to(changed, "袁辉老师（帮扶教师）")
    assert "刘婷婷的监护人李雪在每周联系中选择了“需要帮助”" in helper
    question = after(out, "在哪个医院")  # her next words are about the incident, to its reporter
    assert "您关于刘婷婷（2026年12月4日 18:00报告的突发事件）的留言已马上转给张老师（事件报告人）" in question


def test_no_leaves_the_answer_as_it_was_and_says_so(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, NOTE_OPEN + "不对，是需要帮助\n2\n/quit\n", FRIDAY)
    kept = after(out, "2", "不对，是需要帮助")
    assert kept.startswith("好的，没有更改：刘婷婷这周一般。")
    assert told_to(kept, "袁辉老师（帮扶教师）") == []


def test_a_correction_of_tingting_after_shuais_alert_changes_her_check_in(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ALERTED + "不对，婷婷是一般\n/quit\n", FRIDAY)
    told = after(out, "不对，婷婷是一般")
    assert told.startswith("已改为：刘婷婷这周一般。"), told
    assert told_to(told, "王老师（班主任）") == []


def test_words_correcting_the_alert_still_reach_its_reporter(monkeypatch, tmp_path, sample_roster):
    words = "不对，她是发烧了不是摔倒"
    out = run_demo(monkeypatch, tmp_path, sample_roster, NOTE_OPEN + words + "\n/quit\n", FRIDAY)
    told = after(out, words)
    assert "您是要把" not in told
    (reporter, replied) = told_to(told, "张老师（班主任）")
    assert f"“{words}”" in replied


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    script = (":wait 2m\n:as 李雪\n1\nskip\n:as 王老师\n报告 刘帅\n2\n1\nfever in the clinic\n1\n:as 李雪\nok\n"
              "Tingting has been coughing for three days\n/quit\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--lang", "en")
    told = after(out, "Tingting has been coughing for three days")
    assert told.startswith("Thank you. Your message about 刘婷婷 was passed to 张老师 (class teacher)")
    assert told_to(told, "王老师 (class teacher)") == []
    (teacher,) = told_to(told, "张老师 (class teacher)")
    assert "of 刘婷婷" in teacher and "replied" not in teacher
