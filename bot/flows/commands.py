"""Commands and their Chinese keywords, and the short ones: /start, /help, /me, /due, /lang, /cancel.

``/me`` and ``/unbind`` (linked accounts) are in :mod:`bot.flows.bindings`.

The first word of a message is the command: ``/talk 张三`` and ``谈心 张三``
are the same. Telegram's ``/talk@botname`` form is accepted.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import replace
from typing import Any

from bot.domain.enums import ADMIN_ROLES, OFFICIAL_ROLES, STAFF_ROLES, Role
from bot.domain.traditional import simplified
from bot.flows import bindings as bindings_flow
from bot.flows import cancelling, family_due
from bot.flows import privacy as privacy_flow
from bot.flows.common import Ctx, Option, say
from bot.i18n import normalise_locale
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, duration, msg, plural, text
from bot.services import due, due_school, identity, incident_due, invites, task_summary, tasks
from bot.services.figures import REPORT_ROLES
from bot.services.invites import BindStatus

log = logging.getLogger(__name__)

COMMANDS = {
    "/talk": "talk", "谈心": "talk",
    "/incident": "incident", "报告": "incident", "事件": "incident", "紧急情况": "incident",
    "/close": "close", "结束事件": "close",
    "/due": "due", "待办": "due",
    "/tasks": "tasks", "任务": "tasks",
    "/card": "card", "档案": "card", "联系卡": "card",
    "/talks": "talks", "谈心记录": "talks",
    "/plan": "plan", "方案": "plan",
    "/aid": "aid", "资助": "aid",
    "/me": "me", "我的": "me",
    "/lang": "lang", "语言": "lang",
    "/help": "help", "帮助": "help", "help": "help",  # English users type the word without its slash
    "/cancel": "cancel", "取消": "cancel",
    "/start": "start", "开始": "start", "绑定": "start",
    "/year": "year", "学年": "year",
    "/programme": "programme", "活动": "programme",
    "/privacy": "privacy", "隐私": "privacy",
    "/audit": "audit", "审计": "audit",
    "/news": "news", "家长月报": "news", "月报": "news",
    "/call": "call", "亲情电话": "call", "打电话": "call",
    "/meeting": "meeting", "开会": "meeting", "家长会": "meeting", "座谈会": "meeting",
    "/report": "report", "统计": "report", "报表": "report", "数据": "report", "统计数据": "report",
    # English officials ask for the figures by their name too (new-user trials typed ``figures``, ``/stats``,
    # ``data`` — the English of 数据).
    "/figures": "report", "/stats": "report", "/statistics": "report", "/data": "report",
    "/export": "export", "导出": "export",
    "/web": "web", "后台": "web",
    "/unbind": "unbind", "解绑": "unbind",  # not 解除绑定: that is the /me button's label, typed on WeChat
}


# Arguments a keyword may be glued to without a space (``谈心杨婷``, ``绑定AB12CD34``): a short name or an
# invite code. Anything longer is a sentence that merely starts with a keyword (``报告老师，孩子发烧了``).
# A child's name may also be typed in pinyin (``谈心yangxiuyun``, as ``谈心 yangxiuyun`` is: issue 6); whether
# the letters name a child is decided by bot.flows.intent.glued_child, as for the characters.
_NAME = re.compile(r"[^\W\d_]{2,4}")
_CHILD_NAME = re.compile(r"[^\W\d_]{2,4}|[A-Za-z]{2,24}")
_GLUED = {
    "unbind": _NAME,
    "start": re.compile(r"[A-Za-z0-9]{4,}"),
    **{c: _CHILD_NAME for c in ("talk", "incident", "card", "talks", "plan", "aid")},  # 档案杨婷, 资助杨婷
}
# English users type these without the slash; only a child's name after one makes it a command (``talk 杨秀云``,
# ``talk杨秀云``: bot.flows.intent), since "talk to me" is a sentence. ``report`` with a child's name is an
# incident report (a child's name is no period of the figures' /report).
ENGLISH = {"talk": "talk", "incident": "incident", "card": "card", "talks": "talks", "plan": "plan", "aid": "aid",
           "report": "incident"}
# A command's English name alone, without its slash, is that command (``close``, ``due``, ``tasks``), as a
# Chinese keyword alone is (``结束事件``). ``report`` alone is decided by the person's roles (bot.flows.intent).
BARE_ENGLISH = {word[1:]: command for word, command in COMMANDS.items() if word.startswith("/")}
_KEYWORDS = sorted((w for w in COMMANDS if not w.startswith("/")), key=len, reverse=True)
# Sentence ends a command word may carry (``结束事件。``, ``close.``, ``帮助！``): a new-user trial (fix6s) typed
# ``结束事件。`` and was told "not understood". After NFKC the full-width ``．！～`` are ``.!~``; ``。`` stays.
_SENTENCE_END = "。.!~"
_ENGLISH_GLUED = sorted(ENGLISH, key=len, reverse=True)


def normalised(typed: str) -> str:
    """Typed text with full-width forms as their ASCII twins (``／talk`` → ``/talk``), trimmed."""
    return unicodedata.normalize("NFKC", typed).strip()


def parse(typed: str, *, keywords: bool = True, english: bool = False,
          bare_english: bool = True) -> tuple[str, str] | None:
    """``(command, argument)`` of a message, or None when it is not a command.

    Full-width forms count as their ASCII twins (``／talk``, ``谈心：杨婷``); a
    colon may separate the command from its argument, and a Chinese keyword
    may be glued to a short name (``谈心杨婷``) or invite code.

    Args:
        typed: the message as typed.
        keywords: recognise Chinese keywords too. While a free-text answer is
            expected, only a bare keyword counts (a note may start with 报告).
        english: recognise the English words of :data:`ENGLISH` without their slash too, followed by
            an argument (``talk 杨婷``) or glued to a name (``talk杨婷``).
        bare_english: a command's English name alone (``close``) is that command (:data:`BARE_ENGLISH`).
    """
    folded = normalised(typed)
    parts = folded.split(maxsplit=1)
    if not parts:
        return None
    word = parts[0].rstrip(_SENTENCE_END) or parts[0]
    arg = parts[1].strip() if len(parts) > 1 else ""
    head, colon, tail = word.partition(":")
    if colon and head:
        word, arg = head, f"{tail} {arg}".strip()
    elif arg.startswith(":"):
        arg = arg[1:].strip()
    if word.startswith("/"):
        word = word.split("@", 1)[0].lower()
    elif word.isascii():
        word = word.lower()  # "Help": phones capitalise the first word
    elif not keywords and (arg or colon):
        return None
    # 報告, 談心: a keyword typed in traditional characters is the same keyword (the name is matched likewise).
    command = COMMANDS.get(word) or COMMANDS.get(simplified(word)) or (ENGLISH.get(word) if english else None)
    if command is None and bare_english and not arg and not colon:
        command = BARE_ENGLISH.get(word)
    if command is None and english and not arg and not colon:
        glued = _glued_english(word)
        if glued is not None:
            return glued
    if command is None and keywords and not arg and not colon:
        return _glued(simplified(word))
    if command is None:
        return None
    return command, arg


def _glued_english(word: str) -> tuple[str, str] | None:
    """``talk杨婷`` → ``("talk", "杨婷")``: an English word of :data:`ENGLISH` glued to a short Chinese name."""
    for english in _ENGLISH_GLUED:
        rest = word[len(english):]
        if word[:len(english)].lower() == english and not rest.isascii() and _NAME.fullmatch(rest):
            return ENGLISH[english], rest
    return None


def _glued(word: str) -> tuple[str, str] | None:
    """``谈心杨婷`` → ``("talk", "杨婷")``: a keyword followed at once by a short name or code."""
    for keyword in _KEYWORDS:
        command = COMMANDS[keyword]
        rest = word[len(keyword):]
        if word.startswith(keyword) and command in _GLUED and _GLUED[command].fullmatch(rest):
            return command, rest
    return None


LANGUAGES = (Option(N_("中文"), "zh_Hans"), Option(N_("English"), "en"))
BIND_FIRST = N_("Please bind your account first: ask your school for an invite code, then send /start and the code.")
TEACHING_ROLES = frozenset({Role.CLASS_TEACHER, Role.HELPER_TEACHER, Role.CARING_PARENT})


def bind_first(ctx: Ctx) -> Prompt:
    """What a chat without a person hears: "bind first" — or, bound but awaiting the school's confirmation, "wait".

    A chat waiting for confirmation (``bot.services.bindings``) can use /start, /help and /lang only.
    """
    return bindings_flow.pending_prompt(ctx) or Prompt(BIND_FIRST)


def role_names(roles: frozenset[str]) -> list[dict[str, Any]]:
    """The person's roles as translated labels (a list param, joined by the renderer)."""
    return [msg(ROLE_LABELS[r]) for r in sorted(roles) if r in ROLE_LABELS] or [msg(N_("no role yet"))]


