"""Which other families' children a family member's words name (fix6u; fix6ad).

李雪, grandmother of 刘婷婷 and 刘帅, writes ``杨秀云需要帮助``. Words naming another active child of her children's
school by full name are passed to that child's class teacher (:mod:`bot.services.other_child_words`), never
answered differently: what she reads is the same as for a name that is no child (docs/flows/relay.md).

Full names are compared (``杨秀云``, not ``秀云``: a given name is shared by too many children), in characters or
in pinyin as English is written (``Yang Xiuyun needs help``, fix6an). A clause that opens with a nickname
(``小云需要帮助``: :func:`bot.domain.name_like.nickname_subject`) names the one child of the school called so, and
nobody when several are. The writer's own children's names and forms are never counted as another's. Nothing
found here is shown to the writer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pypinyin import Style, lazy_pinyin
from sqlalchemy import select

from bot.domain import child_mentions, name_like
from bot.domain.traditional import simplified
from bot.services.family_messages import FamilyChild, family_children
from bot.services.ports import UnitOfWork
from bot.store.models import Child


def named(uow: UnitOfWork, person_id: int, words: str) -> list[Child]:
    """The active children of the writer's children's schools, not theirs, that ``words`` name by full name.

    For passing the words to those children's class teachers (:mod:`bot.services.other_child_words`); never
    shown to the writer.
    """
    mine = family_children(uow, person_id)
    if not mine or not words.strip():
        return []
    own_ids = [c.id for c in mine]
    folded = simplified("".join(words.split()))
    for form in sorted({f for c in mine for f in child_mentions.forms(c.name)}, key=len, reverse=True):
        folded = folded.replace(form, "\0")
    schools = select(Child.school_id).where(Child.id.in_(own_ids))
    found = uow.session.scalars(select(Child).where(
        Child.school_id.in_(schools), Child.active.is_(True), Child.id.not_in(own_ids)).order_by(Child.id)).all()
    named_here = [c for c in found if len(n := simplified("".join(c.name.split()))) >= 2 and n in folded]
    named_here += [c for c in _in_pinyin(words, mine, found) + _by_nickname(words, mine, found) if c not in named_here]
    # 王小红 and 王小红丽 both at the school: the longer name typed is the one meant, never both.
    return [c for c in named_here if not any(c.name != o.name and c.name in o.name for o in named_here)]


def _in_pinyin(words: str, mine: list[FamilyChild], found: Sequence[Child]) -> list[Child]:
    """``Yang Xiuyun needs help``, ``yangxiuyun``, ``Xiuyun Yang``: a full name in pinyin, as whole words."""
    spaced = " ".join(re.findall(r"[a-z]+", simplified(words).casefold()))
    for form in sorted({f for c in mine for f in child_mentions.latin_forms(c.name)}, key=len, reverse=True):
        spaced = re.sub(rf"\b{re.escape(form)}\b", " ", spaced)  # her own 刘帅 as Liu Shuai is hers
    return [c for c in found if any(re.search(rf"\b{re.escape(form)}\b", spaced) for form in _latin_full(c.name))]


def _latin_full(name: str) -> set[str]:
    """A full name in toneless pinyin, surname first or last, or run together (杨秀云: yang xiuyun, xiuyunyang …)."""
    full = simplified("".join(name.split()))
    given = child_mentions.given_name(full)
    surname = full[: len(full) - len(given)]
    if not surname or not given:
        return set()
    last, first = ("".join(lazy_pinyin(part, style=Style.NORMAL, errors="ignore")) for part in (surname, given))
    if not (last + first).isascii() or not last or not first:
        return set()
    return {f"{last} {first}", f"{first} {last}", f"{last}{first}"}


def _by_nickname(words: str, mine: list[FamilyChild], found: Sequence[Child]) -> list[Child]:
    """``小云需要帮助``: the one child of the school called 小云 at home; nobody when that nickname is several's."""
    own = {f for c in mine for f in (*child_mentions.forms(c.name), *child_mentions.latin_forms(c.name))}
    out: list[Child] = []
    for clause in re.split(r"[，,。.；;！!？?\n]+", words):
        nick = name_like.nickname_subject(clause, own) if clause.strip() else None
        called = [c for c in found if nick and nick in child_mentions.forms(c.name)]
        out.extend(c for c in called if len(called) == 1 and c not in out)
    return out
