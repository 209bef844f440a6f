"""The media folder (letter photos, voice replies) is private like the database file: 0700 folders, 0600 files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters.media_files import FileMediaStore, MediaRefError

PHOTO = b"\xff\xd8\xff\xe0 a child's letter to her father \xff\xd9"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The umask of a careless service account: files would be world-readable by default."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_saved_photo_is_readable_by_the_bot_only(tmp_path: Path, permissive_umask: None) -> None:
    store = FileMediaStore(tmp_path / "data" / "media")

    ref = store.save(PHOTO, ".jpg")

    path = store.path(ref)
    assert store.load(ref) == PHOTO
    assert _mode(tmp_path / "data" / "media") == 0o700 and _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no ".part" left behind


def test_a_media_folder_made_by_an_earlier_version_is_narrowed(tmp_path: Path, permissive_umask: None) -> None:
    folder = tmp_path / "media"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)  # noqa: S103 — what an earlier version left
    store = FileMediaStore(folder)

    store.save(PHOTO, ".jpg")

    assert _mode(folder) == 0o700


def test_a_deleted_photo_is_gone_from_disk_and_a_tampered_ref_reaches_nothing(tmp_path: Path) -> None:
    store = FileMediaStore(tmp_path / "media")
    ref = store.save(PHOTO, ".jpg")
    (tmp_path / "secret.txt").write_text("outside")

    store.delete(ref)
    store.delete(ref)  # twice: nothing to do

    assert not store.path(ref).exists()
    with pytest.raises(MediaRefError):
        store.delete("../secret.txt")
    assert (tmp_path / "secret.txt").exists()
