"""Every incident prompt renders fully in Chinese and English: no field left open, no English left in Chinese."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.services import incident_messages as m
from bot.services.incidents import AckResult, CloseResult

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
S = m.IncidentSummary(7, "张三", None, "missing", "emergency", "open", "放学后未回家 <b>", "李老师", T0)
ROW = m.TimelineRow(3, "张父", "father", 2, T0 + timedelta(hours=1), None, None, False)

PROMPTS = [
    m.alert_prompt(S, within_seconds=1800),
    m.alert_prompt(S, within_seconds=-60),
    m.reminder_prompt(S, due_by=T0 + timedelta(minutes=30)),
    m.missed_prompt(S, name="张母", role="mother", step_no=2, due_by=T0, phone=None),
    m.unreachable_prompt(S, name="王奶奶", role="entrusted_guardian", phone="+8613900000000"),
    m.closed_prompt(S, closer="赵管理员", closed_at=T0),
    m.no_recipients_prompt(S, empty_steps=[(1, "entrusted_guardians"), (2, "parents"), (3, "officials")],
                           all_empty=True),
    m.no_recipients_prompt(S, empty_steps=[(2, "parents")], all_empty=False),
    m.timeline_rows_prompt(S, [ROW]),
    m.timeline_rows_prompt(S, []),
    *(m.ack_reply(r) for r in AckResult),
    *(m.close_reply(r) for r in CloseResult),
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


def test_alert_names_child_kind_and_deadline() -> None:
    zh = render(m.alert_prompt(S, within_seconds=1800), "zh_Hans")
    assert zh.text.startswith("突发事件：张三（未分班），走失，紧急。")
    # Channel-neutral: on channels with numbered replies there is no button to click.
    assert "请在30分钟内确认收到。" in zh.text and "点击" not in zh.text
    assert zh.choices == (("确认收到", "ack:7"),)
    en = render(m.alert_prompt(S, within_seconds=3600), "en")
    assert "Please acknowledge within 1 hour." in en.text
    assert en.choices == (("Acknowledge", "ack:7"),)


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


@pytest.mark.parametrize("within_seconds", [-3 * 3600, 0, 60, 299])
def test_a_late_alert_asks_for_an_answer_as_soon_as_possible(within_seconds: float) -> None:
    # Sent at or after its deadline, or with under 5 minutes left: no "within 1 minute".
    zh = render(m.alert_prompt(S, within_seconds=within_seconds), "zh_Hans").text
    en = render(m.alert_prompt(S, within_seconds=within_seconds), "en").text
    assert en.endswith("Please acknowledge as soon as possible.") and "within" not in en
    assert zh.endswith("请尽快确认收到。")
    assert render(m.alert_prompt(S, within_seconds=300), "en").text.endswith("Please acknowledge within 5 minutes.")
