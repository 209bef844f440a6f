"""The everyday words people type instead of tapping: 收到, 好的, 知道了, ok, 👍 (issue 6, item 3).

Each list is one catalog entry per meaning (yes, no, received, skip, good,
so-so, needs help), translated per language, so a school can add the words its
families use without touching the code. A typed answer matches a list after
:func:`fold`: full-width forms, case, spaces and punctuation do not matter, nor
a trailing particle (``好了``, ``收到啦``, ``好的呀``) or a doubled word (``好的好的``).

A button's label maps to the lists that answer it (:data:`LABEL_WORDS`), so
``嗯`` answers "Yes", ``收到`` an incident alert's "Acknowledge", ``挺好`` a
check-in's "All good".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.domain.traditional import simplified
from bot.i18n import LOCALES, gettext
from bot.messages.prompt import N_

WORD_LISTS: dict[str, str] = {
    "yes": N_("Everyday words for yes (comma-separated): yes, y, yeah, yep, sure, ok, okay, right, please"),
    "no": N_("Everyday words for no (comma-separated): no, n, nope, none, no thanks, not needed, no need"),
    "received": N_("Everyday words for received (comma-separated): ok, okay, got it, received, noted, "
                   "understood, roger, will do, on my way, thanks, thank you, yes, 👍, 👌"),
    # Thanks are words for a teacher: passed on at a check-in, never "not one of the answers" (bot.flows.closed_seen).
    "thanks": N_("Everyday words for thanks (comma-separated): thanks, thank you, thanks a lot, thank you teacher, "
                 "many thanks, thx, cheers"),
    # 不需要, 没有, nope, none at an optional note: no note, never the note everyone reads (fix6v).
    "skip": N_("Everyday words for skip (comma-separated): skip, nothing, nothing more, no thanks, pass, no, nope, "
               "no need, none, not needed, no note, nothing to add, n/a"),
    "good": N_("Everyday words for good (comma-separated): good, all good, fine, well, great, very good"),
    # 好的, 嗯, ok, 👍 to "how was the week?": maybe "fine", maybe "read it" — asked back, naming the child
    # (bot.flows.checkin_confirm, fix6q; fix6g once recorded them as "good").
    "week_ok": N_("Everyday words that answer a weekly check-in as all good (comma-separated): ok, okay, o.k., "
                  "yes, yep, 👍, 👌"),
    "so_so": N_("Everyday words for so-so (comma-separated): so-so, so so, average, not bad, okay-ish, fair"),
    "poor": N_("Everyday words for poor (comma-separated): poor, bad, not good, not well, not so good, not great, "
               "low, unhappy, worse, terrible"),
    # "How is the child this week?" answered 不太好: a worry to note, not a call for help (a trial user's meaning).
    "not_so_good": N_("Everyday words for not so good (comma-separated): not so good, not too good, not great, "
                      "not very good, could be better"),
    "needs_help": N_("Everyday words for needs help (comma-separated): help, need help, needs help, sos, "
                     "not good, bad, problem, trouble"),
    # Contained anywhere in a check-in answer (孩子病了, 不太好，老是哭): "needs help" (bot.flows.checkin_worry).
    "worry": N_("Everyday words of worry about a child, found anywhere in a message (comma-separated): sick, ill, "
                "unwell, fever, crying, cries, cried, keeps crying, hurt, injured, in pain, not eating, "
                "won't eat, wont eat, vomiting, throwing up, in hospital"),
    # 挺好的就是有点咳嗽, she has a bit of a cold: "so-so", the words a note, when no worry word is left (fix6af).
    "mild": N_("Everyday words of a mild complaint, so-so at a check-in when nothing worse is said (comma-separated): "
               "a bit of a cold, a little cold, a slight cold, a cold, a bit of a cough, a little cough, a slight "
               "cough, a cough, coughing a bit, a runny nose, runny nose, the sniffles, sniffles"),
    # Contained anywhere in a check-in answer (她需要帮助, 孩子需要老师帮助, she needs help): "needs help" (fix6x).
    "help_wanted": N_("Everyday words asking for help, found anywhere in a check-in answer (comma-separated): "
                      "need help, needs help, needing help, need some help, needs some help, need your help, "
                      "needs your help, need the teacher's help, needs the teacher's help, ask for help, "
                      "asking for help"),
    # "Any safety concerns?": only words that say there is one — not 好, 好的, ok (bot.flows.talk.SAFETY_ANSWERS).
    "concern": N_("Everyday words for a safety concern (comma-separated): yes, y, yeah, there is, there are, "
                  "concern, a concern, yes a concern"),
    "come": N_("Everyday words for coming to a meeting (comma-separated): i will come, will come, coming, "
               "i can come, can come, i'll be there, attend, will attend"),
    "cannot_come": N_("Everyday words for not coming to a meeting (comma-separated): cannot come, can't come, "
                      "not coming, won't come, i cannot come, unable to come, not attending, busy"),
    "change": N_("Everyday words for changing an answer (comma-separated): change, change it, wrong, "
                 "that's wrong, mistake, undo, edit"),
    # Opening a clause right after a check-in answer (刚才按错了应该是需要帮助, I meant so-so): the answer is corrected
    # (bot.flows.checkin_amend, fix6ak); inside a clause (作业写错了) they are no correction.
    "correction": N_("Everyday words that correct an answer just given, at the start of a message (comma-separated): "
                     "wrong, that's wrong, that is wrong, not right, that's not right, mistake, my mistake, "
                     "i meant, i mean, meant, should be, it should be, change it to, change to, make it, "
                     "wrong button, wrong one, wrong answer, pressed the wrong one, pressed the wrong button, "
                     "tapped the wrong one, typed the wrong number, pressed wrong, correction"),
    # 不改了 at "what should the answer be?" (bot.flows.checkin_amend.keep, fix6an): the answer stands.
    "keep_answer": N_("Everyday words for leaving an answer as it is (comma-separated): no change, don't change it, "
                      "do not change it, leave it, leave it as it is, keep it, keep it as it is, as it is, "
                      "no need to change, never mind"),
    "more": N_("Everyday words for the next page of a list (comma-separated): more, next, next page, "
               "more tasks, show more"),
    "cancel": N_("Everyday words for cancel (comma-separated): cancel, never mind, forget it, stop, quit, abort, "
                 "don't send, do not send"),
    # "she is fine" / "he's fine" without "now" is 她很好, a rating, in English too: no all clear (fix6ai).
    "all_clear": N_("Everyday words for all clear after an incident (comma-separated): all clear, all fine now, "
                    "all good now, it's fine now, fine now, "
                    "no problem now, don't worry, he is fine now, she is fine now, he's fine now, she's fine now, "
                    "is fine now, is safe, is safe now, is back, is home, "
                    "are fine now, are safe, are back, are home, found, found her, found him, found them, "
                    "we found her, we found him, we found them, she was found, he was found, was found, "
                    "she is back, he is back, she's back, he's back, she is home, he is home, she's home, "
                    "he's home, she is safe, he is safe, she's safe, he's safe, back home, safe now"),
    "back": N_("Everyday words for going back a step (comma-separated): back, go back, previous, previous step"),
    # 继续 at "要放弃吗？": go back to the unfinished work (取消 there abandons it: fix6m).
    "resume": N_("Everyday words for going on with unfinished work (comma-separated): continue, go on, resume, "
                 "keep going, carry on, go back to it"),
    # 报告老师, 老师 alone: calling the teacher, the message comes next (bot.flows.to_teacher, fix6ad).
    "teacher_address": N_("Everyday words that only call the teacher, the message still to come (comma-separated): "
                          "teacher, hello teacher, hi teacher, dear teacher, excuse me teacher, report, "
                          "report teacher, report to the teacher, tell the teacher"),
    # 保存 / save typed at a talk card's question before its Save (bot.flows.talk_save, fix6ac).
    "save": N_("Everyday words for saving a record (comma-separated): save, save it, save the talk, submit, "
               "save now, save and finish"),
    # "Did you link it yourself?" (bot.services.binding_probation): words that say "me", never a bare yes,
    # 好的 or 收到 — confirming gives the new chat the children's alerts (fix9ab).
    "it_was_me": N_("Everyday words for it was me, confirming a new account (comma-separated): it was me, it's me, "
                    "its me, it is me, me, yes it was me, yes it's me, yes it is me, i did, yes i did, i linked it, "
                    "i did it, that was me, that's me, mine, it's mine"),
    "not_me": N_("Everyday words for it was not me, refusing a new account (comma-separated): it was not me, "
                 "it wasn't me, wasn't me, not me, no, no it wasn't me, no not me, i didn't, i did not, "
                 "not mine, that wasn't me, that's not me, it's not me"),
    # The school's question after phoning (bot.services.binding_probation.school_question): typed-only, as
    # "it_was_me" — confirming gives a stranger's chat the children's alerts if the phone call said no (fix9ac).
    "confirm_link": N_("Everyday words for confirming a new account after phoning (comma-separated): confirm the "
                       "account, confirm account, confirm the new account, confirm it, it was them, it's them, "
                       "yes it was them, checked it was them"),
    "refuse_link": N_("Everyday words for refusing a new account after phoning (comma-separated): refuse, "
                      "refuse it, refuse the account, not them, it was not them, it wasn't them, do not confirm, "
                      "don't confirm"),
    # 好吧, 行吧, 那好吧: "all right then" — agreement, never a question for all its 吧 (fix6b).
    "agree": N_("Everyday words for agreeing (comma-separated): all right then, alright then, okay then, ok then, "
                "fine then, very well, if you say so"),
}
"""One catalog entry per meaning: a description, a colon, then the words (``，`` or ``,`` between them)."""

LABEL_WORDS: dict[str, tuple[str, ...]] = {
    "Yes": ("yes",),
    "No": ("no",),
    "Skip": ("skip",),
    "Change my answer": ("change",),
    "Cancel": ("cancel",),  # 算了, 不回了 while writing an answer to a family: cancelled, never sent (issue 6)
    "Back": ("back",),
    "Go back to it": ("resume", "back"),  # 继续, 返回 at "Drop it?" (bot.flows.switch)
    "Acknowledge": ("received", "yes", "agree"),
    "All good": ("good",),
    "Yes, all good": ("yes", "good", "received", "agree"),  # 好的 asked back (bot.flows.checkin_confirm): now yes
    "So-so": ("so_so", "not_so_good"),  # the check-in's middle answer (不太好): the talk card's "Fair" is not
    "Needs help": ("needs_help",),
    "No, not a change": ("no",),  # "change it to 需要帮助?" (bot.flows.checkin_amend): 不是, 不, no
    "No concern": ("no",),  # the talk card's safety question (bot.flows.talk.SAFETY_ANSWERS): 否, 没有, no
    "Yes, a concern": ("concern",),  # 是, 有, yes — never the "yes" list's 好 / ok / 嗯
    "No follow-up needed": ("no",),  # the talk card's follow-up question (bot.flows.talk.FOLLOW_UP_ANSWERS)
    "Needs follow-up: add a task for me": ("yes",),  # 是, 需要, yes, as when it read 是 / 否
    "Yes, about {name}": ("yes",),  # "which child?" asked again after a close (bot.services.all_clear_closed)
    "No, take it back": ("no",),
    "Send them to the teacher": ("yes",),
    "No need": ("no",),
    "Save": ("save",),  # the talk card's confirm (存, 提交, save it)
    "Good": ("good",),  # a talk card's ratings (bot.flows.talk): 很好, 挺好的, 还行, 不太好
    "Fair": ("so_so",),
    "Poor": ("poor",),
    "Yes, I will come": ("yes", "received", "come"),  # 好的, 收到, 行, 能去 to a meeting invitation: they will come
    "I cannot come": ("no", "cannot_come"),
    "It was me": ("it_was_me",),  # "Did you link it yourself?": typed-only, never "yes" or 好的 (fix9ab)
    "It was not me": ("not_me",),
    "Confirm the account": ("confirm_link",),  # the school's question after phoning: typed-only (fix9ac)
    "Refuse": ("refuse_link",),
    "More tasks ({count} left)": ("more",),  # /tasks paging (bot.flows.tasks): 更多, 下一页, next
}
"""A choice label's message id → the word lists that pick it."""

