"""``guanai keys rotate`` and ``guanai keys check``: the data keys of encryption at rest (docs/privacy.md)."""

from __future__ import annotations

import argparse

from bot.commands.output import say
from bot.messages.prompt import N_, plural


def cmd_keys(args: argparse.Namespace) -> int:
    """Check the data key, or rotate it (new key, every value re-encrypted); 0 when done.

    A wrong or missing key raises :class:`bot.store.crypto.DataKeyError`,
    which ``bot.cli`` turns into one sentence and exit status 2.
    """
    from bot.config import load_settings
    from bot.store import crypto, keys
    from bot.store.db import make_engine
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    if args.keys_command == "check":
        # Reads only: no migration, no new key file (a missing one is the error to show), no canary.
        crypto.load(settings.database_url, create=False)
        engine = make_engine(settings.database_url)
        try:
            keys.check(engine, record=False)
        finally:
            engine.dispose()
        say(locale, N_("The data key opens this database."))
        return 0
    # Migrations, then the key check (a new phone index key listed first is accepted for a rotation).
    prepare_database(settings.database_url, reindexing=args.keys_command == "rotate")
    engine = make_engine(settings.database_url)
    try:
        key_id, changed, reindexed = keys.rotate(engine, forget_old=args.forget_old)
    finally:
        engine.dispose()
    say(locale, N_("New data key {key}: {count} values re-encrypted."), key=key_id, count=changed)
    message_id, params = plural("Phone lookups: {count} person re-indexed with the new index key.",
                                "Phone lookups: {count} people re-indexed with the new index key.", reindexed,
                                count=reindexed)
    say(locale, message_id, **params)
    return 0
