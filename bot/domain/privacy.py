"""Privacy rules as data: consent decisions and scopes, the notice's version (PIPL art. 28/31).

Everything about a child under 14 is sensitive personal information. A
guardian's recorded consent comes before anything beyond the child's name and
class is recorded or sent to the family (DESIGN.md, "Privacy"). The notice a
guardian agrees to has a version; a new version is a new notice, and the
version each answer was given to is kept with the answer.
"""

from __future__ import annotations

from enum import StrEnum

# The privacy notice's version; bump it when the notice's text or what it covers changes.
NOTICE_VERSION = "2026-12"


class ConsentDecision(StrEnum):
    """A guardian's answer to the privacy notice for one child; the latest answer is the child's status."""

    GRANTED = "granted"  # 同意
    DECLINED = "declined"  # 不同意: only name and class are kept
    WITHDRAWN = "withdrawn"  # 撤回: messages stop, records are deleted at the next purge


class ConsentStatus(StrEnum):
    """A child's consent status: the latest decision, or pending when nobody has answered yet."""

    PENDING = "pending"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ConsentChannel(StrEnum):
    """Where an answer came from: a chat channel, a paper form entered by staff, or the roster's column."""

    TELEGRAM = "telegram"
    WECHAT = "wechat"
    WECOM = "wecom"
    CONSOLE = "console"
    PAPER = "paper"  # a signed paper form, entered with ``guanai consent``
    ROSTER = "roster"  # the roster's consent column (监护人同意), at import


class ConsentScope(StrEnum):
    """What a consent covers (stored with each answer; the notice names each of them)."""

    CARE_RECORDS = "care_records"  # talk records, check-in answers, follow-up tasks
    FAMILY_MESSAGES = "family_messages"  # check-ins and news about the child to guardians and parents


ALL_SCOPES = tuple(s.value for s in ConsentScope)


def status_of(decision: str | None) -> ConsentStatus:
    """The child's status for its latest decision (None: nobody answered yet)."""
    return ConsentStatus.PENDING if decision is None else ConsentStatus(decision)


# Retention defaults (issue 10, item 4), shown in the privacy notice and applied by the daily purge.
YEARS_AFTER_LEAVING = 3  # talk records, incidents, consent answers: until the child leaves, plus this
CHECKIN_MONTHS = 12  # check-in answers and the tasks they made, after the week / the task's end


class AuditAction(StrEnum):
    """What an audit entry records: reads of a child's record and changes by staff."""

    VIEW_INCIDENT = "view_incident"  # an incident's details and timeline
    VIEW_CARD = "view_card"  # a child's card (archive)
    VIEW_TALKS = "view_talks"  # a child's talk records
    VIEW_AUDIT = "view_audit"  # the audit log of a child
    TALK_SAVED = "talk_saved"
    INCIDENT_REPORTED = "incident_reported"
    INCIDENT_CLOSED = "incident_closed"
    INCIDENT_EXCLUDED = "incident_excluded"  # someone left out of an incident's chain
    INCIDENT_READMITTED = "incident_readmitted"  # someone left out let back in
    CONSENT_RECORDED = "consent_recorded"  # a paper form entered by staff
    EXPORT = "export"
    ERASED = "erased"  # a child's record erased on request
    VIEW_PLAN = "view_plan"  # a child's individual education plan (goals, measures, notes)
    VIEW_AID = "view_aid"  # a child's aid records
    CARD_CORRECTED = "card_corrected"  # a card corrected in chat (the values are in record_changes)
    PLAN_RECORDED = "plan_recorded"  # a plan opened, noted, reviewed or closed
    AID_RECORDED = "aid_recorded"
    TASK_CLOSED = "task_closed"  # a task about a child closed with an outcome
    PHONE_REFUSED = "phone_refused"  # a guardian's new number refused: another person's of the school (break9)


AUDIT_CLI = "cli"  # the channel of actions taken with the ``guanai`` command
AUDIT_WEB = "web"  # the channel of actions taken on the dashboard
