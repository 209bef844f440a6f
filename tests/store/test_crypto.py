"""Encryption at rest, checked as an auditor would (issue 10, item 2): raw dumps, key files, wrong keys."""

from __future__ import annotations

import base64
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.domain.clock import ManualClock
from bot.services.identity import find_people
from bot.services.roster import import_roster
from bot.store import crypto
from bot.store.db import make_engine
from bot.store.keys import ENCRYPTED
from bot.store.models import Base, Checkin, Child, Incident, IncidentEvent, Person, TalkRecord, Task
from bot.store.models.base import EncryptedJSON, _Encrypted
from bot.store.uow import UnitOfWorkFactory
from tests.handlers.telegram import test_e2e, test_e2e_incidents
from tests.support.botapi_double import BotApiDouble

TEST_KEY = os.environ["GUANAI_DATA_KEY"]  # tests/conftest.py


def raw_dump(url: str) -> str:
    """Everything the database holds, as an attacker with the file or a ``pg_dump`` sees it."""
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        with sqlite3.connect(path) as conn:  # the file and its WAL, read without our engine
            return "\n".join(conn.iterdump())
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = [t.name for t in Base.metadata.sorted_tables]
            return "\n".join(str(row[0]) for name in tables
                             for row in conn.execute(text(f'SELECT t::text FROM "{name}" t')))  # noqa: S608
    finally:
        engine.dispose()


def secrets_in(uow_factory: UnitOfWorkFactory) -> set[str]:
    """The values that must never be readable in a dump: read back through the models (decrypted)."""
    found: set[str] = set()
    with uow_factory() as uow:
        s = uow.session
        for column in (Person.phone, Person.health, Person.work_place, Child.address, Child.health, Child.note,
                       TalkRecord.note, Checkin.follow_up_text, Task.detail, Incident.description,
                       Incident.outcome_note, IncidentEvent.note):
            found.update(v for v in s.scalars(select(column)) if v and len(v) >= 4)
    national = {p[3:] for p in found if p.startswith("+86")}
    return found | national


SCENARIOS = [
    test_e2e.test_teacher_binds_with_an_invite_and_logs_a_talk_with_the_buttons,
    test_e2e.test_guardian_answers_the_check_in_and_the_helper_teacher_hears_at_once,
    test_e2e.test_incident_reaches_guardian_parents_and_officials_on_time,
    test_e2e_incidents.test_a_suspected_abuse_report_never_reaches_the_accused_guardian,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__[5:45])
async def test_after_the_chats_a_raw_dump_holds_no_phone_note_description_or_address(
    scenario, botapi: BotApiDouble, database_url: str, clock: ManualClock, uow_factory: UnitOfWorkFactory,
    sample_roster: Path,
) -> None:
    await scenario(botapi, database_url, clock)
    with uow_factory() as uow:
        import_roster(uow, sample_roster, now=clock.now(), default_timezone="Asia/Shanghai")

    hidden = secrets_in(uow_factory)
    dump = raw_dump(database_url)

    assert len(hidden) > 100  # the roster's phones and addresses, the scenario's notes and descriptions
    assert [v for v in hidden if v in dump] == []
    assert crypto.PREFIX in dump
    with uow_factory() as uow:  # lookups by phone still work, through the blind index
        person = uow.session.scalars(select(Person).where(Person.phone.is_not(None))).first()
        assert person is not None and person in find_people(uow, person.phone[3:])


def test_every_encrypted_column_is_rotated_and_migrated() -> None:
    from importlib import import_module

    declared = {(c.table.name, c.name, isinstance(c.type, EncryptedJSON)) for t in Base.metadata.sorted_tables
                for c in t.columns if isinstance(c.type, (_Encrypted, EncryptedJSON))}
    assert declared == set(ENCRYPTED)
    migrated: set[tuple[str, str]] = set()
    for path in sorted((Path(__file__).parents[2] / "bot/store/migrations/versions").glob("0*.py")):
        migration = import_module(f"bot.store.migrations.versions.{path.stem}")
        migrated |= set(getattr(migration, "TEXTS", ())) | set(getattr(migration, "DOCUMENTS", ()))
        migrated |= set(getattr(migration, "ENCRYPTED_FROM_THE_START", ()))  # a new table: nothing to convert
    assert {(t, c) for t, c, _ in declared} == migrated