def help_prompt(ctx: Ctx) -> Prompt:
    """The commands this person can use, in their language."""
    roles = ctx.actor.roles if ctx.actor else frozenset()
    lines: list[tuple[str, dict]] = []
    if ctx.actor is None:
        lines.append((N_("/start CODE (绑定 CODE) — bind this chat with your invite code"), {}))
    if TEACHING_ROLES & roles:
        lines.append((N_("/talk NAME (谈心 NAME) — record a talk with a child"), {}))
    if due_school.OVERVIEW_ROLES & roles:  # a principal's /due is the school's (bot.services.due_school)
        lines.append((N_("/due (待办) — what is due: the school's talks per teacher, open incidents, your tasks"), {}))
    elif TEACHING_ROLES & roles:
        lines.append((N_("/due (待办) — talks still due"), {}))
    if Role.CLASS_TEACHER in roles:
        lines.append((N_("/news (家长月报) — review the monthly news to the parents working away"), {}))
    if ctx.actor is not None and roles - {Role.EDUCATION_BUREAU, Role.TOWN_GOVERNMENT}:
        lines.append((N_("/call (亲情电话) — book a family phone or video call between a child and a parent"), {}))
    if Role.CLASS_TEACHER in roles or ADMIN_ROLES & roles:
        lines.append((N_("/meeting (开会) — call a guardian meeting, a parent-school session or a forum"), {}))
    if STAFF_ROLES & roles:
        lines.append((N_("/card NAME (档案 NAME) — a child's card; /card alone: what the archives still lack"), {}))
        lines.append((N_("/talks NAME (谈心记录 NAME) — the talks recorded with a child"), {}))
        lines.append((N_("/plan NAME (方案 NAME) — a child's individual education plan"), {}))
        lines.append((N_("/aid NAME (资助 NAME) — a child's aid records; record aid given"), {}))
        lines.append((N_("/tasks (任务) — your open tasks: close them with the outcome, or hand them on"), {}))
        if ADMIN_ROLES & roles:
            lines.append((N_("/tasks NAME (任务 NAME) — a colleague's open tasks"), {}))
        lines.append((N_("/incident NAME (报告 NAME) — report an incident"), {}))
        lines.append((N_("/close (结束事件) — close an incident you reported, with its outcome"), {}))
    elif ctx.actor is not None:
        lines.append((N_("紧急情况 — the emergency phone numbers"), {}))
    if ADMIN_ROLES & roles:
        lines.append((N_("/year (学年) — the school year: terms, school days"), {}))
        lines.append((N_("/programme (活动) — the care programme's items and their next dates"), {}))
    if REPORT_ROLES & roles:
        lines.append((N_("/report (统计) — figures: cards, talks, check-ins, incidents (add 学期 or 学年)"), {}))
        lines.append((N_("/export (导出) — the roster, talk cards, incidents, pairings, aid ledger or figures as a "
                         "spreadsheet")
                      if ADMIN_ROLES & roles else  # a safeguarding lead's follow the card scope (export_files)
                      N_("/export (导出) — the incidents you are in, the registration table, the figures and your "
                         "class's records as a spreadsheet")
                      if STAFF_ROLES & roles else  # an official exports aggregates only (bot.services.export_files)
                      N_("/export (导出) — the registration table or the figures, per school, as a spreadsheet"), {}))
        lines.append((N_("/web (后台) — a sign-in link to the dashboard"), {}))
    if ctx.actor is not None:
        lines.append((N_("To answer my questions (an alert, the weekly check-in), tap a button or reply with its "
                         "number or words."), {}))
        lines.append((N_("/me (我的) — your details"), {}))
        lines.append((N_("/privacy (隐私) — the privacy notice and your consent"), {}))
        lines.append((N_("/cancel (取消) — stop what you are doing"), {}))
    if ADMIN_ROLES & roles:
        lines.append((N_("/unbind NAME (解绑 NAME) — unlink a person's chat accounts"), {}))
        lines.append((N_("/audit NAME (审计 NAME) — who read or changed a child's record"), {}))
    lines.append((N_("/lang (语言) — 中文 / English"), {}))
    lines.append((N_("/help (帮助) — this list"), {}))
    return Prompt(N_("What I can do for you:"), lines=tuple(lines))


