"""``guanai keys rotate`` as an admin runs it after a suspected leak: new data and phone-index keys, nothing lost."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.services.identity import find_people
from bot.store import crypto
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Child, DashboardEdit, Letter, LetterReply, Person, StaffTotp
from bot.store.uow import UnitOfWorkFactory
from tests.store.test_crypto import TEST_KEY, key_file_db, raw_dump  # noqa: F401 (a fixture)

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
REPLY = "乖孩子，爸爸过年就回来"
ADDRESS = "清溪镇石门村五组3号"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOKEN = re.compile(r"#([0-9a-f]{32})")


@pytest.fixture
def uow_of(key_file_db: Path) -> Iterator[UnitOfWorkFactory]:  # noqa: F811
    """Units of work on the deployment's database (the engine installs the keyring of the moment)."""
    engine = make_engine(f"sqlite:///{key_file_db}")
    yield UnitOfWorkFactory(make_session_factory(engine))
    engine.dispose()


def _add_family_link_and_dashboard_rows(uow_of: UnitOfWorkFactory) -> None:
    with uow_of() as uow:
        s = uow.session
        child = s.scalars(select(Child).order_by(Child.id)).first()
        teacher, parent = s.scalars(select(Person).order_by(Person.id).limit(2)).all()
        assert child is not None
        letter = Letter(child_id=child.id, teacher_id=teacher.id, photos=[], created_at=NOW)
        s.add(letter)
        s.flush()
        s.add(LetterReply(letter_id=letter.id, parent_id=parent.id, text=REPLY, received_at=NOW))
        s.add(DashboardEdit(person_id=teacher.id, child_id=child.id, field="address", old_value=None,
                            new_value=ADDRESS, at=NOW))
        s.add(StaffTotp(person_id=teacher.id, secret=SECRET))
        uow.commit()


def _people(uow_of: UnitOfWorkFactory) -> tuple[int, dict[int, str], tuple[int, str]]:
    """How many people, their natural keys, and ``(id, phone)`` of the first with a phone."""
    with uow_of() as uow:
        s = uow.session
        keys = dict(s.execute(select(Person.id, Person.natural_key)).all())
        someone = s.execute(select(Person.id, Person.phone).where(Person.phone.is_not(None))
                            .order_by(Person.id)).first()
        assert someone is not None
        return len(keys), keys, (someone[0], someone[1])


def test_rotating_renews_both_keys_and_everything_stays_readable_and_findable(
    key_file_db: Path, uow_of: UnitOfWorkFactory, sample_roster: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    assert main(["import", str(sample_roster)]) == 0
    _add_family_link_and_dashboard_rows(uow_of)
    key_file = key_file_db.with_name("guanai.db.key")
    before = crypto.read_key_file(key_file)
    count, keys_before, someone = _people(uow_of)
    tokens_before = {t for k in keys_before.values() for t in TOKEN.findall(k)}
    assert tokens_before  # guardians and parents are recognised by their phone's index
    capsys.readouterr()

    assert main(["keys", "rotate", "--forget-old"]) == 0

    out = capsys.readouterr().out
    after = crypto.read_key_file(key_file)
    assert f"New data key {after.current}:" in out and "people re-indexed with the new index key" in out
    assert list(after.keys) == [after.current] != [before.current]
    assert after.index_key != before.index_key and after.old_index_keys == ()
    assert "old_indexes" not in json.loads(key_file.read_text())
    dump = raw_dump(f"sqlite:///{key_file_db}")
    assert f"enc1:{before.current}:" not in dump
    assert REPLY not in dump and ADDRESS not in dump and SECRET not in dump
    assert not tokens_before & set(re.findall(r"[0-9a-f]{32}", dump))  # no index of the old key is left

    with uow_of() as uow:  # read back with the new key only
        s = uow.session
        assert s.scalar(select(LetterReply.text)) == REPLY
        assert s.scalar(select(DashboardEdit.new_value)) == ADDRESS
        assert s.scalar(select(StaffTotp.secret)) == SECRET
        assert someone[0] in [p.id for p in find_people(uow, someone[1][3:])]
    _, keys_after, _ = _people(uow_of)
    tokens_after = {t for k in keys_after.values() for t in TOKEN.findall(k)}
    assert len(tokens_after) == len(tokens_before) and tokens_after <= {after.blind(p) for p in _phones(uow_of)}
    assert main(["keys", "check"]) == 0

    assert main(["import", str(sample_roster)]) == 0  # the same roster again: everyone is recognised
    assert _people(uow_of)[0] == count


def _phones(uow_of: UnitOfWorkFactory) -> set[str]:
    with uow_of() as uow:
        return {p for p in uow.session.scalars(select(Person.phone)) if p}


def test_an_index_key_from_the_environment_is_rotated_by_listing_the_new_one_first(
    key_file_db: Path, sample_roster: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
    capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("GUANAI_DATA_KEY", TEST_KEY)  # the index key is derived from it until one is set
    assert main(["import", str(sample_roster)]) == 0
    url = f"sqlite:///{key_file_db}"
    engine = make_engine(url)
    uow_of = UnitOfWorkFactory(make_session_factory(engine))
    count, _, someone = _people(uow_of)
    engine.dispose()

    new_index = base64.b64encode(crypto.new_key()).decode()
    monkeypatch.setenv("GUANAI_DATA_INDEX_KEY", new_index)  # the earlier (derived) one need not be listed
    assert main(["keys", "rotate"]) == 0
    reindexed = re.search(r"Phone lookups: (\d+) people re-indexed", capsys.readouterr().out)
    assert reindexed and int(reindexed.group(1)) > 0

    engine = make_engine(url)
    uow_of = UnitOfWorkFactory(make_session_factory(engine))
    with uow_of() as uow:
        assert someone[0] in [p.id for p in find_people(uow, someone[1][3:])]
        assert uow.session.scalar(select(func.count()).select_from(Person).where(
            Person.phone_index == crypto.blind_with(base64.b64decode(new_index), someone[1]))) >= 1
    engine.dispose()
    assert main(["import", str(sample_roster)]) == 0  # recognised again: no one is added twice
    engine = make_engine(url)
    assert _people(UnitOfWorkFactory(make_session_factory(engine)))[0] == count
    engine.dispose()