def test_a_value_does_not_decrypt_in_another_column_or_with_another_key() -> None:
    keyring = crypto._from_environment(os.environ["GUANAI_DATA_KEY"], None)
    sealed = keyring.encrypt("孩子说继父打他", "talk_records.note")
    assert "孩子" not in sealed and sealed.startswith(f"enc1:{keyring.current}:")
    assert keyring.decrypt(sealed, "talk_records.note") == "孩子说继父打他"
    with pytest.raises(crypto.DataKeyError, match="does not decrypt"):
        keyring.decrypt(sealed, "incidents.description")
    other = crypto.Keyring({keyring.current: crypto.new_key()}, keyring.current, crypto.new_key(), "a test")
    with pytest.raises(crypto.DataKeyError, match="not the one this database was encrypted with"):
        other.decrypt(sealed, "talk_records.note")
    assert keyring.blind("+8613800131234") == keyring.blind("+8613800131234") != other.blind("+8613800131234")


@pytest.fixture
def key_file_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A SQLite deployment with its keys in the default key file (no GUANAI_DATA_KEY)."""
    monkeypatch.delenv("GUANAI_DATA_KEY", raising=False)
    monkeypatch.delenv("GUANAI_DATA_KEY_FILE", raising=False)
    db = tmp_path / "school" / "guanai.db"
    db.parent.mkdir()
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    yield db
    crypto.install(crypto._from_environment(TEST_KEY, None))  # the run's key again, for the next tests


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_its_key_file_are_created_0600_and_a_lost_key_is_a_clear_error(
    key_file_db: Path, sample_roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    assert main(["import", str(sample_roster)]) == 0
    key_file = key_file_db.with_name("guanai.db.key")
    assert _mode(key_file_db) == 0o600 and _mode(key_file) == 0o600
    assert all(_mode(p) == 0o600 for p in key_file_db.parent.glob("guanai.db-*"))  # WAL and shared memory
    capsys.readouterr()

    key_file.rename(key_file.with_name("elsewhere.key"))  # the key file is lost: a new one is made …
    assert main(["db", "upgrade"]) == 2  # … and refused, with a sentence and no traceback
    err = capsys.readouterr().err
    assert "The data key cannot be used: this database holds data encrypted with key" in err
    assert "restore the key file" in err and "Traceback" not in err


def test_a_wrong_data_key_from_the_environment_is_refused_before_anything_runs(
    key_file_db: Path, sample_roster: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import main

    assert main(["import", str(sample_roster)]) == 0
    key_id = crypto.current().current
    stolen = crypto.read_key_file(key_file_db.with_name("guanai.db.key"))
    wrong = base64.b64encode(crypto.new_key()).decode()
    monkeypatch.setenv("GUANAI_DATA_KEY", wrong)
    monkeypatch.setenv("GUANAI_TELEGRAM_TOKEN", "123:abc")
    capsys.readouterr()
    for command in (["db", "upgrade"], ["invite", "13800000000"], ["run"], ["keys", "check"]):
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert f"encrypted with key {key_id}, which is not in GUANAI_DATA_KEY" in err, err
        assert "Traceback" not in err
    monkeypatch.setenv("GUANAI_DATA_KEY", base64.b64encode(stolen.keys[key_id]).decode())
    monkeypatch.setenv("GUANAI_DATA_INDEX_KEY", base64.b64encode(stolen.index_key).decode())
    assert main(["keys", "check"]) == 0


def test_rotation_re_encrypts_everything_and_the_old_key_can_go(
    key_file_db: Path, sample_roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    assert main(["import", str(sample_roster)]) == 0
    key_file = key_file_db.with_name("guanai.db.key")
    old = crypto.read_key_file(key_file).current
    url = f"sqlite:///{key_file_db}"
    before = raw_dump(url)
    assert f"enc1:{old}:" in before

    assert main(["keys", "rotate", "--forget-old"]) == 0

    new = crypto.read_key_file(key_file)
    assert list(new.keys) == [new.current] != [old] and _mode(key_file) == 0o600
    after = raw_dump(url)
    assert f"enc1:{old}:" not in after and f"enc1:{new.current}:" in after
    assert f"New data key {new.current}:" in capsys.readouterr().out
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            addresses = [a for a in conn.scalars(select(Child.address)) if a]
        assert addresses and all(crypto.PREFIX not in a for a in addresses)  # read back decrypted
    finally:
        engine.dispose()
    assert main(["keys", "check"]) == 0


def test_a_check_with_the_key_file_missing_says_so_and_writes_nothing(
    key_file_db: Path, sample_roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    assert main(["import", str(sample_roster)]) == 0
    key_file = key_file_db.with_name("guanai.db.key")
    key_file.unlink()
    capsys.readouterr()
    assert main(["keys", "check"]) == 2
    err = capsys.readouterr().err
    assert f"the key file {key_file} does not exist" in err and "Traceback" not in err
    assert not key_file.exists()  # a check never makes a new key
