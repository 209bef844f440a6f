"""Photos and voice messages of the family link (letters, replies), kept in a folder (``GUANAI_MEDIA_DIR``).

Files are named by random ids under a folder per month (``2026-12/3f…9a.jpg``),
never by a person's or child's name; the name (the *ref*) is what the
database, the outbox and the conversations keep. A ref is checked before use,
so a tampered one cannot reach outside the folder. Contents are never logged.

The folder and its month folders are created 0700 (an existing one is
narrowed to it) and every file 0600 from the moment it exists, like the
SQLite database file: photos of children's letters are the school's, not
every local user's. An erased child's files are removed with :meth:`delete`.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from datetime import UTC, datetime
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
_REF = re.compile(r"\d{4}-\d{2}/[0-9a-f]{32}\.(jpg|png|ogg|amr|mp3|m4a)")
SUFFIXES = {"photo": ".jpg", "voice": ".ogg"}


class MediaRefError(ValueError):
    """A ref that does not name a file of this store."""


class FileMediaStore:
    """The media folder.

    Args:
        folder: where files go (created when first needed).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @staticmethod
    def _private_folder(path: Path) -> None:
        path.mkdir(mode=FOLDER_MODE, exist_ok=True)
        if stat.S_IMODE(path.stat().st_mode) != FOLDER_MODE:  # made by an earlier version, or the umask
            os.chmod(path, FOLDER_MODE)

    def save(self, data: bytes, suffix: str) -> str:
        """Keep ``data`` and return its ref (``suffix`` such as ``.jpg``; written atomically)."""
        if not re.fullmatch(r"\.(jpg|png|ogg|amr|mp3|m4a)", suffix):
            raise MediaRefError(f"unsupported suffix {suffix!r}")
        ref = f"{datetime.now(UTC):%Y-%m}/{secrets.token_hex(16)}{suffix}"
        path = self.folder / ref
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self._private_folder(self.folder)
        self._private_folder(path.parent)
        tmp = path.with_suffix(path.suffix + ".part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)  # never readable by others, not briefly
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return ref

    def delete(self, ref: str) -> None:
        """Remove the file of a ref (already gone: nothing to do).

        Raises:
            MediaRefError: not a ref of this store.
        """
        self.path(ref).unlink(missing_ok=True)

    def path(self, ref: str) -> Path:
        """The file of a ref.

        Raises:
            MediaRefError: not a ref of this store.
        """
        if not _REF.fullmatch(ref):
            raise MediaRefError("not a media ref")
        return self.folder / ref

    def load(self, ref: str) -> bytes:
        """The bytes of a ref.

        Raises:
            MediaRefError: not a ref of this store.
            FileNotFoundError: the file is gone.
        """
        return self.path(ref).read_bytes()
