"""Slips of the finger: an unknown slash command and a same-sounding command word (issue 6 item 3).

* ``/hlep``, ``/takl 杨秀云``, ``/unknown`` — a slash command nobody has:
  the person hears that there is no such command, the closest commands *they*
  may use (difflib; a guardian is never offered a staff command) and the short
  list of those commands, in their language.
* ``帮主`` for 帮助, ``谈新`` for 谈心 — a short Chinese message that sounds
  exactly like a command word the person may use (same toneless pinyin) asks
  ``您是想发送“帮助”吗？``. That question is the current one in the chat (one
  question at a time): ``是`` / ``好的`` / ``1`` runs the command, ``不是``
  leaves it (a family member's words then go to the teacher as any message),
  and anything else is handled as if the question had not been asked. A flow
  that was running is kept aside meanwhile and comes back afterwards, and the
  questions waiting behind (a check-in) are asked again in their turn.

The commands a person may use are read from their ``/help`` list
(:func:`bot.flows.commands.help_prompt`), so the two never disagree.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from bot.domain import agenda
from bot.flows import agenda as agenda_flow
from bot.flows import commands, hints
from bot.flows import relay_unanswered as family_flow
from bot.flows import typed as typed_answers
from bot.flows.common import YES_NO, Ctx, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, msg, text
from bot.services import access
from bot.services.access import Purpose

FLOW = "slip"
STATE = "confirm"

NO_SUCH_ONE = N_("There is no {command} command. Did you mean {suggestion}?")
NO_SUCH_SEVERAL = N_("There is no {command} command. Did you mean one of these: {suggestions}?")
NO_SUCH = N_("There is no {command} command.")
YOU_CAN_USE = N_("Commands you can use: {commands}. Send /help to see what each one does.")
DID_YOU_MEAN = N_("Did you mean to send “{word}”?")
WITH_KEYWORD = N_("{command} ({keyword})")  # zh: 亲情电话（/call）; en: the command alone
LEFT_IT = N_("All right, I have left it. Send /help to see what I can do.")

CLOSE_ENOUGH = 0.6  # difflib ratio: hlep/help 0.75, takl/talk 0.75, unknown/unbind 0.46 (not offered)
MAX_SUGGESTIONS = 3
TIE = 0.05  # suggestions as good as the best one, within this
MAX_ARG_SHOWN = 12  # a short argument is repeated in the suggestion (``/talk 杨秀云``); a sentence is not
MAX_SLIP_CHARS = 4
_SLASH = re.compile(r"/([A-Za-z][\w-]*)(?:@\S*)?(?:\s+(.*))?", re.DOTALL)
_EMERGENCY = "紧急情况"  # the guardians' emergency numbers: a keyword with no slash form in their /help


def allowed(ctx: Ctx) -> list[str]:
    """The slash commands this person may use, in the order of their ``/help`` list (``/talk``, ``/due`` …)."""
    found: list[str] = []
    for message_id, _params in commands.help_prompt(ctx).lines:
        for word in message_id.replace(";", " ").split():
            if word.startswith("/") and word[1:].isalpha() and word not in found:
                found.append(word)
    return found


def _keywords(ctx: Ctx) -> list[str]:
    """The Chinese command words this person may use (``帮助``, ``谈心`` for a teacher …)."""
    mine = {commands.COMMANDS[c] for c in allowed(ctx) if c in commands.COMMANDS}
    words = [w for w, c in commands.COMMANDS.items() if not w.startswith("/") and not w.isascii() and c in mine]
    if _emergency_listed(ctx) and _EMERGENCY not in words:
        words.append(_EMERGENCY)
    return words


def _emergency_listed(ctx: Ctx) -> bool:
    """Whether the person's ``/help`` offers ``紧急情况`` (a family member's emergency numbers)."""
    return any(m.startswith(_EMERGENCY) for m, _ in commands.help_prompt(ctx).lines)


def reply(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The answer to an unknown slash command or a command word's slip; None when ``typed`` is neither."""
    return unknown_command(ctx, typed) or ask(ctx, typed)


def looks_like_command(typed: str) -> bool:
    """Whether ``typed`` is a slash command, known or not (``/hlep``): it asks the bot, it answers nothing."""
    return _SLASH.fullmatch(commands.normalised(typed)) is not None