# Sentence-final particles that change nothing in an answer: 好了, 收到啦, 好的呀, 知道了哈.
_PARTICLES = "了啦呀啊哦噢吧呢哈嘛喔的"


def fold(typed: str) -> str:
    """``typed`` as compared with the lists: NFKC, case-folded, simplified, no spaces, punctuation, final particles.

    Emoji (symbols) are kept: ``👍`` is an answer. A word made only of
    particles (``啊``) is kept as it is rather than folded to nothing.
    Traditional characters count as simplified: ``確認``, ``謝謝`` answer an alert as ``确认``, ``谢谢`` do.
    """
    normal = simplified(unicodedata.normalize("NFKC", typed).casefold())
    kept = "".join(ch for ch in normal if not ch.isspace() and not unicodedata.category(ch).startswith("P"))
    stripped = kept.rstrip(_PARTICLES)
    return stripped or kept


@lru_cache(maxsize=64)
def words(locale: str, kind: str) -> frozenset[str]:
    """The folded words of one list (``kind`` a key of :data:`WORD_LISTS`) in every catalog's language.

    Every language's words count whatever the person's locale: ``ok`` is typed
    everywhere, and a teacher who chose English still answers ``收到`` (``locale``
    is kept for a catalog that is not among :data:`~bot.i18n.LOCALES`).
    """
    entry = WORD_LISTS[kind]
    found: set[str] = set()
    for listed in {entry, gettext(locale, entry), *(gettext(other, entry) for other in LOCALES)}:
        tail = listed.replace("：", ":").partition(":")[2]
        found.update(fold(w) for w in tail.replace("，", ",").replace("、", ",").split(",") if w.strip())
    found.discard("")
    return frozenset(found)


