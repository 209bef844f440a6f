"""Photos and voice messages of the family link (letters, replies), kept in a folder (``GUANAI_MEDIA_DIR``).

Files are named by random ids under a folder per month (``2026-12/3f…9a.jpg``),
never by a person's or child's name; the name (the *ref*) is what the
database, the outbox and the conversations keep. A ref is checked before use,
so a tampered one cannot reach outside the folder. Contents are never logged.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

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

    def save(self, data: bytes, suffix: str) -> str:
        """Keep ``data`` and return its ref (``suffix`` such as ``.jpg``; written atomically)."""
        if not re.fullmatch(r"\.(jpg|png|ogg|amr|mp3|m4a)", suffix):
            raise MediaRefError(f"unsupported suffix {suffix!r}")
        ref = f"{datetime.now(UTC):%Y-%m}/{secrets.token_hex(16)}{suffix}"
        path = self.folder / ref
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return ref

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
