"""A teacher who is also a guardian hears about her own child in her one chat (issue 9, item 4).

袁老师 (班主任 of 一年级（2）班, 13900135018) is made 杨婷's 委托监护人 (杨婷 is in 一年级（1）班, 王老师's class).
The import makes her one person: the emergency alert about 杨婷 and the Friday check-in reach the chat she
uses as a teacher, one question at a time beside her teacher questions.
"""

from __future__ import annotations

from pathlib import Path

from tests.services.test_roster_staff_guardian import with_yuan
from tests.support.demo import after, run_demo, told_to

YUAN = "袁老师 (class teacher)"  # the demo labels a person by their first role


def test_her_childs_emergency_alert_reaches_her_one_chat_and_she_acknowledges_it(monkeypatch, tmp_path: Path,
                                                                                   sample_roster: Path) -> None:
    roster = with_yuan(sample_roster, tmp_path)
    script = "报告 杨婷\n1\n1\n在操场摔倒了头破了\n1\n:as 袁老师\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, roster, script, "2026-12-02 10:00", "--lang", "en", "--all")

    assert "Step 1 will tell: 袁老师 (entrusted guardian)" in after(out, "在操场摔倒了头破了")
    alert = told_to(after(out, "1", "在操场摔倒了头破了"), YUAN)
    assert len(alert) == 1 and alert[0].startswith("Incident: 杨婷 (一年级（1）班), injury, emergency.")
    assert "1. Acknowledge" in alert[0]
    assert "You are now 袁老师 (class teacher, entrusted guardian)." in after(out, ":as 袁老师")
    acknowledged = after(out, "1", ":as 袁老师")
    assert acknowledged.startswith("Thank you: your acknowledgement of the alert about 杨婷 is recorded.")
    assert "[→ 王老师 (class teacher)]\n袁老师 (entrusted guardian) acknowledged the incident about 杨婷" \
        in acknowledged


def test_her_childs_check_in_waits_its_turn_beside_a_message_from_a_family_of_her_class(monkeypatch, tmp_path: Path,
                                                                                         sample_roster: Path) -> None:
    roster = with_yuan(sample_roster, tmp_path)
    # Friday 18:00: the check-ins go out; 李琴's aunt (一年级（2）班) needs help and writes to her class teacher.
    script = ":wait 2m\n:as 李兰英\n3\n1\n孩子发烧了\n:as 袁老师\n1\n1\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, roster, script, "2026-12-04 17:58", "--lang", "en", "--all")

    asked = told_to(after(out, ":wait 2m"), YUAN)
    assert [m.strip() for m in asked] == ["How is 杨婷 this week?\n1. All good 2. So-so 3. Needs help"]
    relayed = told_to(after(out, "孩子发烧了"), YUAN)
    assert relayed[0].startswith("李兰英 (aunt (father's sister) of 李琴, 一年级（2）班) writes:\n“孩子发烧了”")
    assert relayed[0].rstrip().endswith("Please first answer my question above about how 杨婷 is this week; then I "
                                        "will ask you this one again, with its answers.")
    answered = after(out, "1", ":as 袁老师")
    assert answered.startswith("Thank you! Recorded: 杨婷 this week: All good.")
    done = after(out, "1", ":as 袁老师", nth=2)
    assert done.startswith("Thank you. Nothing more is needed.\n\nStill waiting for your answer:\n\n李兰英")
    assert done.rstrip().endswith("1. Reply")


def test_a_safeguarding_report_never_reaches_the_guardian_in_her_school_role(monkeypatch, tmp_path: Path,
                                                                             sample_roster: Path) -> None:
    # 王校长, the principal, is 杨婷's guardian: the abuse report goes to the admin, not to her as the leader.
    roster = with_yuan(sample_roster, tmp_path, guardian=("王校长", "13800136961"))
    words = "孩子说姑姑经常打她"
    script = f"报告 杨婷\n5\n{words}\n1\n:as 王校长\n结束事件\n/tasks\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, roster, script, "2026-12-02 10:00", "--lang", "en", "--all")

    confirm = after(out, words)
    assert "王校长" not in confirm and "The child's family will not be told." in confirm
    told = after(out, "1", words)
    admin = told_to(told, "刘主任 (school admin)")
    assert admin[0].startswith("Safeguarding report (suspected abuse or neglect): 杨婷")
    assert "王校长" not in told
    assert after(out, ":as 王校长").startswith("You are now 王校长 (school leader, entrusted guardian).")
    assert "杨婷" not in after(out, ":as 王校长")
    assert after(out, "结束事件").startswith("You have no open incident you can close.")
    assert after(out, "/tasks").startswith("You have no open tasks.")