def matches(locale: str, kind: str, typed: str) -> bool:
    """Whether ``typed`` is one of the everyday words of ``kind`` (``好的好的`` counts as ``好的``)."""
    want = fold(typed)
    if not want:
        return False
    known = words(locale, kind)
    if want in known:
        return True
    half = len(want) // 2
    return len(want) % 2 == 0 and want[:half] == want[half:] and want[:half] in known


_HOW_THE_WEEK_WAS = frozenset({"All good", "So-so", "Needs help", "Good", "Fair", "Poor"})
"""The check-in's and the talk card's ratings: an acknowledgement (``好的``, ``👍``, ``ok``) is no answer to
"how was the week" or "how was the child's mood"."""


_GOOD = frozenset({"All good", "Good"})


def label_matches(locale: str, label_id: str, typed: str) -> bool:
    """Whether ``typed`` picks the choice labelled ``label_id`` through its everyday words.

    An acknowledgement (``好的``, ``嗯``, ``ok``, ``👍``) picks no rating: at a check-in it is asked back,
    naming the child (:mod:`bot.flows.checkin_confirm`, fix6q), and the confirmation's "Yes, all good" takes it.
    """
    if label_id in _HOW_THE_WEEK_WAS and is_only_acknowledgement(locale, typed):
        return False
    if label_id == "Yes, all good" and matches(locale, "thanks", typed):
        return False  # 谢谢老师 at "是说杨秀云这周很好吗？" is courtesy, no yes (bot.flows.closed_seen, fix6v)
    if label_id in _GOOD and is_question(typed):
        return False  # 没事吧， asks how the child is: no "good week" (一般般吧 still hedges a "so-so")
    return any(matches(locale, kind, typed) for kind in LABEL_WORDS.get(label_id, ()))


