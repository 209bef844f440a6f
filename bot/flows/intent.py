"""Whether typed text is a command or the answer to the question shown (DESIGN.md "Conversations").

The runner and the acknowledgement of alerts (:mod:`bot.flows.reached`) ask
:func:`command` the same question, so they never disagree:

* a slash command is a command, wherever it is typed (``/talk 杨婷``);
* a bare word that picks a choice of the current question answers it
  (``help`` at a check-in is "Needs help");
* where a note, a description or an answer to a family is expected, a Chinese
  keyword followed by words is text (``报告老师孩子今天没来``) — unless it is a
  command with a child the person may see (``报告 杨秀云``, ``谈心 杨婷``): then
  it is that command, and the runner asks whether to drop the unfinished text;
* ``talk 杨秀云`` typed in English without the slash works as ``/talk`` when
  the name is a child the person may see, or close to one (``talk yangxiuyun``,
  ``card 杨秀芸``: the closest names are offered, as for ``/talk``);
* a bare cancel or back word (``算了``, ``返回``) that picks no choice of the
  question shown is ``/cancel`` (:mod:`bot.flows.quitting`);
* the Reply button's label (``回复``) typed during a flow's question, while a
  family's message waits, is the command to answer that message (the runner
  asks whether to drop the unfinished flow, as for any other command);
* ``export aid`` (English without the slash) and ``导出资助`` (glued) work as ``/export aid``, with an
  export's word right after (:func:`export_words`) — for staff and officials only: a guardian's or
  parent's ``导出资助`` (or ``导出``, ``export``) without the slash is a message like any other, passed to the
  class teacher (:data:`STAFF_ONLY`), as are the other staff commands' words (``任务``, ``统计``, ``档案``);
  with a child's name (``谈心记录 刘帅``) they are told the command is for teachers (:func:`for_teachers`);
* ``结束事件`` (``/close``, also the label of a report's Close button) with
  several incidents open is the command: it asks which, never the latest.
"""

from __future__ import annotations

import re

from bot.domain.enums import OFFICIAL_ROLES, STAFF_ROLES
from bot.domain.periods import local_date
from bot.domain.traditional import simplified
from bot.flows import agenda as agenda_flow
from bot.flows import commands, incident_manage, quitting, report_words
from bot.flows import relay as family_flow
from bot.flows import typed as typed_answers
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.services import access, child_names, due_school, export_files, figures, figures_text
from bot.services.access import Purpose

# Commands whose argument is a child's name, and the purpose the name is looked up for.
CHILD_COMMANDS = {"talk": Purpose.TALK, "incident": Purpose.INCIDENT, "card": Purpose.VIEW, "talks": Purpose.VIEW,
                  "plan": Purpose.VIEW, "aid": Purpose.VIEW}
# Commands only staff and officials can use: without their slash they are commands for them alone. A guardian
# who writes ``导出资助``, ``任务`` or ``统计`` may be writing to the teacher, and nothing a family says is dropped
# (DESIGN.md "Conversations"): the words reach the class teacher rather than a refusal (conv6s). Families keep the
# words they use: 紧急情况 / 报告 (the emergency numbers), 待办, 亲情电话, 我的, 隐私, 语言, 帮助, 取消, 绑定, 解绑.
STAFF_ONLY = frozenset({"export", "tasks", "card", "talks", "talk", "plan", "aid", "audit", "report", "web", "year",
                        "programme", "close"})
# Not news, call or meeting: families use them too (bot.flows.family.FAMILY_COMMANDS: 月报, 亲情电话, 开会).


def expects_prose(ctx: Ctx) -> bool:
    """Whether the current question asks for prose (a note, a description, an answer to a family)."""
    top = agenda_flow.current(ctx)
    return bool(ctx.conv.flow and top is not None and top["kind"] == "flow" and ctx.conv.data.get("prose"))


