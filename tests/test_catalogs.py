"""Every message id marked in the code has a Chinese translation; placeholders match."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
FIELD = re.compile(r"\{(\w+)\}")


KEYWORDS = {"N_": None, "plural": (1, 2), "nmsg": (1, 2)}
"""How the code marks message ids: ``N_`` one, ``bot.messages.prompt.plural`` / ``nmsg`` a count message's two."""


def _extracted_messages() -> list[str | tuple[str, ...]]:
    return [message for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT / "bot"), method_map=[("**.py", "python")], keywords=KEYWORDS)]


def _extracted() -> set[str]:
    return {message if isinstance(message, str) else message[0] for message in _extracted_messages()}


def _catalog(locale: str):
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def test_every_message_has_a_chinese_translation() -> None:
    zh = _catalog("zh_Hans")
    missing = sorted(m for m in _extracted() if not (zh.get(m) and zh.get(m).string))
    assert missing == []


def _forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def test_translations_keep_the_same_placeholders() -> None:
    zh = _catalog("zh_Hans")
    wrong = [
        m.id
        for m in zh
        if m.id and m.string
        and any(set(FIELD.findall(form)) != set(FIELD.findall(_forms(m.id)[0])) for form in _forms(m.string))
    ]
    assert wrong == []


def test_count_messages_have_plural_forms_in_both_catalogs() -> None:
    """A count message (``plural`` / ``nmsg``): English ``1 child`` / ``2 children``, Chinese its one form."""
    counted = [m for m in _extracted_messages() if isinstance(m, tuple)]
    assert counted
    for locale, forms in (("en", 2), ("zh_Hans", 1)):
        catalog = _catalog(locale)
        assert catalog.num_plurals == forms, locale
        for singular, plural_id in counted:
            entry = catalog.get(singular)
            assert entry is not None and entry.pluralizable and entry.id == (singular, plural_id), (locale, singular)
            assert len(entry.string) == forms and all(entry.string), (locale, singular)


def test_english_counts_read_one_child_two_children() -> None:
    from bot.i18n import render
    from bot.messages.prompt import Prompt, nmsg

    def shown(n: int, locale: str) -> str:
        return render(Prompt("{c}", {"c": nmsg("{count} child", "{count} children", n, count=n)}), locale).text

    assert (shown(1, "en"), shown(2, "en"), shown(0, "en")) == ("1 child", "2 children", "0 children")
    assert (shown(1, "zh_Hans"), shown(2, "zh_Hans")) == ("1名儿童", "2名儿童")


def test_english_catalog_exists_and_parses() -> None:
    en = _catalog("en")
    assert en.locale is not None and str(en.locale) == "en"


def test_every_entry_of_both_catalogs_is_well_formed() -> None:
    """A merge once left six English ids without their ``msgstr``: the console then warned on every English reply."""
    for locale in ("zh_Hans", "en"):
        with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            read_po(fh, locale=locale, abort_invalid=True)  # raises on an entry without its msgstr