def unknown_command(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """``/hlep``: "there is no /hlep command. Did you mean /help?" and the commands the person may use.

    The question waiting in the chat (a check-in, a talk half done) is asked again after it.
    """
    found = _SLASH.fullmatch(commands.normalised(typed))
    if found is None:
        return None
    word, arg = "/" + found.group(1).lower(), (found.group(2) or "").strip()
    mine = allowed(ctx)
    if word in mine:
        return None  # a command of theirs the parser did not take (cannot happen): handled as before
    close = _closest(word[1:], [c[1:] for c in mine])
    shown: dict[str, Any] = text(word)
    if len(close) == 1:
        suggestion = f"/{close[0]} {arg}" if arg and len(arg) <= MAX_ARG_SHOWN and "\n" not in arg else f"/{close[0]}"
        first = Prompt(NO_SUCH_ONE, {"command": shown, "suggestion": text(suggestion)})
    elif close:
        first = Prompt(NO_SUCH_SEVERAL, {"command": shown, "suggestions": [text("/" + c) for c in close]})
    else:
        first = Prompt(NO_SUCH, {"command": shown})
    listed = Prompt(first.message_id, first.params, lines=((YOU_CAN_USE, {"commands": _short_list(ctx, mine)}),))
    return agenda_flow.beside_current(ctx, [listed])


def _closest(word: str, names: list[str]) -> list[str]:
    """The names closest to ``word`` (difflib): only the best, or those as good (``/takl`` is /talk, not /tasks)."""
    scored = sorted(((difflib.SequenceMatcher(None, word, n).ratio(), n) for n in names), key=lambda p: -p[0])
    good = [(score, n) for score, n in scored if score >= CLOSE_ENOUGH]
    return [n for score, n in good if score >= good[0][0] - TIE][:MAX_SUGGESTIONS] if good else []


def _short_list(ctx: Ctx, mine: list[str]) -> list[dict[str, Any]]:
    """The person's commands, each with its Chinese word where the language shows it (``亲情电话（/call）``)."""
    listed = []
    for command in mine:
        keyword = next((w for w, c in commands.COMMANDS.items()
                        if c == commands.COMMANDS.get(command) and not w.isascii()), None)
        listed.append(msg(WITH_KEYWORD, command=text(command), keyword=text(keyword)) if keyword else text(command))
    if _emergency_listed(ctx):
        listed.append(text(_EMERGENCY))
    return listed


@lru_cache(maxsize=256)
def sounds(word: str) -> str:
    """The toneless pinyin of Chinese text: 帮主 and 帮助 are both ``bangzhu``."""
    return "".join(lazy_pinyin(word, style=Style.NORMAL))


def slip_of(ctx: Ctx, typed: str) -> str | None:
    """The command a short Chinese message sounds exactly like (``帮主`` → ``帮助``, ``谈新 杨秀云`` → ``谈心 杨秀云``).

    Only words the person may use count, and never a word that answers the
    question shown or is the name of a child they may see (a child called 谈欣).
    A slip followed by a name (``谈新 杨秀云``, ``谈新：杨秀云``, or ``谈新杨秀云``
    when 杨秀云 is a child they may see) is offered with the name. None: no slip.
    """
    folded = _folded(typed)
    if not folded or not all(_cjk(ch) for ch in folded) or agenda_flow.answers_current(ctx, typed):
        return None
    keywords = _keywords(ctx)
    if 2 <= len(folded) <= MAX_SLIP_CHARS and folded not in keywords:
        word = _sounds_like(keywords, folded)
        if word is not None:
            return None if _a_child(ctx, folded) else word
    return _slip_with_name(ctx, keywords, typed, folded)


_NAMED = frozenset({"talk", "incident", "card", "talks", "plan", "aid", "call"})  # commands that take a child's name
_HEAD = re.compile(r"\s*(?P<head>[\u4e00-\u9fff]{2,4})(?:\s*[:：]\s*|\s+)(?P<rest>[\u4e00-\u9fff]{2,4})\s*")


def _folded(typed: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", typed) if not ch.isspace()
                   and not unicodedata.category(ch).startswith("P"))


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _sounds_like(keywords: list[str], head: str) -> str | None:
    """The command word ``head`` sounds exactly like (same toneless pinyin), or None."""
    heard = sounds(head)
    return next((w for w in keywords if len(w) == len(head) and sounds(w) == heard), None)


def _a_child(ctx: Ctx, name: str) -> bool:
    return ctx.actor is not None and bool(access.find_children(ctx.uow, ctx.actor, purpose=Purpose.VIEW, name=name))


def _slip_with_name(ctx: Ctx, keywords: list[str], typed: str, folded: str) -> str | None:
    """``谈新 杨秀云`` → ``谈心 杨秀云``: a command word's slip, then a name (the command checks the name)."""
    named = [w for w in keywords if commands.COMMANDS.get(w) in _NAMED]
    found = _HEAD.fullmatch(unicodedata.normalize("NFKC", typed))
    if found is not None:  # the name set apart by a space or a colon: it may be misspelt too (the command offers)
        head, rest = found.group("head"), found.group("rest")
        word = _sounds_like(named, head) if head not in keywords else None
        return f"{word} {rest}" if word is not None and not _a_child(ctx, head) else None
    for size in sorted({len(w) for w in named}):  # glued (谈新杨秀云): only before a child they may see
        head, rest = folded[:size], folded[size:]
        word = _sounds_like(named, head) if head not in keywords and 2 <= len(rest) <= MAX_SLIP_CHARS else None
        if word is not None and _a_child(ctx, rest):
            return f"{word} {rest}"
    return None


def ask(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """``您是想发送“帮助”吗？`` for a slip, as the current question; None when ``typed`` is no slip.

    Not asked where the question shown wants words (a note, a name): there the text is the answer.
    """
    if ctx.conv.flow == FLOW or ctx.conv.data.get("free_text"):
        return None
    word = slip_of(ctx, typed)
    if word is None:
        return None
    old = {"flow": ctx.conv.flow, "state": ctx.conv.state, "data": ctx.conv.data} if ctx.conv.flow else None
    ctx.conv.data = {"v": {"word": word, "typed": typed, "old": old}}
    return [ctx.ask(FLOW, STATE, DID_YOU_MEAN, {"word": text(word)}, YES_NO)]


def settle(ctx: Ctx, payload: str | None, typed: str | None) -> list[Prompt] | str | None:
    """The slip question answered, when it is the running flow.

    Returns:
        The command word to handle instead of the answer (yes); the reply
        (no); None for anything else — the question is dropped first, and the
        update is handled as if it had not been asked.
    """
    if ctx.conv.flow != FLOW:
        return None
    number = typed_answers.number(typed or "") if payload is None else None
    if number is not None and not 1 <= number <= len(YES_NO):  # a number is for the question shown, no other
        question = ctx.current_prompt()
        return [hints.number_between(len(YES_NO)), *([question] if question is not None else [])]
    answer = _answer(ctx, payload, typed)
    values = dismiss(ctx)
    old = values.get("old")
    word = str(values.get("word") or "")
    if answer == "yes" and old and commands.COMMANDS.get(word) == "help":
        return [commands.help_prompt(ctx), *_again(ctx)]  # the list, and the flow's question back (as /due does)
    if answer == "yes":
        return word
    if answer != "no":
        return None
    if old:
        return [say(LEFT_IT), *_again(ctx)]
    # "Not 帮助": a family member's words are a message like any other (nothing said is dropped).
    return family_flow.unanswered(ctx, str(values.get("typed") or "")) or [say(LEFT_IT)]


def answering(ctx: Ctx, typed: str) -> bool:
    """Whether ``typed`` answers the slip question shown (``是``, ``不是``, a number): it answers nothing else."""
    return ctx.conv.flow == FLOW and (typed_answers.number(typed) is not None or _answer(ctx, None, typed) is not None)


def dismiss(ctx: Ctx) -> dict[str, Any]:
    """Drop the slip question (answered, or passed over): the flow running before it runs again; its values."""
    values = dict(ctx.values)
    ctx.finish()
    ctx.conv.agenda = agenda.remove(ctx.conv.agenda, agenda.FLOW_KEY)
    old = values.get("old")
    if old:  # the flow that was running is running again (its buttons keep working)
        agenda_flow.restore(ctx, str(old["flow"]), old.get("state"), dict(old.get("data") or {}))
        ctx.conv.agenda = agenda.show(ctx.conv.agenda, agenda.flow_entry(ctx.now))
    return values


def _again(ctx: Ctx) -> list[Prompt]:
    """"Back to your talk with 杨婷:" and the running flow's question."""
    question = ctx.current_prompt()
    return [agenda_flow.back_to(ctx), question] if question is not None else []


def _answer(ctx: Ctx, payload: str | None, typed: str | None) -> str | None:
    """``yes``, ``no`` or None: the slip question's button, its number or its words (``是``, ``好的``, ``不是``)."""
    choices: list[str] = ctx.conv.data.get("choices") or []
    if payload is not None:
        pressed = payloads.decode(payload)
        ok = isinstance(pressed, payloads.FlowChoice) and pressed.version in (ctx.conv.data.get("versions") or [])
        return pressed.value if ok and isinstance(pressed, payloads.FlowChoice) else None
    number = typed_answers.number(typed or "")
    if number is not None:
        return choices[number - 1] if 1 <= number <= len(choices) else None
    prompt = ctx.current_prompt()
    picked = typed_answers.matching(ctx, prompt.choices if prompt else (), typed or "")
    pressed = payloads.decode(picked.payload) if picked is not None else None
    return pressed.value if isinstance(pressed, payloads.FlowChoice) else None