def command(ctx: Ctx, typed: str) -> tuple[str, str] | None:
    """``(command, argument)`` when ``typed`` is a command here; None when it is text or an answer."""
    prose = expects_prose(ctx)
    parsed = commands.parse(typed, keywords=not prose)
    if parsed is None and not prose:
        parsed = export_words(typed) or figures_words(ctx, typed)
    if parsed is None or (prose and parsed[1] and not _slash(typed)):
        parsed = with_child(ctx, typed)
    if (parsed is not None and parsed[0] in STAFF_ONLY and not _slash(typed) and not _staff(ctx)
            and not _family_command(ctx, parsed)):
        parsed = for_teachers(typed, parsed)  # None: the family's words, relayed to the class teacher
    if parsed is not None and family_words_after_help(ctx, typed, parsed):
        parsed = None  # 帮助 婷婷发烧了: the family's words, as without 帮助 (an alert answered, passed on)
    if parsed is not None and not glued_child(ctx, typed, parsed):
        parsed = None  # 谈心很顺利: a sentence starting with a keyword, not /talk for a child named 很顺利
    if parsed is None and (not prose or _staff(ctx)):
        # 报告杨秀云摔倒了: the child's name, then words — where words are wanted too (a report's description),
        # for staff: a new report, asked whether to drop the unfinished one, never taken for the words.
        parsed = report_words.glued(ctx, typed) or (_report_with_words(ctx, typed) if prose else None)
    if parsed == ("close", "") and incident_manage.confirming(ctx):
        return None  # close at "close the incident?": asked to type the phrase (bot.flows.incident_manage)
    if parsed is not None and export_answer(ctx, typed):
        parsed = None  # 统计 at the /export menu: the figures' workbook, not /report (the question shown wins)
    if parsed is not None and (parsed[0] == "cancel" or not agenda_flow.answers_current(ctx, typed)
                               or several_to_close(ctx, parsed[0])):
        return _report(ctx, typed, parsed) if parsed[0] == "report" else _report_alone(ctx, typed, parsed)
    quit_word = quitting.command(ctx, typed) if parsed is None else None  # 算了, 返回 (bot.flows.quitting)
    if quit_word is not None:
        return quit_word
    if parsed is not None or family_flow.answering(ctx):
        return None  # (回复 while answering a family is asked again by the runner: bot.flows.relay.words_wanted)
    return reply_waiting(ctx, typed)  # also where words are wanted: 回复 is never a note


# Words after the help word that still ask for the list: ``help me``, ``help please``, ``帮助 一下``.
_HELP_FILLER = frozenset({"me", "please", "me please", "pls", "我", "一下", "我一下", "下"})


def family_words_after_help(ctx: Ctx, typed: str, parsed: tuple[str, str]) -> bool:
    """Whether a family member's ``帮助 婷婷发烧了`` / ``help please, she is sick`` is words, not ``/help``.

    The help word followed by real words (a space, not a comma) showed the command list and the words went
    nowhere — not passed on, an alert left unacknowledged (issue 6). For a family member they are a message,
    as ``紧急情况 孩子没回家怎么办`` already is; ``/help …`` (the slash) and ``help me`` stay the list.
    """
    command_name, arg = parsed
    if command_name != "help" or not arg or _slash(typed) or _staff(ctx) or ctx.actor is None:
        return False
    return arg.strip(" ,.!?，。！？").lower() not in _HELP_FILLER


def export_answer(ctx: Ctx, typed: str) -> bool:
    """Whether ``typed`` is an export's word (``统计``, ``figures``, ``统计 学期``) at the ``/export`` menu shown last.

    The words of a choice answer the question shown last (DESIGN.md "Conversations"), though 统计 and
    ``figures`` also name ``/report``: at the menu they pick the figures' workbook.
    """
    top = agenda_flow.current(ctx)
    if ctx.conv.flow != "export" or _slash(typed) or (top is not None and top["kind"] != "flow"):
        return False
    return export_files.WORDS.get(commands.normalised(typed).partition(" ")[0].lower()) is not None


def several_to_close(ctx: Ctx, command_name: str) -> bool:
    """``结束事件`` typed (the ``/close`` word, also the label of the last report's button) with several open.

    It is then the command, which asks which incident (child and report time), never the latest one's button.
    """
    actor = ctx.actor
    return command_name == "close" and actor is not None and len(
        due_school.open_incidents(ctx.uow, person_id=actor.person_id, school_id=actor.school_id)) > 1


def reply_waiting(ctx: Ctx, typed: str) -> tuple[str, str] | None:
    """``("reply", message id)``: a family message's Reply label typed while a flow's question is current.

    The message waits behind the flow's question (it was shown without its
    choices), so its ``回复`` would otherwise be taken for a wrong answer to
    that question and the teacher's answer lost (found by a tester).
    """
    top = agenda_flow.current(ctx)
    if not ctx.conv.flow or top is None or top["kind"] != "flow":
        return None
    # The latest shown first: with two messages waiting, 回复 answers the one it was last shown under (conv6l d).
    for entry in sorted(reversed(ctx.conv.agenda), key=lambda e: str(e.get("at") or ""), reverse=True):
        picked = typed_answers.matching(ctx, agenda_flow.offer_choices(entry), typed) \
            if entry["kind"] == "offer" else None
        pressed = payloads.decode(picked.payload) if picked is not None else None
        if isinstance(pressed, payloads.FamilyReply):
            return "reply", str(pressed.message_id)
    return None


