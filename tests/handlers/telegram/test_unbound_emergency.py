"""Emergency words from a chat bound to nobody get 110 / 120 and the school's phone, then the bind prompt.

Someone who found the bot without an invite code — a neighbour, a child, a grandmother whose code is lost —
and writes ``救命`` or ``孩子不见了`` must not get only "please bind first". Nobody at the school can be told
(we do not know who writes), so the answer is what to do now and whom to phone, in the chat's language.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.clock import ManualClock
from bot.store.models import School
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import running_school
from tests.support.school import ChainSchool

STRANGER = 8_200_000_000_777
BIND_FIRST_ZH = "请先绑定账号"


def _school_phone(session: Session, _school: ChainSchool) -> None:
    session.query(School).one().phone = "+8607930000000"


async def test_an_unbound_chat_asking_for_help_gets_the_emergency_numbers_in_its_language(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock, change=_school_phone) as bot:

        first, then = await bot.say(STRANGER, "救命", 2)
        assert first.text.splitlines() == ["紧急情况请马上拨打120（急救）或110（报警）。", "学校电话：0793 000 0000"]
        assert then.text.startswith(BIND_FIRST_ZH)

        first, then = await bot.say(STRANGER, "孩子不见了", 2)
        assert first.text.splitlines()[0].startswith("如果孩子走失或有危险")
        assert "110" in first.text and "学校电话：0793 000 0000" in first.text
        assert then.text.startswith(BIND_FIRST_ZH)

        first, then = await bot.say(STRANGER, "我孙子被打了", 2)  # a child hurt by someone: 110 first (fix6af)
        assert first.text.splitlines()[:2] == ["如果孩子被人打伤或还有危险，请马上拨打110报警；伤得重请拨打120。",
                                               "紧急情况请马上拨打120（急救）或110（报警）。"]

        # In English (the phone's language), "help" gives the numbers and then what the bot can do.
        botapi.inject_text(STRANGER, "help", language_code="en")
        first, then = await bot.replies(STRANGER, 2)
        assert first.text.splitlines() == ["In an emergency call 120 (ambulance) or 110 (police) now.",
                                           "School phone: 0793 000 0000"]
        assert "/start CODE" in then.text

        # A bind command is a bind command, whatever its code spells.
        [wrong] = await bot.say(STRANGER, "/start abcSOSx救命", 1)
        assert wrong.text == "邀请码不正确，请核对后重新发送 /start 加邀请码。"

        # Words that are no emergency get only the bind prompt, as before.
        [plain] = await bot.say(STRANGER, "你好", 1)
        assert plain.text.startswith(BIND_FIRST_ZH)
