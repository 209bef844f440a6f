"""Any reply from an alerted person proves they were reached (DESIGN.md "Conversations", issue 6 item 3).

The runner hands every update of a bound person through :func:`handle`. While
an incident alert of theirs is waiting (:func:`bot.services.incident_replies.waiting`):

* text that is neither a command, a number nor an answer to a running flow
  (``收到``, ``好的，我马上去学校``, ``孩子在哪个医院？``) is their answer to
  the alert: it acknowledges the step, and unless it only says "received" the
  words reach the reporting teacher;
* anything else typed (a number, a note for a running flow) is handled as
  usual, and the alert is acknowledged as well — they were reached;
* a command (``/report``, ``/me``, a mistyped ``/hlep`` too) is handled as usual and
  acknowledges nothing: it asks the bot for something, it does not answer the alert.
  So is a recognised slip of a command word (``帮主`` for 帮助, ``谈新 杨秀云``)
  and the answer to its "did you mean …?" question: a confused grandmother looking
  for help has not answered the alert. That is the safer reading for the child:
  the step stays unacknowledged (the chain goes on at its times) and the alert is
  asked again, with its choices, right after the help, so one word answers it;
* a family member's emergency words (``救命``, ``孩子抽筋了``, a bare ``120`` / ``110`` / ``119``) are the
  emergency (:mod:`bot.flows.emergency`: the advice, 【紧急】 to the class teacher), and acknowledge the alert
  as well; the question waiting under it (a check-in) is held back, so a panicked ``1`` records nothing;
* but ``取消`` / ``/cancel`` while the alert is the question shown means "received,
  nothing more" (an alert cannot be cancelled): the alert shown is acknowledged, the
  word is passed to nobody, and it never cancels an older question waiting under
  it, which is asked again, named, afterwards.

Every reply answers the alert shown only (one question at a time): a second alert
sent meanwhile, queued behind it, was never read with its choices, so it stays
unacknowledged (its chain goes on) until it is asked, named, and answered — unless the words name its child
(``Tingting is with me, Shuai is not``): with alerts about two of her children waiting, words go to the
incident of each child they name, and words naming neither ask which child (:mod:`bot.flows.alert_which`).

A button answers only its own question (the alert's own button acknowledges).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.domain import agenda
from bot.flows import agenda as agenda_flow
from bot.flows import (
    agenda_held,
    alert_notice,
    alert_which,
    all_clear,
    all_clear_split,
    all_clear_words,
    checkin_amend,
    emergency,
    family_notes,
    intent,
    slips,
)
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_messages, incident_replies

ACKED = alert_notice.ACKED
_notice = alert_notice.notice
_answered = alert_notice.answered


def handle(ctx: Ctx, typed: str | None, dispatch: Callable[[], list[Prompt]]) -> list[Prompt]:
    """Handle one update of a person who may have alerts waiting.

    Args:
        ctx: the update (its actor may be None: then ``dispatch`` alone runs).
        typed: the typed text, or None for a button press.
        dispatch: the runner's usual handling of the update.
    """
    actor = ctx.actor
    if typed is not None and ctx.conv.flow == alert_which.FLOW and intent.command(ctx, typed) is None \
            and not emergency.is_family_emergency(ctx, typed):
        return alert_which.on_text(ctx, typed) or dispatch()  # "which child are your words about?" answered
    shown = _shown_alerts(ctx, incident_replies.waiting(ctx.uow, person_id=actor.person_id)) if actor else []
    if actor is None or typed is None or not shown:
        return dispatch()  # a button answers its own question only (the ack button acknowledges)
    if ctx.conv.flow == slips.FLOW and not slips.answering(ctx, typed):
        slips.dismiss(ctx)  # "did you mean 帮助?" passed over: the alert under it is the question shown again
    if emergency.is_family_emergency(ctx, typed):
        return _emergency(ctx, shown, dispatch, typed.strip())
    parsed = intent.command(ctx, typed)
    if parsed is not None and parsed[0] == "cancel" and _alert_is_current(ctx):
        return _cancel_at_alert(ctx, shown)
    if (parsed is not None or slips.looks_like_command(typed) or slips.answering(ctx, typed)
            or slips.slip_of(ctx, typed) is not None):
        # /report, /me, a slip (帮主 — did you mean 帮助?) and its answer: the bot was asked for something; the
        # alert was not answered. It stays waiting (its chain goes on) and is asked again after the answer.
        return dispatch()
    number = typed_answers.number(typed)
    top = agenda_flow.current(ctx)
    if number is not None and _alert_is_current(ctx) and top is not None \
            and not 1 <= number <= len(top.get("payloads") or ()) and not emergency.is_family_number(ctx, typed):
        # Any number at the alert (``3``, meant for the check-in under it) proves they were reached: it is
        # their answer to the alert, not an invalid choice as well (never both, found by a breaker).
        done = incident_replies.acknowledge_reply(ctx.uow, person_id=actor.person_id, words=None, now=ctx.now,
                                                 only=shown)
        if done.acknowledged:
            _answered(ctx, done.acknowledged)
            notice = _notice(ctx, done)  # which question it answered, and that the number was no choice of it
            return [replace(notice, lines=(*notice.lines, (NOT_A_CHOICE, {"number": text(str(number))})))]
    cleared = _split_at_alert(ctx, shown, typed.strip()) or _all_clear_at_alert(ctx, shown, typed.strip())
    if cleared is not None:
        return cleared
    many = alert_which.at_alerts(ctx, typed.strip(), incident_replies.waiting(ctx.uow, person_id=actor.person_id)) \
        if _answers_the_alert(ctx, typed.strip()) else None
    if many is not None:  # alerts about two of her children wait: the words go to the child they name (fix6x)
        return many
    if _answers_the_alert(ctx, typed.strip()):
        words = None if everyday.is_acknowledgement(ctx.locale, typed) else typed.strip()
        amend = checkin_amend.at_alert(ctx, words) if words is not None else None
        if amend is not None:  # 不对，是需要帮助: her check-in corrected, not a reply on the incident (fix6as)
            return _amend_at_alert(ctx, shown, amend)
        elsewhere = _about_other_child(ctx, words, shown)
        # 收到 with two alerts on her screen (the second sent without its choices): both read, both acknowledged.
        seen = shown if words is not None else _seen_alerts(ctx, incident_replies.waiting(
            ctx.uow, person_id=actor.person_id))
        done = incident_replies.acknowledge_reply(ctx.uow, person_id=actor.person_id, now=ctx.now, only=seen,
                                                 words=None if elsewhere else words)
        if done.acknowledged:
            _answered(ctx, done.acknowledged)
            # Words naming another child of hers (婷婷发烧了 at 刘帅's alert) reach that child's class teacher,
            # once: not as a reply on 刘帅's incident as well (the teacher read them twice: fix6q).
            also = family_notes.alert_words(ctx, words, list(done.children))
            if elsewhere:
                also = [(OTHER_CHILD_PASSED, params) for _, params in also]
            notice = _notice(ctx, done)
            also = [*also, *family_messages.cut_line(words)] if done.readers else also  # never cut silently
            return [replace(notice, lines=(*notice.lines, *also)) if also else notice]
    prompts = dispatch()
    done = incident_replies.acknowledge_reply(ctx.uow, person_id=actor.person_id, words=None, now=ctx.now,
                                                 only=shown)
    _answered(ctx, done.acknowledged)
    return [*_without_alerts(prompts, done.acknowledged), _notice(ctx, done)] if done.acknowledged else prompts


def _amend_at_alert(ctx: Ctx, shown: list[int], amend: checkin_amend.AtAlert) -> list[Prompt]:
    """The alert acknowledged, and the check-in correction in her words offered: "change it to 需要帮助?".

    The words correct her check-in: the reporter reads the acknowledgement, not them; the change is asked, one
    tap, so that a correction is never lost and never made behind her back.
    """
    done = incident_replies.acknowledge_reply(ctx.uow, person_id=ctx.bound().person_id, words=None, now=ctx.now,
                                             only=shown)
    _answered(ctx, done.acknowledged)
    asked = checkin_amend.offer(ctx, amend)
    return [_notice(ctx, done), asked] if done.acknowledged else [asked]


OTHER_CHILD_PASSED = N_("Your words about {child} were passed to {reader} ({role}).")


def _about_other_child(ctx: Ctx, words: str | None, shown: list[int]) -> bool:
    """Whether ``words`` name one child of the writer's other than the alerts' children (``婷婷发烧了``)."""
    child = family_notes.named(ctx, words)
    return child is not None and child.id not in {incident_replies.child_of(ctx.uow, i) for i in shown}


def _all_clear_at_alert(ctx: Ctx, shown: list[int], typed: str) -> list[Prompt] | None:
    """``杨秀云没事了`` as the answer to her alert: acknowledged, and passed on as the all clear it is (issue 6).

    The father far away whose first reply is the all clear is no mere "replied to the alert": everyone the
    incident reached reads it, and the reporter's copy offers the close, as after an acknowledgement.
    """
    if not _answers_the_alert(ctx, typed) or everyday.is_question(typed):
        return None
    children = family_messages.family_children(ctx.uow, ctx.bound().person_id)
    said = all_clear_words.said(ctx.locale, typed, [(c.id, c.name) for c in children])
    if said is None:
        return None
    about = [i for i in shown if incident_replies.child_of(ctx.uow, i) in said.child_ids]
    if not about:
        return None
    done = incident_replies.acknowledge_reply(ctx.uow, person_id=ctx.bound().person_id, words=None, now=ctx.now,
                                             only=about)
    if not done.acknowledged:
        return None
    _answered(ctx, done.acknowledged)
    return [_notice(ctx, done), *(all_clear.all_clear(ctx, typed) or [])]


def _split_at_alert(ctx: Ctx, shown: list[int], typed: str) -> list[Prompt] | None:
    """``刘帅没事了，婷婷还没找到`` at 婷婷's alert: her alert acknowledged with her words, 刘帅's all clear passed on.

    Each alert shown is acknowledged with the words about its child (none when they are its all clear, which
    follows as such; the whole reply when they do not name the child); the other children's words go where
    :func:`bot.flows.all_clear_split.pass_on` sends them (fix6g).
    """
    if not _answers_the_alert(ctx, typed):
        return None
    found = all_clear_split.split(ctx, typed, alerted=shown)
    if found is None:
        return None
    out: list[Prompt] = []
    done: set[int] = set()
    for incident_id in shown:
        child_id = incident_replies.child_of(ctx.uow, incident_id)
        cleared = child_id in found.clears
        words = found.words(child_id) if child_id is not None else None
        reached = incident_replies.acknowledge_reply(ctx.uow, person_id=ctx.bound().person_id,
                                                     words=None if cleared else words or typed, now=ctx.now,
                                                     only=[incident_id])
        if reached.acknowledged:
            _answered(ctx, reached.acknowledged)
            out.append(_notice(ctx, reached))
            if not cleared and child_id is not None:
                done.add(child_id)
    return [*out, *all_clear_split.pass_on(ctx, found, done=done)]


def _emergency(ctx: Ctx, shown: list[int], dispatch: Callable[[], list[Prompt]], typed: str) -> list[Prompt]:
    """``救命`` / ``120`` while an alert waits: the emergency answer, and the alert acknowledged as well.

    The advice and the 【紧急】 message to the class teacher come first (:func:`bot.flows.emergency.intercept`);
    the person is reached, so the step is acknowledged and the chain stops. The question held back under the
    advice (:func:`bot.flows.agenda.held_back`) was the alert: the hold passes to the question next in turn (a
    check-in), so a panicked ``1`` that follows records nothing. The reporter reads the words themselves
    ("李雪 replied to the alert: ‘救命’"), never a bare "confirmed" that reads as "all is well".
    """
    prompts = dispatch()
    held = bool((agenda_flow.current(ctx) or {}).get("held"))
    done = incident_replies.acknowledge_reply(ctx.uow, person_id=ctx.bound().person_id, words=typed, now=ctx.now,
                                             only=shown, emergency=True)
    _answered(ctx, done.acknowledged)
    if held:
        agenda_held.hold_next(ctx)
    return [*_without_alerts(prompts, done.acknowledged), _notice(ctx, done)] if done.acknowledged else prompts


CANCEL_AT_ALERT = N_("Noted: you have received the alert about {children}. An alert cannot be cancelled, and "
                     "nothing more is needed from you in this chat; please do what the alert asks.")
CANCEL_AT_ALERT_NEXT = N_("Noted: you have received the alert about {children}. An alert cannot be cancelled; "
                          "please do what it asks. Another alert is waiting for your answer: it follows.")


def _cancel_at_alert(ctx: Ctx, shown: list[int]) -> list[Prompt]:
    """``取消`` at the alert shown: "received, nothing more" — never a cancel of an older question.

    Nothing reaches the reporter but the acknowledgement itself ("'取消'" read as a message said nothing to the
    teacher and much to worry about), and the family reads one message, not "recorded" and "cannot be
    cancelled" side by side (conv6l f).
    """
    person_id = ctx.bound().person_id
    done = incident_replies.acknowledge_reply(ctx.uow, person_id=person_id, words=None, now=ctx.now, only=shown)
    _answered(ctx, done.acknowledged)
    # Only the alert shown is acknowledged (one question at a time): one queued behind it was never read, so it
    # stays waiting, its chain going on, and is asked next, named — "nothing more is needed" would be untrue.
    more = bool(incident_replies.waiting(ctx.uow, person_id=person_id))
    children = [text(n) for n in dict.fromkeys(done.children)]
    return [Prompt(CANCEL_AT_ALERT_NEXT if more else CANCEL_AT_ALERT, {"children": children})]


NOT_A_CHOICE = N_("“{number}” is not one of the alert's choices: it was taken as your acknowledgement of the "
                  "alert, and answers no other question.")


def _without_alerts(prompts: list[Prompt], incident_ids: list[int]) -> list[Prompt]:
    """The reply without the alerts it asked again (``紧急情况`` shows the alert still waiting): answered now."""
    acks = {payloads.incident_ack(i) for i in incident_ids}
    kept: list[Prompt] = []
    for prompt in prompts:
        if any(c.payload in acks for c in prompt.choices):
            if kept and kept[-1].message_id == agenda_flow.STILL_WAITING:
                kept.pop()
            continue
        kept.append(prompt)
    return kept


def _shown_alerts(ctx: Ctx, waiting: list[int]) -> list[int]:
    """The waiting alerts a reply answers: not those queued behind the alert shown (one question at a time).

    A second alert is sent at once, without its choices; it is asked, named, once the one shown is answered
    (``bot.flows.agenda.ask_next``), and only then does a reply answer it.
    """
    queued = agenda.queued_payloads(ctx.conv.agenda)
    return [i for i in waiting if payloads.incident_ack(i) not in queued]


def _seen_alerts(ctx: Ctx, waiting: list[int]) -> list[int]:
    """The waiting alerts whose message reached this chat: the one shown and those sent behind it without choices.

    A pure acknowledgement (``收到``, ``ok``) answers every alert she has read (fix6aa, issue 6); an alert not
    delivered to this chat yet (not on its agenda) is never acknowledged by it.
    """
    delivered = {p for e in ctx.conv.agenda for p in e.get("payloads") or ()}
    return [i for i in waiting if payloads.incident_ack(i) in delivered]


def _answers_the_alert(ctx: Ctx, typed: str) -> bool:
    """Text that is neither a command nor a number, while no other question is current (the alert is, or none).

    A check-in or a flow's question shown after the alert gets its own answers
    (DESIGN.md "Conversations": a word answers the question shown last).
    """
    if not typed or typed_answers.number(typed) is not None:
        return False
    top = agenda_flow.current(ctx)
    if top is None:
        return ctx.conv.flow is None
    return _alert_is_current(ctx)


def _alert_is_current(ctx: Ctx) -> bool:
    """Whether the question shown last in this chat is an incident alert (its acknowledge button)."""
    top = agenda_flow.current(ctx)
    return top is not None and top["kind"] == "offer" and any(
        isinstance(payloads.decode(p), payloads.IncidentAck) for p in top.get("payloads") or ())
