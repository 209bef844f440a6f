"""What the monthly news may say: the talk card's ratings, never its note, safety concern or follow-up."""

from __future__ import annotations

from bot.domain import family_news
from bot.i18n import render
from bot.messages.prompt import Prompt


def _say(stored, note=None, locale="zh_Hans") -> str:
    lines = family_news.lines(stored, child="张小明", teacher="王老师", note=note)
    return render(Prompt("-", lines=lines), locale).text


def test_only_the_shareable_parts_of_a_talk_card_are_kept() -> None:
    card = {"mood": "good", "study": "poor", "daily_life": None, "note": "SECRET", "safety_concern": True,
            "follow_up": True}
    facts = family_news.facts(talk=card, talks=2, checkins_answered=3, checkin_weeks=4,
                              activities=[("家长会", False)], letters=1)
    assert facts["ratings"] == {"mood": "good", "study": "poor"}
    assert "SECRET" not in repr(facts)
    shown = _say(facts)
    assert "心情：很好" in shown and "学习：需要多关心" in shown and "生活" not in shown
    assert "4 周中回复了 3 周" in shown and "谈心 2 次" in shown and "家长会" in shown and "1 封" in shown


def test_stored_fields_beyond_the_shareable_ones_are_never_said() -> None:
    shown = _say({"ratings": {"note": "good", "mood": "excellent"}, "note": "SECRET"}, locale="en")
    assert "SECRET" not in shown and shown.endswith("A quiet month: nothing special to report.")


def test_the_teachers_own_line_is_signed() -> None:
    assert _say({}, note="天冷了，请多打电话。").endswith("班主任王老师：天冷了，请多打电话。")


def test_in_english_one_talk_is_one_time_and_one_week_is_one_week() -> None:
    """aid9d: the parents' news counts in plural forms: "1 time", "2 times", "1 of 1 week" (never "time(s)")."""
    def shown(stored: dict, locale: str = "en") -> str:
        return _say(stored, locale=locale)

    once = shown({"talks": 1, "checkins": {"weeks": 1, "answered": 1}})
    assert "Teachers talked with 张小明 1 time this month." in once
    assert "Weekly contact with the family at home: 1 of 1 week answered." in once
    twice = shown({"talks": 2, "checkins": {"weeks": 4, "answered": 3}})
    assert "2 times this month." in twice and "3 of 4 weeks answered." in twice
    assert "本月老师与张小明谈心 1 次。" in shown({"talks": 1}, "zh_Hans")
