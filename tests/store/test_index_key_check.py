"""A wrong phone index key is refused at start-up (it would make every phone lookup find nobody)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from sqlalchemy import delete

from bot.store import crypto
from bot.store.db import make_engine
from bot.store.models import IndexKeyCheck
from tests.store.test_crypto import key_file_db  # noqa: F401 (a fixture)


def test_a_wrong_index_key_is_refused_with_a_sentence_and_the_right_one_works(
    key_file_db: Path, sample_roster: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.cli import main

    assert main(["import", str(sample_roster)]) == 0
    stolen = crypto.read_key_file(key_file_db.with_name("guanai.db.key"))
    data_key = base64.b64encode(stolen.keys[stolen.current]).decode()
    monkeypatch.setenv("GUANAI_DATA_KEY", data_key)  # the right data key …
    monkeypatch.setenv("GUANAI_DATA_INDEX_KEY", base64.b64encode(crypto.new_key()).decode())  # … a wrong index key
    monkeypatch.setenv("GUANAI_TELEGRAM_TOKEN", "123:abc")
    capsys.readouterr()
    for command in (["db", "upgrade"], ["run"], ["keys", "check"], ["invite", "13800000000"]):
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert "The data key cannot be used: the phone index key from GUANAI_DATA_INDEX_KEY is not the one" in err
        assert "Traceback" not in err

    monkeypatch.setenv("GUANAI_DATA_INDEX_KEY", base64.b64encode(stolen.index_key).decode())
    assert main(["keys", "check"]) == 0


def test_a_database_from_before_the_check_is_checked_against_a_phone_before_recording(
    key_file_db: Path, sample_roster: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.cli import main

    assert main(["import", str(sample_roster)]) == 0
    stolen = crypto.read_key_file(key_file_db.with_name("guanai.db.key"))
    engine = make_engine(f"sqlite:///{key_file_db}")
    with engine.begin() as conn:  # as a database upgraded from before the check value existed
        conn.execute(delete(IndexKeyCheck))
    engine.dispose()
    monkeypatch.setenv("GUANAI_DATA_KEY", base64.b64encode(stolen.keys[stolen.current]).decode())
    monkeypatch.setenv("GUANAI_DATA_INDEX_KEY", base64.b64encode(crypto.new_key()).decode())
    capsys.readouterr()
    assert main(["keys", "check"]) == 2
    assert "the phone index key from GUANAI_DATA_INDEX_KEY is not the one" in capsys.readouterr().err
    monkeypatch.setenv("GUANAI_DATA_INDEX_KEY", base64.b64encode(stolen.index_key).decode())
    assert main(["keys", "check"]) == 0
