"""The button payload codec (bot.messages.payloads): what is built decodes back; anything else is None."""

from __future__ import annotations

import pytest

from bot.domain.enums import CheckinAnswer
from bot.messages import payloads
from bot.messages.payloads import (
    MAX_ID,
    CheckinPress,
    CheckinSkip,
    FlowChoice,
    IncidentAck,
    IncidentClose,
    IncidentExclude,
    IncidentView,
    decode,
)


def test_every_payload_the_bot_builds_decodes_to_what_it_says() -> None:
    assert decode(payloads.flow_choice(7, "c12")) == FlowChoice(7, "c12")
    assert decode(payloads.flow_choice(3, "a:b")) == FlowChoice(3, "a:b")  # a value may hold a colon
    for answer in CheckinAnswer:
        assert decode(payloads.checkin_answer(42, answer)) == CheckinPress(42, answer.value)
    assert decode(payloads.checkin_skip(42)) == CheckinSkip(42)
    assert decode(payloads.incident_ack(MAX_ID)) == IncidentAck(MAX_ID)
    assert decode(payloads.incident_close(1)) == IncidentClose(1)
    assert decode(payloads.incident_view(2)) == IncidentView(2)
    assert decode(payloads.incident_exclude(3)) == IncidentExclude(3)


def test_the_wire_format_stays_as_buttons_already_sent_carry_it() -> None:
    assert payloads.flow_choice(7, "yes") == "f:7:yes"
    assert payloads.checkin_answer(42, "needs_help") == "ci:42:h"
    assert payloads.checkin_skip(42) == "cin:42:skip"
    assert (payloads.incident_ack(5), payloads.incident_close(5)) == ("ack:5", "close:5")
    assert (payloads.incident_view(5), payloads.incident_exclude(5)) == ("inc:5", "excl:5")


def test_the_codes_cover_every_checkin_answer() -> None:
    assert set(payloads.CHECKIN_CODES.values()) == {a.value for a in CheckinAnswer}


@pytest.mark.parametrize("payload", [
    None, "", "zzz", "ack", "ack:", "ack:x", "ack:0", "ack:-1", "ack:1:2", f"ack:{MAX_ID + 1}",
    "ack:99999999999999999999",
    "ack:²", "ack:١٢", "ack: 1", "close:", "inc:", "inc:x", f"excl:{MAX_ID + 1}", "excl:1:2",
    "ci:1", "ci:1:q", "ci:x:g", f"ci:{MAX_ID + 1}:g", "cin:1:maybe", "cin:1",
    "f:", "f:abc", "f:1", "f:1:", "f:-1:yes", f"f:{MAX_ID + 1}:yes", "f:²:yes", "x" * 65, "ack:" + "1" * 61,
])
def test_anything_malformed_or_out_of_range_is_none(payload: str | None) -> None:
    assert decode(payload) is None


def test_ids_beyond_postgresql_integer_cannot_be_encoded_either() -> None:
    for build in (payloads.incident_ack, payloads.incident_close, payloads.incident_view, payloads.incident_exclude,
                  payloads.checkin_skip, payloads.child_value):
        with pytest.raises(ValueError):
            build(MAX_ID + 1)
        with pytest.raises(ValueError):
            build(0)
    with pytest.raises(ValueError):
        payloads.checkin_answer(1, "excellent")
    with pytest.raises(ValueError):
        payloads.flow_choice(1, "")
    with pytest.raises(ValueError):
        payloads.flow_choice(1, "x" * 62)  # over Telegram's 64 bytes


def test_child_values_decode_only_in_range() -> None:
    assert payloads.decode_child_value(payloads.child_value(31)) == 31
    for value in ("c", "c0", "cx", "31", f"c{MAX_ID + 1}", "c²"):
        assert payloads.decode_child_value(value) is None
