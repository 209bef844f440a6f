"""A family member's words of concern about another family's child reach that child's class teacher (fix6ad).

李雪, grandmother of 刘婷婷 and 刘帅, writes ``杨秀云需要帮助``. Her words must not be lost on 杨秀云, nor may
her reply tell her that 杨秀云 is a child of the school (a name that is no child gets the very same reply):
so she is answered exactly as for any message of hers (her children's class teacher reads it, as she is told),
and a copy goes, without a word to her, to the named child's class teacher, labelled as from 李雪, who is
not that child's guardian or parent, with her phone and a Reply. Nothing about the other child is said to her
unless that teacher answers her. See docs/flows/relay.md ("Words about another family's child"),
docs/privacy.md.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from bot.domain.emergency_words import EmergencyKind
from bot.domain.enums import Priority
from bot.messages.prompt import N_, dt, text
from bot.services import family_about, other_children
from bot.services.family_messages import family_children, kept, message_prompt, reader_of
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import FamilyMessage, Person

log = logging.getLogger(__name__)

# The header says plainly whose family she is and whose she is not (fix6ag: "李雪（杨秀云的非亲属，一年级（1）班）"
# read as if she were somehow 杨秀云's, and the class named was 杨秀云's own, not hers).
NOT_THEIRS = N_("{name} (family of {own}, not of {child}) writes:")
# Emergency words about the child (隔壁杨秀云被她爷爷打了 at 22:30, trial B3) go at once, as any emergency: never
# held for quiet hours, with what to do.
NOT_THEIRS_URGENT = N_("URGENT ({when}) — {name} (family of {own}, not of {child}) writes:")
# What the writer was told to do, said of the writer: the child's own family was told nothing (the hints of
# bot.services.urgent_messages say "the family was told …", untrue here, fix6an), and the teacher phones the writer.
WRITER_TOLD = {
    EmergencyKind.MEDICAL: N_("It may be a medical emergency: {name}, who wrote this, was told to call 120."),
    EmergencyKind.FIRE: N_("There may be a fire: {name}, who wrote this, was told to call 119 (and 120 if anyone is "
                           "hurt)."),
    EmergencyKind.POLICE: N_("A child may be missing or in danger: {name}, who wrote this, was told to call 110."),
    EmergencyKind.HARM: N_("A child may have been hurt by someone: {name}, who wrote this, was told to call 110 if the "
                           "child is in danger and 120 if badly hurt. If it may be harm at home, report it as "
                           "suspected abuse or neglect: the child's family is then not notified."),
    EmergencyKind.HELP: N_("A sick child who may not be getting to a doctor: please arrange help today. {name}, who "
                           "wrote this, was told to call 120 if the child gets worse."),
    EmergencyKind.URGENT: N_("{name}, who wrote this, was told to call 120 or 110 if needed."),
}
PHONE_WRITER = N_("Please phone {name} now. To report an incident: /incident {child}")


def pass_on(uow: UnitOfWork, *, from_person_id: int, words: str, channel: str | None, now: datetime,
            kind: EmergencyKind | None = None) -> int:
    """Send ``words`` to the class teacher of each other child they name by full name; returns how many went.

    Quiet hours are kept (BULK) as for any family message, unless ``kind`` says they are an emergency: then
    URGENT, 【紧急】, with that kind's hint and how to report. The writer is told nothing here.
    """
    s = uow.session
    writer = s.get(Person, from_person_id)
    if writer is None:
        return 0
    sent = 0
    own = [c.name for c in family_children(uow, from_person_id)]
    for child in other_children.named(uow, from_person_id, words):
        reader = reader_of(uow, child)
        if reader is None:
            continue
        row = FamilyMessage(kind="message", from_person_id=from_person_id, to_person_id=reader[0],
                            child_id=child.id, body=kept(words), channel=channel, created_at=now)
        s.add(row)
        s.flush()
        family_about.link(uow, row.id, [child.id])
        prompt = message_prompt(uow, row, child, writer)
        header = {"name": text(writer.name), "child": text(child.name), "own": [text(n) for n in own]}
        shown = replace(prompt, message_id=NOT_THEIRS, params=header)
        if kind is not None:
            shown = replace(shown, message_id=NOT_THEIRS_URGENT, params={**header, "when": dt(now)},
                            lines=(*shown.lines, (WRITER_TOLD[kind], {"name": text(writer.name)}),
                                   (PHONE_WRITER, {"name": text(writer.name), "child": text(child.name)})))
        enqueue(s, key=f"family:{row.id}:to:{reader[0]}", person_id=reader[0], prompt=shown,
                priority=Priority.URGENT if kind is not None else Priority.BULK, now=now, child_id=child.id)
        log.info("family message %s from person %s about another family's child %s passed to person %s",
                 row.id, from_person_id, child.id, reader[0])
        sent += 1
    return sent