def with_child(ctx: Ctx, typed: str) -> tuple[str, str] | None:
    """A keyword (Chinese, or English without its slash) naming a child the person may see, or None."""
    parsed = commands.parse(typed, english=True)
    if parsed is None or ctx.actor is None:
        return None
    name, purpose = parsed[1].strip(), CHILD_COMMANDS.get(parsed[0])
    if purpose is None or not name:
        return None
    if " " not in name and access.find_children(ctx.uow, ctx.actor, purpose=purpose, name=name):
        return parsed
    if purpose is Purpose.INCIDENT and _english_word(typed) and not expects_prose(ctx) and (
            access.find_children(ctx.uow, ctx.actor, purpose=purpose, name=name.split()[0])
            or name.split()[0] in {c.name for c in family_flow.writes_about(ctx)}
            or report_words.leading_child(ctx, name) is not None):  # 杨秀云, fell / Yang Xiuyun fell (fix6v)
        # report 杨秀云 fell down: the child, then the words — the description for staff (bot.flows.report_words),
        # for the child's family their words to the class teacher without the command word, as 报告刘婷婷摔倒了.
        return parsed
    # ``talk yangxiuyun``, ``talk Yang Xiuyun``, ``card 杨秀芸``: the English word without its slash is the slash
    # command, which offers the closest names (only among children the person may see). Not where words are
    # wanted: a note may begin "talk to …".
    if _english_word(typed) and not expects_prose(ctx) and child_names.closest(
            ctx.uow, ctx.actor, purpose=purpose, name=name):
        return parsed
    if _english_word(typed) and not expects_prose(ctx) and _staff(ctx) and parsed[0] in ("card", "talks") \
            and " " not in name:
        # ``card 杨秀云`` from an official or another class's teacher: the slash command's answer (whose card
        # it is), as ``/card 杨秀云`` and ``档案 杨秀云`` get, never "not understood" (issue 9).
        return parsed
    return None


def _report_with_words(ctx: Ctx, typed: str) -> tuple[str, str] | None:
    """``("incident", "杨秀云 摔倒了")`` for staff's ``报告 杨秀云 摔倒了``: the keyword, a child's name, words."""
    parsed = commands.parse(typed, english=True)
    if parsed is None or parsed[0] != "incident" or report_words.leading_child(ctx, parsed[1]) is None:
        return None
    return parsed


def figures_words(ctx: Ctx, typed: str) -> tuple[str, str] | None:
    """``("report", "last month")`` for ``report last month`` / ``report 2026-11`` (English, no slash).

    Only for someone who may read the figures (officials, a school's leaders) and only when the words after
    ``report`` are a period :func:`bot.services.figures_text.period_from_text` reads: an official's command is
    then the command, as ``/report 2026-11`` is, never text taken for the answer to an alert (a tester's
    ``report last month`` acknowledged an alert and was relayed to the reporting teacher).
    """
    head, _, rest = commands.normalised(typed).partition(" ")
    actor = ctx.actor
    if head.lower() != "report" or not rest.strip() or actor is None or not figures.may_report(actor):
        return None
    today = local_date(ctx.now, ctx.timezone)
    found = figures_text.period_from_text(ctx.uow, actor.school_id, rest, today)
    return ("report", rest.strip()) if found is not None else None


def _english_word(typed: str) -> bool:
    """Whether ``typed`` begins with an English command word, without its slash (``talk``, ``report``)."""
    head = commands.normalised(typed).split(maxsplit=1)[0] if typed.strip() else ""
    return head.isascii() and head.lower() in commands.ENGLISH


def export_words(typed: str) -> tuple[str, str] | None:
    """``("export", "aid 学期")`` for ``export aid 学期`` (English without its slash) or ``导出资助`` (glued).

    Only with an export's word (:data:`bot.services.export_files.WORDS`) right after: "export" alone is
    already the command (``commands.BARE_ENGLISH``), and ``导出 资助`` with its space a keyword's argument.
    """
    folded = commands.normalised(typed)
    head, _, rest = folded.partition(" ")
    if head.lower() == "export":
        word, arg = rest.strip().partition(" ")[0], rest.strip()
    elif head.startswith("导出"):
        word = head.removeprefix("导出")
        arg = f"{word} {rest.strip()}".strip()
    else:
        return None
    return ("export", arg) if word.lower() in export_files.WORDS else None


def glued_child(ctx: Ctx, typed: str, parsed: tuple[str, str]) -> bool:
    """Whether a keyword glued to words (``谈心杨婷``) names a child the person may see, exactly or nearly.

    True for every other form (a space, a colon, a slash, no argument, a command without a child): only the
    glued form is doubtful, since any 2–4 characters after 谈心 would otherwise be taken for a name.
    """
    command, name = parsed
    folded = commands.normalised(typed)
    purpose = CHILD_COMMANDS.get(command)
    if purpose is None or not name or folded.startswith("/") or ":" in folded or len(folded.split()) > 1:
        return True
    if ctx.actor is None:
        return False
    return bool(access.find_children(ctx.uow, ctx.actor, purpose=purpose, name=name)
                or child_names.closest(ctx.uow, ctx.actor, purpose=purpose, name=name))


