"""A plan's review task never opens a child to a caring-parent volunteer who is not paired with the child.

Breaker4: a class teacher named an unpaired village volunteer (赵妈妈) as the responsible person of 张三's
education plan; on the review day the review task, assigned to her, opened 张三's card with the guardian's phone.
An open task opens a card's contact part only to the school's own staff (bot.services.access.TASK_ACCESS_ROLES).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Role
from bot.services import plans
from bot.store.models import Child, Person, PersonRole
from tests.flows.test_card import school  # noqa: F401
from tests.support.chat import Chat
from tests.support.school import add_account

PHONE = "138 0013 6956"


def test_a_plan_review_task_does_not_open_the_card_to_an_unpaired_volunteer(
        flows, school, uow_factory, clock):  # noqa: F811
    with uow_factory() as uow:
        volunteer = Person(school_id=school.school_id, name="赵妈妈", natural_key="t:vol")
        volunteer.roles = [PersonRole(role=Role.CARING_PARENT.value)]
        uow.session.add(volunteer)
        uow.session.flush()
        add_account(uow.session, volunteer.id, "4001", channel="telegram", bound_at=clock.now())
        uow.commit()
        volunteer_id = volunteer.id
    zhao = Chat(flows, "4001")
    # The chat no longer lets a class teacher name her (fix9c, tests/flows/test_plan_responsible9c.py); a plan
    # imported with her (no actor) still must not open the card to her.
    with uow_factory() as uow:
        child = uow.session.scalar(select(Child.id).where(Child.name == "张三"))
        assert plans.open_plan(uow, None, child_id=child, goals=["按时完成作业"], measures=["每周谈心"],
                               people=[volunteer_id], first_review=date(2026, 12, 15), now=clock.now())
        uow.commit()
    with uow_factory() as uow:
        assert plans.remind_reviews(uow, now=datetime(2026, 12, 15, 1, 0, tzinfo=UTC),
                                    settings=Settings(database_url="sqlite://"))
        uow.commit()
    clock.set(datetime(2026, 12, 15, 2, 0, tzinfo=UTC))
    zhao.send("/card 张三")
    assert PHONE not in zhao.text and "张爷爷" not in zhao.text, zhao.text
