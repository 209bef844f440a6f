"""Every incident prompt renders fully in Chinese and English: no field left open, no English left in Chinese."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.enums import IncidentOutcome
from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.services import incident_messages as m
from bot.services import incident_notices as notices
from bot.services import incident_privacy as privacy
from bot.services.incident_close import CloseResult
from bot.services.incidents import AckResult
from bot.services.school_number import SchoolNumber

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
S = m.IncidentSummary(7, "张三", None, "missing", "emergency", "open", "放学后未回家 <b>", "李老师", T0,
                      school_phone=SchoolNumber("+8685185221234"), reporter_phone="+8613800000001")
ABUSE = m.IncidentSummary(9, "张三", "三年级1班", "suspected_abuse", "emergency", "open", "身上有淤青", "李老师", T0)
MINOR = m.IncidentSummary(10, "张三", None, "injury", "minor", "open", "擦伤", "李老师", T0)
ROW = m.TimelineRow(3, "张父", "father", 2, T0 + timedelta(hours=1), None, None, False)

PROMPTS = [
    m.alert_prompt(S, due_by=T0 + timedelta(minutes=30), now=T0, family=True),
    m.alert_prompt(S, due_by=T0, now=T0 + timedelta(minutes=1), family=False),
    m.alert_prompt(ABUSE, due_by=T0 + timedelta(minutes=30), now=T0, family=False),
    m.alert_prompt(MINOR, due_by=T0 + timedelta(minutes=30), now=T0, family=True),
    *(m.alert_prompt(m.IncidentSummary(11, "张三", None, kind, "emergency", "open", "x", "李老师", T0),
                     due_by=T0 + timedelta(minutes=30), now=T0, family=True)
      for kind in ("injury", "illness", "bullying", "other")),
    m.reminder_prompt(S, due_by=T0 + timedelta(minutes=30), number=2, sent_ago=timedelta(minutes=20)),
    m.missed_prompt(S, name="张母", role="mother", step_no=2, due_by=T0, phone=None),
    m.unreachable_prompt(S, name="王奶奶", role="entrusted_guardian", phone="+8613900000000"),
    *(notices.closed_prompt(S, closer="赵管理员", closed_at=T0, outcome=o.value, note="在亲戚家找到")
      for o in IncidentOutcome),
    notices.closed_prompt(S, closer="赵管理员", closed_at=T0, outcome="found", note=None),
    notices.class_teacher_prompt(S),
    notices.chain_missed_prompt(S, [("王奶奶", "entrusted_guardian", "+8613900000000"), ("张父", "father", None),
                                    ("孙科长", "education_bureau", "+8613700002001")]),
    notices.added_prompt(S, author="袁老师", added="伤口较深"),
    notices.rate_limited_prompt(reporter="袁老师", phone="+8613900135018", count=5, minutes=10),
    m.no_recipients_prompt(S, empty_steps=[(1, "entrusted_guardians"), (2, "parents"), (3, "officials")],
                           all_empty=True),
    m.no_recipients_prompt(S, empty_steps=[(2, "parents")], all_empty=False),
    m.timeline_rows_prompt(S, [ROW, m.TimelineRow(4, "张母", "mother", 2, T0, T0, None, False, excluded=True)],
                           left_out=(("王奶奶", "家长要求"),)),
    m.timeline_rows_prompt(S, []),
    # To a reporter outside the child's circle: the family by relation only (bot.services.incident_privacy).
    privacy.acknowledged_to_outsider(S, role="entrusted_guardian", acknowledged_at=T0),
    m.timeline_rows_prompt(S, [replace(ROW, named=False)],
                           left_out=((privacy.who("王奶奶", "mother", False), "家长要求"),)),
    *(m.ack_reply(r) for r in AckResult),
    *(notices.close_reply(r) for r in CloseResult),
]


@pytest.mark.parametrize("prompt", PROMPTS, ids=lambda p: p.message_id[:30])
def test_prompt_renders_in_both_locales(prompt: Prompt) -> None:
    prompt = Prompt.from_dict(prompt.to_dict())  # as it comes back out of the outbox
    zh = render(prompt, "zh_Hans", "Asia/Shanghai", escape=lambda s: s.replace("<", "&lt;"))
    en = render(prompt, "en", "Asia/Shanghai")
    for rendered in (zh, en):
        assert not re.search(r"\{\w+\}", rendered.text)
    # Chinese text has no English words left except the escaped user text.
    assert not re.search(r"[A-Za-z]{3,}", zh.text.replace("&lt;b>", ""))
    assert "&lt;b>" in zh.text or "放学后未回家" not in zh.text


def test_alert_names_child_kind_deadline_time_numbers_and_what_to_do() -> None:
    zh = render(m.alert_prompt(S, due_by=T0 + timedelta(minutes=30), now=T0, family=True), "zh_Hans")
    assert zh.text.startswith("突发事件：张三（未分班），走失，紧急。")
    # The deadline as the clock time in the school's zone, never "within 30 minutes" (issue 6, item 5).
    assert "请于2026年11月30日 09:30前确认收到。" in zh.text and "分钟内" not in zh.text
    assert "学校电话：0851 8522 1234" in zh.text and "报告人李老师：138 0000 0001" in zh.text
    assert "您需要做的：请马上看看孩子是否在家" in zh.text
    # Channel-neutral: on channels with numbered replies there is no button to click.
    assert "点击" not in zh.text
    assert zh.choices == (("确认收到", "ack:7"),)
    en = render(m.alert_prompt(S, due_by=T0 + timedelta(hours=1, minutes=28), now=T0, family=False), "en")
    assert "Please acknowledge by Nov 30, 2026 10:28." in en.text and "within" not in en.text
    assert "What to do" not in en.text  # officials are not told what the family should do
    assert en.choices == (("Acknowledge", "ack:7"),)


def test_a_safeguarding_alert_says_the_family_was_not_told() -> None:
    zh = render(m.alert_prompt(ABUSE, due_by=T0 + timedelta(minutes=30), now=T0, family=False), "zh_Hans").text
    assert zh.startswith("儿童保护报告（疑似虐待或忽视）：张三（三年级1班）。\n身上有淤青")
    assert "家人尚未被告知" in zh and "您需要做的" not in zh


OTHER = m.IncidentSummary(8, "张三", None, "injury", "emergency", "open", "摔伤", "李老师", T0 + timedelta(minutes=47))


@pytest.mark.parametrize(
    "build",
    [
        lambda s: m.missed_prompt(s, name="张母", role="mother", step_no=2, due_by=T0 + timedelta(hours=2), phone=None),
        lambda s: m.unreachable_prompt(s, name="王奶奶", role="entrusted_guardian", phone=None),
        lambda s: m.acknowledged_prompt(s, name="张父", role="father", acknowledged_at=T0 + timedelta(hours=1)),
    ],
    ids=["missed", "unreachable", "acknowledged"],
)
def test_notices_tell_two_incidents_of_one_child_apart(build) -> None:
    # Two open incidents about the same child: the notice names the incident's kind and report time.
    first = render(build(S), "zh_Hans", "Asia/Shanghai").text
    second = render(build(OTHER), "zh_Hans", "Asia/Shanghai").text
    assert first != second
    assert "走失" in first and "09:00" in first
    assert "受伤" in second and "09:47" in second
    en = render(build(OTHER), "en", "Asia/Shanghai").text
    assert "injury" in en and "9:47" in en


@pytest.mark.parametrize(("left", "clock"), [(60, "09:01"), (299, "09:04")])
def test_an_alert_with_minutes_left_says_now_and_until_when(left: float, clock: str) -> None:
    # fix9w: under 5 minutes to the deadline, "请尽快确认收到" read as "whenever you can": now, and until when.
    due_by = T0 + timedelta(seconds=left)
    zh = render(m.alert_prompt(S, due_by=due_by, now=T0, family=False), "zh_Hans", "Asia/Shanghai").text
    en = render(m.alert_prompt(S, due_by=due_by, now=T0, family=False), "en", "Asia/Shanghai").text
    assert zh.endswith(f"请现在就确认收到：回复期限是2026年11月30日 {clock}，只剩几分钟。"), zh
    assert en.splitlines()[-1].startswith("Please acknowledge now: you have until ") and "few minutes" in en
    assert "尽快" not in zh and "as soon as possible" not in en
    on_time = render(m.alert_prompt(S, due_by=T0 + timedelta(minutes=5), now=T0, family=False), "en").text
    assert on_time.endswith("Please acknowledge by Nov 30, 2026 09:05.")


@pytest.mark.parametrize("left", [-3 * 3600, 0])
def test_an_alert_sent_past_its_deadline_says_now_and_that_it_is_still_wanted(left: float) -> None:
    due_by = T0 + timedelta(seconds=left)
    zh = render(m.alert_prompt(S, due_by=due_by, now=T0, family=False), "zh_Hans", "Asia/Shanghai").text
    en = render(m.alert_prompt(S, due_by=due_by, now=T0, family=False), "en", "Asia/Shanghai").text
    assert zh.splitlines()[-1].startswith("请现在就确认收到：回复期限（") and zh.endswith("）已过，学校仍在等您回复。")
    assert en.splitlines()[-1].startswith("Please acknowledge now: the time to answer (")
    assert en.endswith("has passed, and the school still needs to hear from you.")
    assert "只剩几分钟" not in zh and "尽快" not in zh


def test_a_reporter_outside_the_childs_circle_reads_the_family_by_relation_only() -> None:
    gone = ((privacy.who("王奶奶", "mother", False), "家长要求"),)
    zh = render(m.timeline_rows_prompt(S, [replace(ROW, named=False)], manage=False, left_out=gone), "zh_Hans").text
    assert "第2步：父亲— 须于" in zh and "张父" not in zh
    assert "王奶奶" not in zh and "母亲" in zh