def _report(ctx: Ctx, typed: str, parsed: tuple[str, str]) -> tuple[str, str]:
    """``report``: the figures (``/report``, 统计) or an incident report (报告)? Decided by the roles and the argument.

    * with a child's name the person may report about (``report 杨秀云``, ``/report 杨秀云``): an incident
      report — a child's name is never a period of the figures;
    * a guardian's or parent's ``/report`` (with words or alone): the family report, as ``报告`` (their words
      reach the class teacher: :mod:`bot.flows.report_words`);
    * ``report`` alone, without its slash (English): an incident report for staff who may not read the
      figures, the figures for officials, and a question "which do you mean?" for a school's admins and
      leaders, who may do both. ``/report`` alone stays the figures.
    """
    arg = parsed[1]
    if arg and ctx.actor is not None and " " not in arg and access.find_children(
            ctx.uow, ctx.actor, purpose=Purpose.INCIDENT, name=arg):
        return "incident", arg
    # A guardian's /report 孩子发烧了 is the family report; staff's /report 杨秀云摔倒了 an incident report.
    family_or_child = report_words.family_report(ctx, parsed) or report_words.staff_report(ctx, arg)
    if family_or_child is not None:
        return family_or_child
    if arg or _slash(typed) or commands.normalised(typed).split()[0].lower() != "report" or ctx.actor is None:
        return parsed
    may_figures, staff = figures.may_report(ctx.actor), bool(STAFF_ROLES & ctx.actor.roles)
    if may_figures and staff:
        return "which", "report incident report"
    return parsed if may_figures else ("incident", "")


def _report_alone(ctx: Ctx, typed: str, parsed: tuple[str, str]) -> tuple[str, str]:
    """``报告`` alone from a school's leader or admin: "which do you mean?", as English ``report`` alone asks.

    They may both report an incident and read the figures; 刘主任's ``报告`` went straight to "which child?"
    while his ``report`` asked which he meant (a new-user trial, fix6q).
    """
    word = simplified(commands.normalised(typed))
    if parsed != ("incident", "") or word != "报告" or ctx.actor is None:
        return parsed
    if figures.may_report(ctx.actor) and STAFF_ROLES & ctx.actor.roles:
        return "which", f"{commands.normalised(typed)} incident report"
    return parsed


def _staff(ctx: Ctx) -> bool:
    """Whether the person has a school role or an official's (anyone but a family member)."""
    return ctx.actor is not None and bool((STAFF_ROLES | OFFICIAL_ROLES) & ctx.actor.roles)


FOR_TEACHERS = "for_teachers"
"""A family member's staff command with a name: told whom it is for (:func:`bot.flows.hints.for_teachers`)."""


def for_teachers(typed: str, parsed: tuple[str, str]) -> tuple[str, str] | None:
    """``(FOR_TEACHERS, command)`` for a family member's ``谈心记录 刘帅``, ``方案 杨秀云``; None for their words.

    A staff command about a child, typed as the command is (the keyword, a space or a colon, a name of 2 to 4
    letters), was relayed to the class teacher as a message (a new-user trial, LOW-5): it is no message, so the
    family is told the command is for teachers. The name is never looked up, so the answer says nothing about
    any child. A word alone (``任务``) or a sentence (``谈心很顺利``) stays their words, relayed (conv6s).
    """
    command_name, name = parsed
    folded = commands.normalised(typed)
    separated = ":" in folded or len(folded.split()) > 1
    if command_name in CHILD_COMMANDS and separated and _NAME_LIKE.fullmatch(name.strip()):
        return FOR_TEACHERS, command_name
    return None


def _family_command(ctx: Ctx, parsed: tuple[str, str]) -> bool:
    """A staff word a family member means as the command (fix6z): ``档案 刘帅``, ``card 刘帅``, ``结束事件``.

    ``档案`` with a child's name (2 to 4 letters, or a child of theirs) shows their own child's card, or refuses
    politely for any other child, as ``/card`` does; ``结束事件`` alone is told that teachers close incidents.
    Their words were relayed to the class teacher as a message (a new-user trial).
    """
    name = parsed[1].strip()
    if parsed[0] == "close":
        return not name
    if parsed[0] != "card" or not name or ctx.actor is None:
        return False
    return bool(_NAME_LIKE.fullmatch(name)) or bool(
        access.find_children(ctx.uow, ctx.actor, purpose=Purpose.VIEW, name=name))


_NAME_LIKE = re.compile(r"[\u3400-\u9fff]{2,4}")


def _slash(typed: str) -> bool:
    return commands.normalised(typed).startswith("/")