def start(ctx: Ctx, code: str) -> list[Prompt]:
    """``/start [code]``: bind with an invite code, or greet a bound person."""
    if code:
        outcome = invites.bind(ctx.uow, channel=ctx.channel, account_id=ctx.account_id, code=code, now=ctx.now,
                               confirm_staff=ctx.settings.confirm_staff_bindings,
                               mainland=ctx.settings.telegram_mainland_mode)
        log.info("bind attempt on conversation %s: %s", ctx.conv.id, outcome.status)
        if outcome.status == BindStatus.BOUND and outcome.actor is not None:
            ctx.locale = outcome.actor.locale
            ctx.timezone = outcome.actor.timezone
            ctx.finish()
            if outcome.probation:  # nothing about a child until confirmed (bot.services.binding_probation)
                return [bindings_flow.probation_greeting(ctx, outcome.actor, outcome.note)]
            if outcome.pending:  # no access until an admin confirms (bot.services.bindings)
                return [say(N_("Welcome, {name}! This chat is now linked to you as {roles}. It can be used once "
                               "a school admin confirms it; I will tell you then."),
                            name=text(outcome.actor.name), roles=role_names(outcome.actor.roles))]
            ctx.actor = outcome.actor
            welcome = _greeting(ctx, N_("Welcome, {name}! This chat is now linked to you as {roles}."))
            if outcome.note is not None:  # never silent: the other accounts are named at once
                welcome = replace(welcome, lines=((outcome.note.message_id, outcome.note.params),))
            # A guardian or parent is shown the privacy notice and asked once (PIPL art. 31).
            return [welcome, help_prompt(ctx), *privacy_flow.after_bind(ctx)]
        if outcome.status == BindStatus.ALREADY_BOUND_OTHER and outcome.actor is not None:
            # Someone trying a link before passing it on: keep their binding and say the code still works.
            return [say(N_("This chat is already linked to {name}. The invite code was not used, "
                           "so you can pass it on to the person it is for."), name=text(outcome.actor.name))]
        if outcome.status == BindStatus.THROTTLED:
            return [say(N_("Too many wrong codes. Please try again in {wait}."),
                        wait=duration(outcome.retry_after_seconds or 60))]
        messages = {
            BindStatus.USED: N_("That invite code has already been used. Please ask your school for a new one."),
            BindStatus.EXPIRED: N_("That invite code has expired. Please ask your school for a new one."),
        }
        wrong = N_("That invite code is not right. Please check it and send /start and the code again.")
        return [say(messages.get(outcome.status, wrong))]
    if ctx.actor is None:
        if (waiting := bindings_flow.pending_prompt(ctx)) is not None:
            return [waiting]
        return [say(BIND_FIRST), help_prompt(ctx)]
    return [_greeting(ctx, N_("Hello, {name} ({roles}).")), help_prompt(ctx)]