def before_thanks(locale: str, typed: str) -> str | None:
    """``不用了`` for ``不用了，谢谢``, ``nope`` for ``nope thanks``: the words before a closing thank-you, else None.

    A polite answer often ends with thanks; what comes before is the answer (compared with the lists by the
    caller). None when ``typed`` does not end with a word of the "thanks" list, or is nothing but thanks.
    """
    want = fold(typed)
    for thanks in sorted(words(locale, "thanks"), key=len, reverse=True):
        if len(want) > len(thanks) and want.endswith(thanks):
            return want[:-len(thanks)]
    return None


def is_only_acknowledgement(locale: str, typed: str) -> bool:
    """``好的``, ``收到``, ``👍``, ``ok`` — "I have read it" — but not ``好`` or ``很好``, which say "good".

    Folding drops the particle of ``好的`` (it is ``好`` in the lists), so the
    word as typed, particle kept, is compared with the "good" list as well.
    """
    if not is_acknowledgement(locale, typed):
        return False
    normal = simplified(unicodedata.normalize("NFKC", typed).casefold())
    kept = "".join(ch for ch in normal if not ch.isspace() and not unicodedata.category(ch).startswith("P"))
    return kept not in words(locale, "good")


def is_only_emoji(typed: str) -> bool:
    """``😀``, ``🌹🌹``: symbols alone, no letter or digit — no answer to a numbered question, nor a message."""
    normal = unicodedata.normalize("NFKC", typed)
    kinds = {unicodedata.category(ch) for ch in normal if not ch.isspace()}
    return "So" in kinds and kinds <= {"So", "Sk", "Mn", "Me", "Cf"}


def says_nothing(typed: str) -> bool:
    """Spaces, zero-width characters (a zero-width space) or emoji alone (``😀``, 3000 of them): no words to read.

    Such text answers no question and is no message for a teacher, however long it is.
    """
    normal = unicodedata.normalize("NFKC", typed)
    return all(ch.isspace() or unicodedata.category(ch) in _NO_WORDS for ch in normal)


