"""The report command's child and words, however they are typed: ``报告杨秀云摔倒了``, ``/report 孩子发烧了``.

Nothing a person says after the command is dropped or taken for the wrong thing (DESIGN.md "Conversations"):

* a keyword glued to a child's name and words (``报告杨秀云摔倒了``) names that child when the name is one
  of the children the person may see — the longest such name, so 刘婷婷 is never 刘婷 with 婷 left over;
* a guardian's or parent's ``/report <words>`` is the family report (``报告 <words>``: the class teacher
  reads them), since the figures' ``/report`` is for staff;
* a member of staff's words after the child's name (``报告 杨秀云 摔倒了``) are kept for the description.
"""

from __future__ import annotations

from bot.domain.enums import OFFICIAL_ROLES, STAFF_ROLES
from bot.domain.traditional import simplified
from bot.flows import commands
from bot.flows import relay as family_flow
from bot.flows.common import Ctx, Option
from bot.messages.prompt import N_, text
from bot.services import access, child_names
from bot.services.access import Purpose
from bot.services.identity import normalise_name

_BETWEEN = " ,，:：、.。!！"
"""What may stand between a child's name and the words (``报告杨秀云，摔倒了``)."""
USE_SAID = Option(N_("Use what I wrote"), "said")
YOU_WROTE = N_("You wrote: “{words}”")


def visible_names(ctx: Ctx) -> list[str]:
    """The names of the children the person may report about (staff) or write about (family), longest first."""
    actor = ctx.actor
    if actor is None:
        return []
    if STAFF_ROLES & actor.roles:
        names = {c.name for c in access.find_children(ctx.uow, actor, purpose=Purpose.INCIDENT)}
    else:
        names = {c.name for c in family_flow.writes_about(ctx)}
    return sorted(names, key=lambda n: len(normalise_name(n)), reverse=True)


def leading_child(ctx: Ctx, words: str) -> tuple[str, str] | None:
    """``(name, rest)`` when ``words`` start with a child's name the person may see, else None.

    The longest name that fits wins (刘婷婷发烧 is 刘婷婷, not 刘婷 and 婷发烧); a traditional or full-width
    spelling of the name counts as the name.
    """
    folded = simplified(normalise_name(words))
    names = visible_names(ctx)
    for name in names:
        plain = simplified(normalise_name(name))
        if plain and folded.startswith(plain):
            return name, _after(words, len(plain))
    return _leading_pinyin(names, words)


def _leading_pinyin(names: list[str], words: str) -> tuple[str, str] | None:
    """``("杨秀云", "fell in the yard")`` for ``Yang Xiuyun fell in the yard``: a name in pinyin, then words.

    The first three, two or one words, read as toneless pinyin, must be exactly one visible name's sound
    (``yangxiuyun``); two names that sound alike (杨婷, 杨亭) are no match, and the closest names are offered.
    """
    parts = commands.normalised(words).split()
    for count in (3, 2, 1):
        head = "".join(parts[:count]).strip(_BETWEEN).casefold()
        if len(parts) < count or not head.isascii() or not head.isalpha():
            continue
        found = {name for name in names if child_names.sounds(name) == head}
        if len(found) == 1:
            return found.pop(), " ".join(parts[count:]).strip(_BETWEEN)
    return None


def _after(words: str, length: int) -> str:
    """What follows the first ``length`` characters of ``words`` other than spaces, separators trimmed."""
    seen = 0
    for at, char in enumerate(commands.normalised(words)):
        if seen == length:
            return commands.normalised(words)[at:].strip(_BETWEEN)
        if not char.isspace():
            seen += 1
    return ""


