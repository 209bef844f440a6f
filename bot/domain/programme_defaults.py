"""The programme items every school starts with, from the written care plans (pure).

The plans ask for: a letter to the parents (亲情书信) before Spring Festival and
Mid-Autumn and on the elders' birthdays; a legal / safety / mental-health
lecture every term; guardian meetings and the parent school (家长学校);
drowning-prevention education before the summer; commendation of self-reliant
children before 1 June; summer home visits (暑期家访) and the summer "十个一"
activities. Dates, offsets and delivery times are our reading of "before";
each school changes them (``guanai programme set``, ``/programme``).
"""

from __future__ import annotations

from datetime import time

from bot.domain.programme import Anchor, ItemSpec
from bot.messages.prompt import N_

DEFAULT_ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        "letter_spring_festival", N_("Letter-writing week before Spring Festival"), Anchor("festival", "春节"),
        offset_days=-21, align="monday", remind_days=3, role="class_teacher", audience="class",
        action=N_("Each child writes a letter to their parents (亲情书信); send photos of the letters to me."),
        title_is_id=True,
    ),
    ItemSpec(
        "letter_mid_autumn", N_("Letter-writing week before Mid-Autumn"), Anchor("festival", "中秋"),
        offset_days=-7, align="monday", remind_days=3, role="class_teacher", audience="class",
        action=N_("Each child writes a letter to their parents (亲情书信); send photos of the letters to me."),
        title_is_id=True,
    ),
    ItemSpec(
        "letter_elder_birthday", N_("Birthday letter to a grandparent"), Anchor("birthday", "guardian"),
        offset_days=-3, align="school_day", remind_days=2, role="class_teacher", audience="class",
        action=N_("Help the child write a birthday letter or card to the guardian."), title_is_id=True,
    ),
    ItemSpec(
        "lecture_safety", N_("Legal, safety and mental-health lecture"), Anchor("semester_start"),
        offset_days=21, align="monday", remind_days=7, role="admin", audience="school", count="attendance",
        action=N_("Hold this term's lecture for the left-behind children."), title_is_id=True,
    ),
    ItemSpec(
        "guardian_meeting", N_("Guardian meeting"), Anchor("semester_start"),
        offset_days=35, align="monday", remind_days=7, role="class_teacher", audience="guardians",
        count="attendance", action=N_("Invite the guardians of your class and record who came."), title_is_id=True,
    ),
    ItemSpec(
        "parent_school", N_("Parent school (家长学校)"), Anchor("semester_start"),
        offset_days=63, align="monday", remind_days=7, role="admin", audience="guardians", count="attendance",
        action=N_("Hold this term's parent school session for guardians and parents."), title_is_id=True,
    ),
    ItemSpec(
        "drowning_prevention", N_("Drowning-prevention education"), Anchor("semester_end", "spring"),
        offset_days=-28, align="monday", remind_days=3, role="class_teacher", audience="class",
        count="attendance", action=N_("Teach the class the drowning-prevention rules before the summer."),
        title_is_id=True,
    ),
    ItemSpec(
        "commendation_june", N_("Commendation of self-reliant children"), Anchor("date", "06-01"),
        offset_days=-1, align="school_day", remind_days=7, role="admin", audience="school",
        action=N_("Choose and commend self-reliant children before Children's Day."), title_is_id=True,
    ),
    ItemSpec(
        "summer_home_visits", N_("Summer home visits (暑期家访)"), Anchor("semester_end", "spring"),
        offset_days=7, remind_days=7, role="class_teacher", audience="class", delivery_time=time(9, 0),
        action=N_("Visit the home of each left-behind child in your class during the summer."), title_is_id=True,
    ),
    ItemSpec(
        "summer_ten_ones", N_("Summer “十个一” activities"), Anchor("semester_end", "spring"),
        offset_days=0, align="school_day", remind_days=3, role="class_teacher", audience="class",
        action=N_("Hand out the summer “十个一” list and explain it to the children."), title_is_id=True,
    ),
)
"""Seeded into a school's ``programme_items`` the first time it is planned (codes are stable)."""
