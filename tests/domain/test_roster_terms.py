"""The registration form's fixed vocabularies: which roster words are terms, and how a reader reads them."""

from __future__ import annotations

import pytest

from bot.domain.roster_terms import TERMS, term_param, terms
from bot.i18n import gettext, render
from bot.messages.prompt import Prompt


def _read(field: str, value: str, locale: str) -> str:
    return render(Prompt("{value}", {"value": term_param(field, value)}), locale, "Asia/Shanghai").text


@pytest.mark.parametrize(("field", "value", "en", "zh"), [
    ("gender", "男", "male", "男"),
    ("ethnicity", "布依族", "Bouyei", "布依族"),
    ("ethnicity", "汉", "Han", "汉族"),  # written without 族
    ("health", "患病", "ill", "患病"),
    ("left_behind_type", "父母均外出", "both parents away", "父母双方外出"),  # a variant of the form's term
    ("left_behind_type", "母亲外出、父亲无监护能力", "mother away, father unable to guard", "母亲外出、父亲无监护能力"),
    ("guardianship_assessment", "较好", "fairly good", "较好"),
    ("family_income", "打工收入，种养殖业", "wages from work away, farming and livestock", "打工收入、种养殖业"),
    ("aid", "享受低保 / 医疗救助", "receives the minimum living allowance, medical assistance", "享受低保、医疗救助"),
    ("schooling", "辍学/失学", "dropped out or out of school", "辍学/失学"),
    ("gender", "　女 ", "female", "女"),  # full-width space around it
])
def test_a_term_is_read_in_the_readers_language(field, value, en, zh):
    assert _read(field, value, "en") == en
    assert _read(field, value, "zh_Hans") == zh


@pytest.mark.parametrize(("field", "value"), [
    ("health", "患病（哮喘）"),  # the school's own words about the child
    ("aid", "享受低保、村里送米"),  # one part is no term: the whole cell as typed
    ("address", "青山村2组"),  # no vocabulary for the field
    ("ethnicity", "穿青人"),
])
def test_anything_else_is_shown_as_typed(field, value):
    assert terms(field, value) is None
    assert _read(field, value, "en") == value


def test_every_terms_chinese_is_a_word_of_its_own_list():
    """A Chinese reader sees one of the form's own words, never a word the form does not use."""
    for field, vocabulary in TERMS.items():
        for term in set(vocabulary.values()):
            assert gettext("zh_Hans", term) in vocabulary, (field, term)