def glued(ctx: Ctx, typed: str) -> tuple[str, str] | None:
    """``("incident", "杨秀云摔倒了")`` for ``报告杨秀云摔倒了``: a keyword glued to a child's name and words.

    Only when the words after the keyword start with the name of a child the person may see: ``报告老师，孩子
    发烧了`` stays a message (for a guardian, passed to the class teacher as it is).
    """
    folded = simplified(commands.normalised(typed))
    # 报告, 事件, 紧急情况, longest first (read when asked: bot.flows.commands imports the incident flow, which
    # imports this module).
    keywords = sorted((w for w, c in commands.COMMANDS.items() if c == "incident" and not w.startswith("/")),
                      key=len, reverse=True)
    for keyword in keywords:
        rest = folded[len(keyword):]
        if folded.startswith(keyword) and rest and not rest[0].isspace() and rest[0] not in ":：" \
                and leading_child(ctx, rest) is not None:
            return "incident", commands.normalised(typed)[len(keyword):]
    words = without_keyword(typed)
    if ctx.actor is not None and not STAFF_ROLES & ctx.actor.roles and words != typed.strip():
        # A family's 报告孩子发烧了 / 报告，孩子发烧了 as their 报告 孩子发烧了: the words, without 报告, reach
        # the class teacher with the emergency numbers (fix6v: the teacher read "报告孩子发烧了").
        return "incident", words
    return None


_GLUED_KEYWORDS = ("报告", "紧急情况")
"""Report words that may be glued to what follows (``报告孩子发烧了``); ``事件`` starts sentences (事件处理好了吗)."""


def without_keyword(typed: str) -> str:
    """``孩子发烧了`` for ``报告 孩子发烧了``, ``报告孩子发烧了``, ``报告，孩子发烧了``: the words after the command.

    ``typed`` (stripped) when it does not start with one, or holds nothing after it. Passed on to a teacher,
    the command word is no part of what the family said (fix6v).
    """
    normal = commands.normalised(typed).strip()
    folded = simplified(normal)
    for keyword in sorted((w for w, c in commands.COMMANDS.items() if c == "incident"), key=len, reverse=True):
        rest = normal[len(keyword):]
        if not folded.lower().startswith(keyword.lower()) or not rest.strip(_BETWEEN):
            continue
        if rest[0] in _BETWEEN or keyword in _GLUED_KEYWORDS:
            return rest.strip(_BETWEEN + "　")
    return typed.strip()


def family_report(ctx: Ctx, parsed: tuple[str, str]) -> tuple[str, str] | None:
    """``("incident", words)`` for a guardian's or parent's ``/report <words>`` (or ``/report`` alone), else None.

    The figures are for staff and officials; anyone else writing ``/report`` means the family report.
    """
    actor = ctx.actor
    if parsed[0] != "report" or actor is None or (STAFF_ROLES | OFFICIAL_ROLES) & actor.roles:
        return None
    return "incident", parsed[1]


def staff_report(ctx: Ctx, arg: str) -> tuple[str, str] | None:
    """``("incident", arg)`` for staff's ``/report 杨秀云摔倒了``: a child's name is no period of the figures."""
    actor = ctx.actor
    if not arg or actor is None or not STAFF_ROLES & actor.roles:
        return None
    return ("incident", arg) if leading_child(ctx, arg) is not None else None


def child_and_words(ctx: Ctx, arg: str) -> str:
    """The child's name in ``报告 杨秀云 摔倒了`` (staff), the words kept in the flow for the description.

    ``arg`` is returned as it is when it is a child's name already or starts with none.
    """
    actor = ctx.bound()
    if not arg.strip() or access.find_children(ctx.uow, actor, purpose=Purpose.INCIDENT, name=arg.strip()):
        return arg
    found = leading_child(ctx, arg)
    if found is None:
        return arg
    name, words = found
    if words:
        ctx.values["said"] = words
    return name


def said_line(ctx: Ctx) -> tuple[tuple[str, dict[str, object]], ...]:
    """The line "You wrote: …" under the description question when words came with the command."""
    said = ctx.values.get("said")
    return ((YOU_WROTE, {"words": text(said)}),) if said else ()


def said_options(ctx: Ctx) -> tuple[Option, ...]:
    """"Use what I wrote" at the description question when words came with the command."""
    return (USE_SAID,) if ctx.values.get("said") else ()


KEPT_FOR_DESCRIPTION = N_("Your words “{words}” are kept: you can use them as the description in a moment.")


def kept_line(ctx: Ctx) -> tuple[tuple[str, dict[str, object]], ...]:
    """Under the first question (what happened?): the words typed with the command are kept, not dropped.

    A trial user typed ``报告杨秀云，孩子在操场摔了``, saw "what happened?" with no sign of his words, and took
    them for lost (fix6q); they are offered again at the description (:func:`said_line`).
    """
    said = ctx.values.get("said")
    return ((KEPT_FOR_DESCRIPTION, {"words": text(said)}),) if said else ()
