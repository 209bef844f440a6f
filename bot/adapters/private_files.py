"""Files a person saves from the bot (exports, charts): readable by their owner only (issue 10, item 2).

An export holds children's addresses, parents' phones and health notes: it is
written 0600 like the database and the key file, from the moment it exists
(``os.open`` with the mode, never a umask-wide file narrowed later), also when
it replaces an earlier file of the same name.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600


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
