"""A guardian's or parent's words after the report command (``报告 杨秀云发烧了``) reach the class teacher.

Incident reports are for school staff, but what a family member wrote after
the command word is still a message about their child: nothing said is dropped
(DESIGN.md, "Conversations"). It goes on like any other family message
(:func:`bot.flows.relay.pass_on`: the class teacher, or "which child?" first),
and the writer also reads that incidents are reported by staff, with the
emergency numbers.
"""

from __future__ import annotations

import re

from bot.flows import agenda as agenda_flow
from bot.flows import checkin_worry, relay, to_teacher
from bot.flows.common import Ctx
from bot.messages.prompt import Prompt

_LONE_NAME = re.compile(r"[^\W\d_]{2,4}")
"""Words after the command that are one name-like word (``杨秀云``, ``王小明``) and nothing more."""


def words_after_report(ctx: Ctx, words: str, numbers: Prompt) -> list[Prompt]:
    """What a family member who typed ``报告 <words>`` reads; ``numbers``: "incidents are reported by staff …".

    Without words (``报告`` alone, or only their child's name) only ``numbers``. A "which child?" question
    asked by the relay comes last: it is the one a typed number answers.
    """
    if not words.strip() or words.strip() in {c.name for c in relay.writes_about(ctx)}:
        return [numbers]  # 报告 杨秀云: their child's name alone says no more than the numbers answer
    if to_teacher.address_only(ctx, words) or to_teacher.address_only(ctx, ctx.typed):
        return [numbers, to_teacher.ask(ctx)]  # 报告老师！: her message comes next, asked for (fix6ad)
    said = to_teacher.strip_address(words, after_command=True)  # 报告老师，孩子发烧了: 孩子发烧了
    if _LONE_NAME.fullmatch(said) and ctx.typed.strip():
        # 报告 杨秀云 from a family not hers: "杨秀云" alone would read as news of her own children, so the teacher
        # reads what she typed. Nothing is looked up: her answer is the same whether such a child exists or not.
        said = ctx.typed.strip()
    passed = pass_words(ctx, said)
    if not passed:
        return [numbers]
    if any(p.choices for p in passed):
        return [numbers, *passed]
    return [*passed, numbers]


def pass_words(ctx: Ctx, said: str) -> list[Prompt] | None:
    """A family member's words for the teacher: the waiting check-in's "needs help" when they worry, else passed on.

    (Also her words after "您想告诉老师什么？", :mod:`bot.flows.to_teacher`.)
    """
    worry = _at_checkin(ctx, said)  # 报告 孩子发烧了 while "这周过得怎么样？" waits: "needs help", never "good" later
    return worry if worry is not None else relay.pass_on(ctx, said)


def _at_checkin(ctx: Ctx, words: str) -> list[Prompt] | None:
    """Worry words (``孩子发烧了``) while a check-in question (or its "是说…很好吗？") waits: its "needs help".

    Passed on as a plain message, the check-in stayed open and the next ``好的`` recorded "很好" with the helper
    teacher never told (fix6t, a breaker's trial). So the words answer the waiting check-in as they would typed
    without ``报告`` (:mod:`bot.flows.checkin_worry`): the helper teacher's task, the class teacher reads them.
    None: no check-in question waits, or the words hold no worry.
    """
    for entry in agenda_flow.waiting(ctx):
        if entry.get("held_child") is not None:  # held back under the child's emergency: not asked now
            continue
        worry = checkin_worry.at_checkin(ctx, agenda_flow.offer_choices(entry), words)
        if worry is not None:
            return worry
    return None
