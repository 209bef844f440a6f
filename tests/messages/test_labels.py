"""The one table of labels (bot.messages.labels) covers every role, relation and channel."""

from __future__ import annotations

from bot.domain.enums import Channel, RelationKind, Role
from bot.i18n import gettext
from bot.messages.labels import CHANNEL_LABELS, RELATION_LABELS, ROLE_LABELS, role_label


def test_every_enum_value_has_a_label() -> None:
    assert set(ROLE_LABELS) == {r.value for r in Role}
    assert set(RELATION_LABELS) == {k.value for k in RelationKind}
    assert set(CHANNEL_LABELS) == {c.value for c in Channel}
    assert ROLE_LABELS[Role.ADMIN] == ROLE_LABELS["admin"]  # a StrEnum member finds its entry


def test_one_word_per_role_in_both_languages() -> None:
    assert gettext("zh_Hans", ROLE_LABELS["admin"]) == "管理员"
    assert gettext("zh_Hans", ROLE_LABELS["parent"]) == "外出务工父母"
    assert gettext("en", ROLE_LABELS["parent"]) == "parent working away"


def test_the_chain_names_a_relation_before_a_role() -> None:
    assert role_label("father") == "father"
    assert role_label("entrusted_guardian") == role_label("guardian") == "entrusted guardian"
    assert role_label("education_bureau") == "education bureau"
    assert role_label("janitor") is None