_NO_WORDS = frozenset({"So", "Sk", "Mn", "Me", "Cf", "Zs", "Zl", "Zp"})
"""Categories of symbols, marks and invisible format characters (zero-width space and joiner, variation
selectors' companions): what emoji and blank text are made of."""


def is_acknowledgement(locale: str, typed: str) -> bool:
    """``收到``, ``好的``, ``ok``, ``👍``: an answer that says "I have read it" and nothing more."""
    return matches(locale, "received", typed) or matches(locale, "yes", typed) or matches(locale, "agree", typed)


@lru_cache(maxsize=8)
def _agreeing() -> frozenset[str]:
    """The agreement words of every catalog as typed, particles kept (``好吧``, ``那好吧``, ``okaythen``)."""
    entry = WORD_LISTS["agree"]
    found: set[str] = set()
    for listed in {entry, *(gettext(locale, entry) for locale in LOCALES)}:
        tail = listed.replace("：", ":").partition(":")[2]
        found.update(_as_typed(w) for w in tail.replace("，", ",").replace("、", ",").split(",") if w.strip())
    found.discard("")
    return frozenset(found)


def _as_typed(typed: str) -> str:
    """``typed`` normalised like :func:`fold` but with its final particles kept (``好吧`` stays ``好吧``)."""
    normal = simplified(unicodedata.normalize("NFKC", typed).casefold())
    return "".join(ch for ch in normal if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


# The last words that make a sentence ask: 没事了吗, 没事吧 (吧 seeks confirmation: 没事了吧 asks), 没事了嘛,
# 找到了没(有), 好不, 好么, 呢 — looked for among the sentence's final particles (没事了吧哈 asks as well).
_QUESTION_ENDS = ("没有", "吗", "吧", "嘛", "呢", "么", "没", "不")
_QUESTION_WORDS = ("是不是", "有没有", "是否", "对不对", "好不好")
_ENDING_PARTICLES = _PARTICLES + "吗么"
# An English sentence that opens with an auxiliary or a wh-word asks, "?" or not: is 杨秀云 fine, did she come home.
_ASKING_EN = frozenset({"is", "are", "was", "were", "do", "does", "did", "has", "have", "can", "could", "will",
                        "would", "should", "how", "what", "where", "when", "why", "who"})
_FIRST_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _is_trailing(ch: str) -> bool:
    """Punctuation, brackets, quotes or spaces, full- or half-width (Unicode P* and Z*): nothing of the words."""
    return ch.isspace() or unicodedata.category(ch)[0] in "PZ"


def is_question(typed: str) -> bool:
    """``孩子没事吧？``, ``杨秀云没事了吧，``, ``孩子没事吧)``, ``是不是没事了``, ``is 杨秀云 fine``: a question.

    Folding (:func:`fold`) drops final particles and punctuation, so ``没事吧`` would read as ``没事``:
    the words as typed are looked at here (a worried question is no all clear, a breaker found it broadcast).
    Whatever ends the sentence — ``，`` ``,`` ``;`` ``)`` ``”`` or spaces — is set aside first, unless it holds
    a question mark. The one question test of the all clear and the check-in, so neither tells nor answers.
    """
    normal = simplified(unicodedata.normalize("NFKC", typed).casefold()).strip()
    end = len(normal)
    while end and _is_trailing(normal[end - 1]):
        end -= 1
    if "?" in normal[end:]:  # (NFKC makes ？ a ?)
        return True
    if _as_typed(normal[:end]) in _agreeing():  # 好吧, 行吧, 那好吧: "all right then" agrees (fix6b)
        return False
    words = normal[:end].removesuffix("着呢")  # 好着呢 tells (着呢 stresses): no 呢 that asks
    if any(w in words for w in _QUESTION_WORDS):
        return True
    particles = words[len(words.rstrip(_ENDING_PARTICLES)):]
    if any(p in particles for p in "吗吧嘛呢么") or words.endswith(_QUESTION_ENDS):
        return True
    return _asks_in_english(words)


def _asks_in_english(words: str) -> bool:
    """``is 杨秀云 fine``, ``did she come home``, ``she's fine, right``: English that asks without a "?"."""
    opening = _FIRST_WORD.match(words.replace("’", "'"))
    if opening is not None and opening.group() in _ASKING_EN:
        return not re.match(r"do\s+not\b", words)  # "do not worry" tells
    tail = re.findall(r"[a-z]+", words)[-2:]
    return tail[-1:] == ["right"] and tail[:1] != ["all"]  # "she is all right" tells