def _greeting(ctx: Ctx, message_id: str) -> Prompt:
    actor = ctx.bound()
    return say(message_id, name=text(actor.name), roles=role_names(actor.roles))


def me(ctx: Ctx) -> list[Prompt]:
    """``/me``: details and linked accounts, with "remove a linked account" (:func:`bot.flows.bindings.me`)."""
    return bindings_flow.me(ctx)


def due_list(ctx: Ctx) -> list[Prompt]:
    """``/due``: the talks this person owes, the open incidents they may close, the school's talks for its leaders.

    The school's admins, leaders and safeguarding lead see the whole school's
    talks still due per teacher (``bot.services.due_school``); everyone sees
    the open incidents they may close, each with a button to its timeline.
    """
    actor = ctx.bound()
    items = due.talks_due(ctx.uow, person_id=actor.person_id, now=ctx.now, timezone=ctx.timezone)
    incidents = due_school.open_incidents(ctx.uow, person_id=actor.person_id, school_id=actor.school_id,
                                          asked=True)
    school_lines = (due_school.school_talk_lines(ctx.uow, school_id=actor.school_id, now=ctx.now,
                                                 timezone=ctx.timezone)
                    if due_school.OVERVIEW_ROLES & actor.roles else ())
    family = family_due.prompts(ctx)  # news to review, family calls to confirm, attendance to record
    own_tasks = tasks.open_tasks(ctx.uow, person_id=actor.person_id, now=ctx.now)
    overdue_line = (task_summary.school_overdue_line(ctx.uow, school_id=actor.school_id, now=ctx.now,
                                                     reader=actor.person_id)
                    if ADMIN_ROLES & actor.roles else None)  # issue 9: the school's overdue tasks, by assignee
    shown = {i.incident_id for i in incidents}
    to_ack = [child for i, child in incident_due.awaiting_acknowledgement(ctx.uow, actor.person_id) if i not in shown]
    if to_ack:  # the alert itself waits below, as the question still open (LOW-8)
        family = [say(N_("Waiting for your acknowledgement: the alert about {children} (below)."),
                      children=[text(c) for c in to_ack]), *family]
    if not items and not incidents and not school_lines and not family and not own_tasks and not overdue_line:
        if OFFICIAL_ROLES & actor.roles and not STAFF_ROLES & actor.roles:  # owes nothing: "well done" meant nothing
            return [say(N_("Nothing is due for you: schools' talks and tasks are due from their staff. See how the "
                           "schools are doing with /report (统计), or send /export for a spreadsheet."))]
        return [say(N_("Nothing is due — well done."))]
    prompts: list[Prompt] = list(family)
    if own_tasks:
        counted = plural("You have {count} open task ({overdue} overdue): send /tasks to see it.",
                         "You have {count} open tasks ({overdue} overdue): send /tasks to see them.",
                         len(own_tasks), count=len(own_tasks), overdue=sum(v.overdue for v in own_tasks))
        prompts.append(say(counted[0], **counted[1]))
    if incidents:
        lines = due_school.incident_lines(incidents)
        prompts.append(Prompt(lines[0][0], lines[0][1], lines=lines[1:],
                              choices=due_school.incident_choices(incidents)))
    if items:
        count, late = sum(d.count for d in items), sum(len(d.missed) for d in items)
        heading = (N_("Talks still due ({count}, {overdue} of them overdue):") if late
                   else N_("Talks still due ({count}):"))
        prompts.append(Prompt(heading, {"count": count, "overdue": late}, lines=due.due_lines(items)))
    if school_lines:
        prompts.append(Prompt(school_lines[0][0], school_lines[0][1], lines=school_lines[1:]))
    if overdue_line:
        prompts.append(Prompt(overdue_line[0], overdue_line[1],
                              lines=((N_("Send /tasks to see them per colleague."), {}),)))
    return prompts


def lang(ctx: Ctx) -> list[Prompt]:
    """``/lang``: offer 中文 / English."""
    return [ctx.ask("lang", "choose", N_("Choose your language:"), options=LANGUAGES)]


def lang_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A language was chosen: store it and answer in it."""
    locale = normalise_locale(value)
    if ctx.actor is not None:
        identity.set_locale(ctx.uow, person_id=ctx.actor.person_id, locale=locale)
    else:
        ctx.conv.locale = locale
    ctx.locale = locale
    ctx.finish()
    return [say(N_("Language changed."))]


def cancel(ctx: Ctx, arg: str = "") -> list[Prompt]:
    """``/cancel``: what it cancels depends on the question shown (:mod:`bot.flows.cancelling`)."""
    return cancelling.cancel(ctx, arg)
