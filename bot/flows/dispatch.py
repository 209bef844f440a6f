"""What one inbound message is for: a button, a command, an answer to the question shown (the runner's dispatch).

:class:`bot.flows.runner.FlowRunner` opens the unit of work, builds the
:class:`~bot.flows.common.Ctx` and calls :func:`dispatch` (or :func:`group`
for a group chat); everything here runs inside that one transaction. A typed
number or word answers only the question most recently shown (DESIGN.md
"Conversations"); a button of a question no longer open changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.domain.enums import STAFF_ROLES
from bot.flows import agenda as agenda_flow
from bot.flows import (
    all_clear,
    bindings,
    calendar_admin,
    cancelling,
    checkin,
    checkin_amend,
    checkin_elsewhere,
    checkin_hold,
    checkin_others,
    checkin_which,
    close_words,
    closed_seen,
    commands,
    emergency,
    hints,
    incident,
    incident_manage,
    incident_readmit,
    intent,
    natural,
    note_hold,
    other_child,
    programme,
    relay_unanswered,
    switch,
    talk,
    to_teacher,
)
from bot.flows import casework as case_flows
from bot.flows import figures as superiors
from bot.flows import privacy_flows as consents
from bot.flows import relay as family_flow
from bot.flows import typed as typed_answers
from bot.flows.common import INVALID_BUTTON, PICK_ONE, ButtonHandler, Ctx, on_pressed
from bot.flows.family import FAMILY_BUTTONS, FAMILY_COMMANDS, FAMILY_FLOWS, on_family_media, on_family_offer_text
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt

if TYPE_CHECKING:  # the runner imports this module; the type is only named here
    from bot.flows.runner import Inbound

log = logging.getLogger(__name__)

STALE_VERSION = N_("That button belongs to an earlier question; please use the latest message.")
PRIVATE_ONLY = N_("Please talk to me in a private chat.")
NUMBER_NOT_SHOWN = N_("No question of mine is waiting for a number just now.")
NOT_UNDERSTOOD = hints.NOT_UNDERSTOOD

_FLOWS: dict[str, Any] = {"talk": talk, "incident": incident, "checkin": checkin, "incident_manage": incident_manage,
                          "incident_readmit": incident_readmit,
                          "programme": programme, "bindings": bindings, "switch": switch, **FAMILY_FLOWS,
                          **consents.FLOWS, **case_flows.FLOWS, **superiors.FLOWS, "relay": family_flow}


def group(inbound: Inbound) -> list[Prompt]:
    """Group chats get no child data at all: only /help; other commands point to a private chat."""
    if inbound.payload is not None:
        return [Prompt(PRIVATE_ONLY)]
    parsed = commands.parse(inbound.text or "", bare_english=False)  # "me", "call" are group chatter
    if parsed is None:
        return []  # ordinary group chatter is not for the bot
    if parsed[0] == "help":
        return [Prompt(N_("Hello! I help the school care for left-behind children. Please talk to me in a "
                          "private chat; send /help there to see what I can do."))]
    return [Prompt(PRIVATE_ONLY)]


def dispatch(ctx: Ctx, inbound: Inbound) -> list[Prompt]:
    """One private message, in the order its readings are tried; the prompts to answer with.

    A button, then a reply to a quoted message, an emergency word, a command,
    an all clear, a slip of the keyboard, and last an answer to the question shown.
    """
    settled = natural.settle(ctx, inbound.payload, inbound.text, inbound.reply_to)  # 帮主? 回复：好的 (natural)
    if isinstance(settled, str):  # "yes" to "did you mean 帮助?", or the words after 回复：
        return dispatch(ctx, replace(inbound, text=settled, payload=None))
    if settled is not None:
        return settled
    if inbound.payload is not None:
        return _button(ctx, inbound.payload)
    typed = (inbound.text or "").strip()
    if not typed or inbound.media:  # photos and voice messages: letters and replies (bot.flows.letters)
        return on_family_media(ctx, inbound.media, inbound.text) if inbound.media else [Prompt(NOT_UNDERSTOOD)]
    other_child.copy(ctx, typed)  # 杨秀云需要帮助 from 李雪: to 杨秀云's class teacher too, unsaid (fix6ad)
    quoted = family_flow.answer_by_reply(ctx, inbound.reply_to, typed)  # 回复 on Telegram's reply
    if quoted is not None:
        return quoted
    urgent = emergency.intercept(ctx, typed) or emergency.unbound(ctx, typed)  # 救命 at night: an answer now
    if urgent is not None:
        return urgent
    parsed = intent.command(ctx, typed)  # a word answering the question shown, or a note, is no command
    if parsed is not None:
        return _command(ctx, *parsed)
    cleared = all_clear.intercept(ctx, typed, _again)  # 没事了 after an alert: before any question takes it
    if cleared is not None:
        return cleared
    slipped = natural.reply(ctx, typed)  # /hlep, 帮主: did you mean …? (bot.flows.slips)
    if slipped is not None:
        return slipped
    if ctx.actor is None and ctx.conv.flow != "lang":
        return [commands.bind_first(ctx)]
    return _typed(ctx, typed)


def _typed(ctx: Ctx, typed: str) -> list[Prompt]:
    """Typed text: a number or word answers the current question only (DESIGN.md "Conversations")."""
    top = agenda_flow.current(ctx)
    if top is not None and top["kind"] == "offer":
        return _to_offer(ctx, top, typed)
    if note_hold.is_held(ctx, top):  # the note question waits for the child's emergency: as with none waiting
        # 好的 right after a close at night (the question waits for the morning) sees the close (fix6ab)
        return [Prompt(NUMBER_NOT_SHOWN)] if typed_answers.number(typed) is not None else (
            closed_seen.alone(ctx, typed) or relay_unanswered.unanswered(ctx, typed) or [Prompt(NOT_UNDERSTOOD)])
    if top is not None and top["kind"] == "saved":  # a set-aside flow on top: it is running again
        # 好的 right after the close notice that brought the note question back sees the notice, never "skip".
        seen = closed_seen.alone(ctx, typed) if note_hold.is_note(ctx, top) else None
        agenda_flow.resume_top(ctx)
        if seen:
            return [*seen, Prompt(agenda_flow.STILL_WAITING), *_again(ctx)]
    late = close_words.late_confirm(ctx, typed, incident_manage.FLOW)  # 确认结束 after 取消: nobody's note (fix6at)
    if late is not None:
        return [late, *_again(ctx)]
    if not (ctx.conv.flow in _FLOWS or ctx.conv.flow == "lang"):
        if ctx.conv.flow:
            ctx.finish()  # a flow this version no longer has
        return [Prompt(NUMBER_NOT_SHOWN)] if typed_answers.number(typed) is not None else (
            closed_seen.alone(ctx, typed)  # 好的 to a closing notice or an all clear: seen
            or relay_unanswered.unanswered(ctx, typed) or [hints.not_understood(ctx)])  # nothing said is dropped
    number = typed_answers.number(typed)
    choices: list[str] = ctx.conv.data.get("choices") or []
    if number is not None and ctx.conv.data.get("typed"):
        # An irreversible answer (closing an incident) is never a bare number (DESIGN.md "Conversations").
        return [hints.not_a_number(ctx), *_again(ctx)]
    if number is not None and ctx.conv.data.get("prose") and not choices:
        # A bare number is no note, description or reason: it was meant for a question with numbers.
        return [Prompt(hints.WORDS_NOT_A_NUMBER), *_again(ctx)]
    if number is not None and choices:
        if 1 <= number <= len(choices):
            return _choice(ctx, choices[number - 1])
        meant = checkin_amend.number_meant(ctx, number)  # 3 at the note question just after 1: 需要帮助? (fix6ak)
        if meant is not None:
            return meant
        if ctx.conv.data.get("prose"):  # words are wanted: say so, and how to pick the choice instead
            hint = family_flow.words_wanted(ctx) if family_flow.answering(ctx) else hints.words_or_choice(ctx)
            return [hint, *_again(ctx)]
        return [hints.number_between(len(choices)), *_again(ctx)]
    if ctx.conv.data.get("prose") and family_flow.is_reply_word(ctx, typed):
        # The Reply button's word is never the text itself (a grandfather once received "回复" as the answer).
        return [family_flow.words_wanted(ctx), *_again(ctx)]
    prompt = ctx.current_prompt()
    picked = typed_answers.matching(ctx, prompt.choices if prompt else (), typed)
    pressed = payloads.decode(picked.payload) if picked is not None else None
    if isinstance(pressed, payloads.FlowChoice) and pressed.version == ctx.conv.version:
        return _choice(ctx, pressed.value)
    flow = _FLOWS.get(ctx.conv.flow or "")
    result = flow.on_text(ctx, typed) if flow is not None else None
    if result is None and ctx.conv.data.get("typed"):  # "确认" for "确认结束": the words, exactly
        return [hints.not_a_number(ctx, hints.TYPE_THE_WORDS), *_again(ctx)]
    if result is None:  # a family member's own words at a menu are passed on (relay_unanswered.out_of_menu)
        return relay_unanswered.out_of_menu(ctx, typed) or [Prompt(PICK_ONE), *_again(ctx)]
    return result


def _to_offer(ctx: Ctx, top: dict[str, Any], typed: str) -> list[Prompt]:
    """Typed text while the current question was shown outside a flow (a check-in, an alert …)."""
    others = checkin_others.at_checkin(ctx, top, typed, lambda own: _to_offer(ctx, top, own))  # 杨秀云发烧了
    if others is not None:  # a clause about someone else at the check-in: never recorded for her child (fix6ag)
        return others
    family = on_family_offer_text(ctx, top, typed)  # a count typed at the attendance notice
    if family is not None:
        return family
    words_only = hints.typed_offer(ctx, Prompt.from_dict(top["prompt"]), typed)  # 是您本人新绑定的吗？: no "1"
    if words_only is not None:
        return [words_only, *_again(ctx)]
    choices = agenda_flow.offer_choices(top)
    number = typed_answers.number(typed)
    if number is not None and not 1 <= number <= len(choices):
        return [hints.number_between(len(choices)), *_again(ctx)]
    picked = choices[number - 1] if number is not None else typed_answers.matching(
        ctx, agenda_flow.offer_choices(top, with_typed=True), typed)
    if picked is not None:
        return _button(ctx, picked.payload)
    if not top.get("required"):
        # An optional offer (a "Close incident" button) was passed over: the question under it is current.
        ctx.conv.agenda = [e for e in ctx.conv.agenda if e["key"] != top["key"]]
        return _typed(ctx, typed)
    return relay_unanswered.unanswered(ctx, typed, again=_again(ctx)) or [Prompt(NOT_UNDERSTOOD), *_again(ctx)]


def _command(ctx: Ctx, command: str, arg: str) -> list[Prompt]:
    if command in ("help", "start"):  # /start CODE: also a WeChat QR scan or follow (bot.handlers.wechat.incoming)
        actor = ctx.actor
        shown = [commands.help_prompt(ctx)] if command == "help" else commands.start(ctx, arg)
        if actor is None or ctx.actor is not actor or switch.resting(ctx):
            return shown  # a new binding starts afresh
        # Like /due: a talk half done is asked again after it, so a "1" never answers a question not on screen.
        return agenda_flow.beside_current(ctx, shown)
    if command == "lang" and (ctx.actor is None or ctx.conv.flow not in _FLOWS):
        return commands.lang(ctx)
    if ctx.actor is None:
        return [commands.bind_first(ctx)]
    if command == "cancel":
        return commands.cancel(ctx, arg)
    if (command in ("due", "me", intent.FOR_TEACHERS) and not switch.resting(ctx)) or (
            command == "incident" and not STAFF_ROLES & ctx.actor.roles):
        # Information (a list, the emergency numbers): the question waiting keeps its numbers and is asked again.
        # 报告老师 asks what to tell the teacher: that is the question shown, the waiting one after it (fix6ad).
        told = _run(ctx, command, arg)
        return told if ctx.conv.flow == to_teacher.FLOW else agenda_flow.beside_current(ctx, told)
    if ctx.conv.flow == switch.FLOW:  # another command at "drop it?": dropped, and said so
        return switch.another(ctx, command, arg, _run)
    looked = switch.glance_after_saved(ctx, command, arg)  # "report an incident now?" is kept (fix6ah)
    if looked is not None:
        return looked
    aside = switch.aside_after_saved(ctx, command, arg, _run)  # /tasks there: set aside, asked again (fix6aj)
    if aside is not None:
        return aside
    passed = checkin_which.leave(ctx)  # 孩子发烧了 asked "which child?": passed on, never dropped (fix6p)
    passed = passed or checkin_elsewhere.leave(ctx)  # 在哪个医院 asked "which child?" (fix6ap)
    if switch.unfinished(ctx, _FLOWS, arg):
        return switch.ask(ctx, command, arg, _run)  # drop the unfinished flow, answers given? (DESIGN.md)
    ctx.finish()
    return [*passed, *_run(ctx, command, arg)]


def _run(ctx: Ctx, command: str, arg: str) -> list[Prompt]:
    starters: dict[str, Callable[[Ctx, str], list[Prompt]]] = {
        "talk": talk.start, "incident": incident.start, "unbind": bindings.unbind, **FAMILY_COMMANDS,
        "due": lambda c, _arg: commands.due_list(c), "close": lambda c, _arg: incident_manage.close_command(c),
        "lang": lambda c, _arg: commands.lang(c), intent.FOR_TEACHERS: hints.for_teachers,
        **calendar_admin.COMMANDS, **superiors.COMMANDS,
        **consents.COMMANDS, **case_flows.COMMANDS, **family_flow.COMMANDS, "which": switch.ask_which,
        cancelling.DROPPED_COMMAND: cancelling.dropped,  # "Drop it" after 取消 at a talk's note
        cancelling.DROPPED_INCIDENT: cancelling.dropped_incident,  # … and in an incident report (fix6ao)
    }
    starter = starters.get(command)
    return starter(ctx, arg) if starter is not None else commands.me(ctx)


_BUTTONS: dict[type, ButtonHandler] = {
    payloads.IncidentAck: lambda ctx, incident_id: incident_manage.on_button(ctx, "ack", incident_id),
    payloads.IncidentClose: incident_manage.on_close_button, payloads.IncidentView: incident_manage.on_view_button,
    payloads.IncidentExclude: incident_manage.on_exclude_button,
    payloads.IncidentReadmit: incident_readmit.on_readmit_button, payloads.CheckinPress: checkin.on_answer,
    payloads.CheckinSkip: checkin.on_skip_button, payloads.ProgrammeAnswer: programme.on_button,
    payloads.FamilyReply: family_flow.on_reply_button, **FAMILY_BUTTONS}
"""Button payload type → flow step (``bot.flows.common.on_pressed``); bindings take the whole payload."""


def _button(ctx: Ctx, payload: str) -> list[Prompt]:
    """A pressed button (or a numbered reply that picked one): decoded by :mod:`bot.messages.payloads`.

    A malformed or tampered payload (an id beyond the database's range
    included) is answered "that button is no longer valid" and changes nothing.
    """
    pressed = payloads.decode(payload)
    if ctx.actor is None and not (isinstance(pressed, payloads.FlowChoice) and ctx.conv.flow == "lang"):
        return [commands.bind_first(ctx)]
    if isinstance(pressed, payloads.FlowChoice):
        # Only the question the button belongs to, if it is still open (a set-aside flow is resumed).
        if (not agenda_flow.resume_for_version(ctx, pressed.version)
                or pressed.value not in (ctx.conv.data.get("choices") or [])):
            return [Prompt(STALE_VERSION), *_again(ctx)]
        return _choice(ctx, pressed.value)
    if isinstance(pressed, payloads.CheckinPress):  # an old check-in button while the child is missing
        refused = checkin_hold.pressed(ctx, pressed.checkin_id)
        if refused is not None:  # the alert still waiting is shown again under it; a held check-in is not
            top = agenda_flow.current(ctx)
            held = top is None or top.get("held") or checkin_hold.is_checkin(top)
            return refused if held else agenda_flow.beside_current(ctx, refused)
    if pressed is not None:
        agenda_flow.answered(ctx, payload)
    try:
        answer = on_pressed(ctx, pressed, _BUTTONS)
        if answer is not None:
            return answer
        if isinstance(pressed, payloads.BINDING_PAYLOADS):
            return bindings.on_button(ctx, pressed)
    except LookupError:
        log.info("button on conversation %s names nothing known", ctx.conv.id)
    return [Prompt(INVALID_BUTTON)]


def _choice(ctx: Ctx, value: str) -> list[Prompt]:
    if ctx.conv.flow == "lang":
        return commands.lang_choice(ctx, value)
    if ctx.conv.flow == switch.FLOW:
        return switch.on_choice(ctx, value, _run)
    flow = _FLOWS.get(ctx.conv.flow or "")
    if flow is None:
        ctx.finish()
        return [Prompt(STALE_VERSION)]
    return flow.on_choice(ctx, value)


def _again(ctx: Ctx) -> list[Prompt]:
    """The current question, shown again after an answer that did not fit it."""
    top = agenda_flow.current(ctx)
    if top is not None and top["kind"] == "offer":
        # 刘帅's week, held for his open incident, is never shown again with its "1. 很好" (fix6ax)
        waits = checkin_hold.hold(ctx, top) if top.get("held_child") is not None else None
        return waits if waits is not None else [Prompt.from_dict(top["prompt"])]
    prompt = ctx.current_prompt() if ctx.conv.flow else None
    return [prompt] if prompt is not None else []
