"""A programme reminder counts its children in the reader's language: 1 child, 2 children (fig9h, issue 9)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import render
from bot.services.programme_tasks import reminder_prompt
from bot.store.models import ProgrammeItem


@pytest.mark.parametrize(("role", "count", "locale", "said"), [
    ("helper_teacher", 1, "en", "家访 starts December 3, 2026: 1 child paired with you."),
    ("helper_teacher", 2, "en", "家访 starts December 3, 2026: 2 children paired with you."),
    ("class_teacher", 1, "en", "家访 starts December 3, 2026: 1 child in your class."),
    ("admin", 1, "en", "家访 starts December 3, 2026: 1 left-behind child in the school."),
    ("helper_teacher", 1, "zh_Hans", "家访将于2026年12月3日开始：与您结对的儿童有 1 名。"),
])
def test_the_reminder_says_1_child(role, count, locale, said) -> None:
    item = ProgrammeItem(title="家访", title_is_id=False, role=role, action="")
    assert render(reminder_prompt(7, item, date(2026, 12, 3), count), locale).text.splitlines()[0] == said
