"""What may stand beside an all clear and keep it one: ``找到了，在奶奶家``, ``we found her, she was at grandma's``.

A message is read as an all clear only when each of its clauses is an all clear or one of these benign
additions: where the child was (``在奶奶家``, ``在同学家``, ``在网吧``, ``at the neighbour's``), that she is well
(``没事``, ``平安``, ``好好的``, ``she's fine``), thanks (``谢谢``, ``thanks``). Anything else beside it — ``满脸是血``,
``哭着说被人摸了``, ``she drank pesticide``, ``bruises all over`` — makes it no all clear, and the words go out in
full to those handling the incident (fix6o): a list of harm words always misses one, and a miss tells parents far
away that a bleeding child is fine. The words are one catalog entry per language, like :mod:`bot.flows.words`;
a listed word may hold ``…``, up to 4 characters or 3 words (``在…家``, ``at …'s``). Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from bot.domain import child_mentions
from bot.domain.traditional import simplified
from bot.i18n import LOCALES, gettext
from bot.messages.prompt import N_

BENIGN = N_("Words that may stand beside an all clear after an incident (comma-separated; … is up to 3 words "
            "between): thanks, thank you, thank you all, thanks everyone, thanks teacher, thank you teacher, sorry, "
            "sorry for the trouble, don't worry, no need to worry, all good, all is well, she's fine, he's fine, "
            "she is fine, he is fine, she's ok, he's ok, she is ok, he is ok, she's okay, he's okay, safe and sound, "
            "she is safe, he is safe, she's safe, he's safe, at …'s, at … house, at … place, at school, at a "
            "friend's, she was at …'s, he was at …'s, she was at … house, he was at … house, was at …'s, she was "
            "playing, he was playing, was playing, playing, she was at school, he was at school, at the internet "
            "cafe, she fell asleep, he fell asleep, fell asleep at …'s, she had gone to …'s, he had gone to …'s, "
            "had gone to …'s, she went to …'s, he went to …'s, went to …'s, she had gone to … house, he had gone "
            "to … house, you scared me, what a relief, phew, thank god, thank goodness")
"""The benign additions: one catalog entry, a description, a colon, then the words."""

# A clause's end: Chinese and Latin punctuation, a full stop before a space (``found her. he is not moving``).
# Also between the news and where the child was, typed without a comma: 找到了在他同学家 (fix6s).
CLAUSES = re.compile(r"[，,。;；!！?？\n、]|\.(?=\s|$)|(?<=了)(?=在)")
# Who the clause is about, before where she was (她在奶奶家, 人在同学家): set aside like a name.
_WHO = re.compile(r"^(?:孩子们|孩子|小孩|娃娃|娃|她们|他们|她|他|人)")
_PARTICLES = "了啦呀啊哦噢吧呢哈嘛喔的"
# Why the child is all right again, said after the news (fix6av): 没事了，烧退了 / 孩子没事了，已经接回家了 / she is
# fine now, the fever is gone. The fever words would read as harm (发烧, fever in
# :data:`bot.flows.all_clear_words.HURT`); said as gone, they are the reason for the all clear. Trouble beside them
# (就是还在咳, 但是腿还疼) still makes the message no all clear.
RECOVERED = re.compile(
    r"(?:体温|烧)(?:已经|也|都|总算|终于)?(?:退了|退下去了?|退下来了?|降下来了?|正常了?|退)|"
    r"(?:已经|也|都|总算|终于)?退烧了?|(?:已经|也)?不(?:发)?烧了|"
    r"(?:已经|也)?(?:被|让|由)?(?:爷爷|奶奶|外公|外婆|姥姥|姥爷|爸爸|妈妈|家长|家里人|大人|老师)?接回(?:家|去|来)了?|"
    r"(?:已经|也)?(?:到家|回到家)了?|(?:已经|现在)?好(?:多)?了|"
    r"(?:the |her |his )?fever(?: is| has|'s)? (?:gone|down|gone down|broken|over)(?: now)?|"
    r"(?:the |her |his )?fever (?:went|has gone) (?:down|away)(?: now)?|no (?:more )?fever(?: now)?|"
    r"(?:she|he)(?: is|'s) (?:back )?(?:at )?home(?: now)?|we took (?:her|him) home|"
    r"(?:she|he) (?:was|has been) (?:picked up|taken home)|(?:she|he)(?: is|'s) (?:much )?better(?: now)?")
_GAP = "…"


def _norm(typed: str) -> str:
    """NFKC, case-folded, simplified; punctuation but the apostrophe dropped, spaces single."""
    normal = simplified(unicodedata.normalize("NFKC", typed).casefold()).replace("’", "'")
    kept = "".join(ch if ch == "'" or not unicodedata.category(ch).startswith("P") else " " for ch in normal)
    return " ".join(kept.split())


@lru_cache(maxsize=8)
def _patterns() -> tuple[re.Pattern[str], ...]:
    """The listed words of every catalog as whole-clause patterns; ``…`` a short gap."""
    found: set[str] = set()
    for listed in {BENIGN, *(gettext(locale, BENIGN) for locale in LOCALES)}:
        tail = listed.replace("：", ":").partition(":")[2]
        found.update(w.strip() for w in tail.replace("，", ",").replace("、", ",").split(",") if w.strip())
    out = []
    for word in sorted(found):
        parts = [_norm(part) for part in word.replace("...", _GAP).split(_GAP)]
        latin = all(part.isascii() for part in parts)
        gap = r"(?:\s*[^\s']+){0,3}\s*" if latin else r"[^\s]{0,4}"
        if not latin:  # 好好的 is read as typed 好好的 or 好好: final particles are dropped from both
            parts = ["".join(part.split()) for part in parts]
            parts[-1] = parts[-1].rstrip(_PARTICLES) or parts[-1]
        out.append(re.compile(gap.join(re.escape(part) for part in parts)))
    return tuple(out)


def benign(clause: str, children: Sequence[tuple[int, str]] = ()) -> bool:
    """Whether ``clause`` is a benign addition to an all clear (``在奶奶家``, ``thanks``), the child's name aside.

    Args:
        clause: one clause as typed (no clause punctuation in it).
        children: the writer's children, id and name: ``杨秀云在奶奶家`` is where 杨秀云 was.
    """
    text = _norm(clause)
    for form in sorted({f for _i, name in children for f in (*child_mentions.forms(name),
                                                              *child_mentions.latin_forms(name))},
                       key=len, reverse=True):
        text = text.replace(form, " ")
    text = " ".join(text.split())
    chinese = _WHO.sub("", "".join(text.split())).rstrip(_PARTICLES)
    if RECOVERED.fullmatch(text) or (chinese and RECOVERED.fullmatch(chinese)):
        return True  # 烧退了, the fever is gone: why the child is all right again (fix6av)
    return any(p.fullmatch(text) or (chinese and p.fullmatch(chinese)) for p in _patterns())
