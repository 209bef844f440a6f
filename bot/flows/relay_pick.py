""""Which child is your message about?" that fits a cheap phone (issue 6 leftover, fix6m).

A caring-parent volunteer (爱心家长) paired with 21 children who writes
``她奶奶住院了没人管她做作业`` was shown all 21 as one numbered line — unreadable
on a small screen, and the name he then typed was not even taken (only his own
children were compared). So the question lists the children only while they
are few (:data:`MAX_LISTED`); with more, it lists those with something open
for him (an open task about the child) when they are few, and otherwise asks
him to type the child's name. A name typed always answers, among every child he
may write about (:func:`bot.flows.family_notes.at_pick_child`).
"""

from __future__ import annotations

from bot.domain.enums import RelationKind
from bot.flows.common import Ctx, Option
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import tasks
from bot.services.family_messages import FamilyChild

MAX_LISTED = 6
"""More children than this are not listed one by one: a long numbered line is unreadable on a cheap phone."""

WHICH_CHILD = N_("Which child is your message about?")
OR_TYPE = N_("Which child is your message about? Reply with the number, or type the child's name.")
TYPE_NAME = N_("Which child is your message about? Please type the child's name.")
BOTH = N_("Both")
ALL = N_("All of them")
ALL_VALUE = "all"


def child_option(child: FamilyChild) -> Option:
    """A child as a numbered choice: "刘婷婷（一年级（3）班）"."""
    if child.class_name:
        return Option(N_("{name} ({class_name})"), payloads.child_value(child.id),
                      {"name": text(child.name), "class_name": text(child.class_name)})
    return Option(N_("{name}"), payloads.child_value(child.id), {"name": text(child.name)})


def shortlist(ctx: Ctx, children: list[FamilyChild]) -> list[FamilyChild]:
    """The children worth listing: all while few, else those with an open task for the writer (if few), else none."""
    if len(children) <= MAX_LISTED:
        return children
    actor = ctx.bound()
    open_about = {(v.child_name, v.class_name) for v in tasks.open_tasks(ctx.uow, person_id=actor.person_id,
                                                                          now=ctx.now) if v.child_name}
    found = [c for c in children if (c.name, c.class_name) in open_about]
    return found if len(found) <= MAX_LISTED else []


def ask(ctx: Ctx, flow: str, state: str, children: list[FamilyChild]) -> Prompt:
    """Ask which child (``ctx.conv.data`` already holds the message): listed, shortlisted, or "type the name"."""
    listed = shortlist(ctx, children)
    if listed is children:
        together = Option(BOTH if len(children) == 2 else ALL, ALL_VALUE)  # 都有关: each child's teacher reads it
        # A volunteer's words are about one of his paired children ("她…"): no "all of them" to twenty teachers.
        alls = [] if children[0].relation == RelationKind.CARING_PARENT.value else [together]
        return ctx.ask(flow, state, WHICH_CHILD, options=[*(child_option(c) for c in children), *alls],
                       free_text=True)
    return ctx.ask(flow, state, OR_TYPE if listed else TYPE_NAME, options=[child_option(c) for c in listed],
                   free_text=True)
