"""A city's check-in questions built at once say exactly what one question built alone says."""

from __future__ import annotations

import json

from bot.messages.prompt import Prompt
from bot.services import checkin_messages as m


def test_questions_built_at_once_are_the_questions_built_one_by_one() -> None:
    questions = [(1, "张小明"), (42, "李 \"娜\""), (987_654, "")]

    built = m.question_payloads(questions)

    for (checkin_id, name), payload in zip(questions, built, strict=True):
        alone = m.question_prompt(checkin_id, name)
        assert payload == alone.to_dict()
        assert json.dumps(payload, ensure_ascii=False) == json.dumps(alone.to_dict(), ensure_ascii=False)
        assert Prompt.from_dict(payload) == alone  # the sender reads back the very same question
