"""What an incident alert tells the child's family to do, per kind — and per where they are.

The entrusted guardian lives with the child: the injury alert tells them the
teacher will say whether they need to come. The parents of a left-behind child
work in another province (外出务工父母, the chain's step 2): "whether you need to
come" asks the impossible and frightens, so theirs asks them to phone — the
reporting teacher and the school, whose numbers the alert carries
(:func:`bot.services.incident_messages.contact_lines`) — and, for a missing
child, the relatives and friends near home they know (found by a new-user
trial: 您是否需要过来 to a father on a building site in 深圳).
"""

from __future__ import annotations

from bot.messages.prompt import N_

ADVICE = {
    "injury": N_("Please phone the reporting teacher now: they will tell you where your child is being cared "
                 "for and whether you need to come."),
    "illness": N_("Please phone the reporting teacher now and agree who takes your child home or to a doctor."),
    "missing": N_("Please check at once whether your child is at home or with relatives or neighbours, and "
                  "phone the school with what you find. If your child cannot be found, call 110."),
    "bullying": N_("Please phone the reporting teacher, and talk calmly with your child today; the school "
                   "will follow up."),
    "other": N_("Please phone the reporting teacher now."),
}
"""An emergency, to the entrusted guardian (who lives with the child)."""

ADVICE_AWAY = {
    "injury": N_("Please phone the reporting teacher or the school now: they will tell you how your child is and "
                 "who is caring for them."),
    "illness": N_("Please phone the reporting teacher or the school now: they will tell you how your child is and "
                  "who takes them home or to a doctor."),
    "missing": N_("Please phone the school now, and phone the relatives and friends near home your child might "
                  "go to; tell the school at once what you hear."),
    "bullying": N_("Please phone the reporting teacher, and talk calmly with your child on the phone today; the "
                   "school will follow up."),
    "other": N_("Please phone the reporting teacher or the school now."),
}
"""An emergency, to the parents working away (the chain's ``Audience.PARENTS``): phone, never "come"."""

ADVICE_MINOR = N_("Nothing urgent: the teacher will tell you more. Phone them if you have questions.")


def advice(kind: str, severity: str, *, away: bool) -> str:
    """The message id of what the family should do; ``away``: the recipient is a parent working away."""
    if severity == "minor":
        return ADVICE_MINOR
    table = ADVICE_AWAY if away else ADVICE
    return table.get(kind, table["other"])
