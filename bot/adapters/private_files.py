"""Files a person saves from the bot (exports, charts): readable by their owner only (issue 10, item 2).

An export holds children's addresses, parents' phones and health notes: it is
written 0600 like the database and the key file, from the moment it exists
(``os.open`` with the mode, never a umask-wide file narrowed later), also when
it replaces an earlier file of the same name. The folder they go to
(``guanai-files/`` for the console) is the owner's only too, 0700, like the
media folder: an earlier version made it 0755, and it is narrowed when next used.
Log files the bot writes (``guanai-demo.log``) are opened the same way
(:class:`PrivateLogHandler`): they carry ids only, but ids still tell who had
an incident and when.
"""

from __future__ import annotations

import io
import logging
import os
import stat
from pathlib import Path
from typing import cast

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) as a folder only its owner may open, 0700; returns ``path``.

    Parents are created as the umask says (they are the owner's working
    directories); the folder itself is made 0700 from the start, and an
    existing one with another mode is narrowed to 0700.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir(mode=FOLDER_MODE, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != FOLDER_MODE:  # made by an earlier version, or the umask
        os.chmod(path, FOLDER_MODE)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (created or replaced) with mode 0600; returns ``path``."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # an existing file keeps its old mode through O_CREAT
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
    finally:
        if fd >= 0:
            os.close(fd)
    return path


def write_new_private(path: Path, data: bytes) -> Path:
    """Write ``data`` (mode 0600) to ``path``, or to ``name-2.xlsx``, ``name-3.xlsx``… when that file exists.

    Never replaces a file: two people exporting the same table on the same day in one demo (or two runs of a
    command) each keep theirs (issue 9). Returns the path written, for the person to be told.
    """
    for n in range(1, 10_000):
        candidate = path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return candidate
    raise FileExistsError(path)


class PrivateLogHandler(logging.FileHandler):
    """A ``logging.FileHandler`` whose file is created (or narrowed, when it exists) with mode 0600."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in self.mode else os.O_TRUNC)
        fd = os.open(self.baseFilename, flags, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)  # an older log kept its 0644 through O_CREAT
            stream = open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115 — the handler closes it
            return cast(io.TextIOWrapper, stream)
        except BaseException:
            os.close(fd)
            raise