def test_no_message_id_is_defined_twice() -> None:
    # Babel keeps the first of two entries silently; msgfmt --check refuses the file.
    import collections

    for locale in ("zh_Hans", "en"):
        text = (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        ids = collections.Counter(re.findall(r'^msgid ((?:".*"\n)+)', text + "\n", flags=re.M))
        assert [i for i, n in ids.items() if n > 1] == [], locale


def test_the_rosters_relationship_words_are_read_in_the_readers_language() -> None:
    # 与儿童关系 as the sample roster writes it (../shared/data/roster-sample.xlsx) and its everyday forms.
    from bot.i18n import render
    from bot.messages.labels import KINSHIP_LABELS, kinship_param
    from bot.messages.prompt import Prompt

    def shown(word: str, locale: str) -> str:
        return render(Prompt("{relation}", {"relation": kinship_param(word)}), locale, "Asia/Shanghai").text

    assert shown("外祖父", "en") == "grandfather (maternal)" and shown("外祖父", "zh_Hans") == "外祖父"
    assert shown("奶奶", "en") == "grandmother (paternal)" and shown("奶奶", "zh_Hans") == "祖母"
    assert shown("叔叔", "en") == "uncle (father's younger brother)" and shown("姑姑", "en") == "aunt (father's sister)"
    assert shown("干爹", "en") == "干爹"  # a word the table does not know is shown as written
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert [w for w in KINSHIP_LABELS if cjk.search(shown(w, "en"))] == []
    assert [w for w in KINSHIP_LABELS if not cjk.search(shown(w, "zh_Hans"))] == []


CONVERTED = {  # plural9: count messages that read "(s)" or "1 people" in English before, now in plural forms
    "{count} photo of a letter. Whose letter is it? Choose the child or type the name.": "1 photo of a letter.",
    "Send {count} photo of {child}'s letter to {parents}?": "Send 1 photo of",
    "{child}'s letter is on its way to {count} parent. Their replies will come to the class teacher.":
        "on its way to 1 parent.",
    "Unlinked {count} account of {name}.": "Unlinked 1 account of",
    "{kind}, {when}, at {place}: {count} person will be invited.": ": 1 person will be invited.",
    "Invitation sent to {count} person. They are reminded the day before, and I will ask you afterwards who came.":
        "Invitation sent to 1 person.",
    "{invited} person was invited, so at most {invited} can have come. Please reply with how many of them came.":
        "1 person was invited,",
    "Recorded: {count} came ({invited} was invited).": "(1 was invited)",
    "Cancel the {kind} of {when}? The {invited} person invited will be told. This cannot be undone.":
        "The 1 person invited will be told.",
    "Move the {kind} from {old} to {new}? The {invited} person invited will be told and asked again whether they "
    "can come.": "The 1 person invited will be told",
    "Moved. The {count} person invited is told the new time and asked again whether they can come.":
        "The 1 person invited is told",
    "The meeting is cancelled. The {count} person invited is told.": "The 1 person invited is told.",
    "{class_name}: {count} person, {pending} not joined yet.": ": 1 person, 1 not joined yet.",
    "Wrote {count} invite to {file}.": "Wrote 1 invite to",
    "Who read or changed {child}'s record ({count} entry):": "(1 entry):",
    "Archives (一人一档): {complete} of {total} card complete.": "1 of 1 card complete.",
    "Aid records: {added} added, {known} already there, {rejected} row rejected.": "1 row rejected.",
    "{leaver} was paired with {count} child: that pairing ended, and {successor} has a hand-over task to pair the "
    "child anew.": "was paired with 1 child:",
    "{count} open task of {leaver} was handed to {successor}.": "1 open task of",
    "{count} child was erased on request on {dates} and was not imported again; if they must be restored, run again "
    "with --restore-erased.": "1 child was erased on request",
    "The table has {count} problem to correct first (the cards, or the class sheet):": "The table has 1 problem to",
    "{count} problem: nothing was written. Correct it, or write the table anyway with --force.": "1 problem: nothing",
    "Imported the term {term}: {count} child.": ": 1 child.",
    "Phone lookups: {count} person re-indexed with the new index key.": "1 person re-indexed",
    "({count} more message went to others, such as {names}: :as NAME shows theirs, :all prints every message.)":
        "(1 more message went to others,",
    "… and {count} earlier one, not shown.": "… and 1 earlier one, not shown.",
    "Consent recorded for {granted} of {total} child of the school ({percent}%).": "1 of 1 child of the school",
    "{school}: consent granted for {granted} of {total} child ({percent}%); pending {pending}, declined {declined}, "
    "withdrawn {withdrawn}.": "consent granted for 1 of 1 child (1%)",
    "Guardian consent is recorded for the {total} child.": "recorded for the 1 child.",
    "Guardian consent is recorded for {granted} of {total} child ({percent}%). Until a child's guardian agrees, that "
    "child gets no weekly check-ins and no talk records. Guardians are asked when they join in chat; signed paper "
    "forms go in a 监护人同意 column or are entered with guanai consent CHILD --agree (guanai consent --pending lists "
    "the children waiting).": "recorded for 1 of 1 child (1%).",
    "Remove this {children} child and {staff} staff (their history is kept)? Type yes to confirm: ":
        "Remove this 1 child and 1 staff",
    "Removed: {children} child left the school (history kept), {staff} staff left (roles and chat access ended).":
        "Removed: 1 child left the school",
    "{children} child and {staff} staff are not in the file; nothing was removed. Run again with --apply-removals "
    "to record that they left.": "1 child and 1 staff are not in the file",
    "No signal: the {count} guardian asked in this week's check-in has not answered. Please check that our messages "
    "reach them.": "the 1 guardian asked in this week's check-in has not answered.",
    "How many came to the {kind} of {when}? {invited} was invited and {yes} said they would come. Reply with a "
    "number.": "1 was invited and 1 said",
    "{kind}, {when}, at {place}: {invited} invited; {yes} will come, {no} cannot come, {none} has not replied yet.":
        "1 has not replied yet.",
}


def test_converted_count_messages_read_one_in_english_and_as_before_in_chinese() -> None:
    from bot.i18n import render
    from bot.messages.prompt import Prompt, plural

    counted = {m[0]: m[1] for m in _extracted_messages() if isinstance(m, tuple)}
    assert sorted(set(CONVERTED) - set(counted)) == []  # each is marked with plural()/nmsg() in the code
    zh = _catalog("zh_Hans")
    for singular, one in CONVERTED.items():
        params = {name: 1 for name in FIELD.findall(singular)}
        english = [render(Prompt(*plural(singular, counted[singular], n, **params)), "en").text for n in (1, 2)]
        assert one in english[0] and english[0] != english[1], singular
        chinese = {render(Prompt(*plural(singular, counted[singular], n, **params)), "zh_Hans").text for n in (1, 2)}
        assert chinese == {zh.get(singular).string[0].format(**params)}, singular


def test_no_english_message_reads_s_in_brackets() -> None:
    assert [m for m in _extracted() if "(s)" in m] == []
