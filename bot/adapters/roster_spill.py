"""Parsed roster rows kept in an encrypted temporary file instead of memory (issue 7, item 6).

A city's 花名册 has 260,000 children; held as parsed rows it took about 3 KB
each. :class:`ChildSpill` takes them one by one (``append``), writes them in
blocks of :data:`BLOCK` rows, and gives them back in order on each iteration,
so the import reads, checks and writes the roster with memory that does not
grow with it.

The rows are about children (addresses, health, phones): each block is
encrypted with AES-GCM under a key made for this spill and held only in this
process's memory, the file is created private (``tempfile``: mode 0600) and
removed when the spill is closed or collected. Nothing of it outlives the import.
"""

from __future__ import annotations

import os
import pickle
import struct
import tempfile
from collections.abc import Iterator
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.domain.roster import ChildRow

BLOCK = 2_000
_LENGTH = struct.Struct(">I")


class ChildSpill:
    """An append-then-iterate sequence of :class:`ChildRow`s in an encrypted temporary file."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="guanai-roster-")  # noqa: SIM115 - closed in close()
        self._aead = AESGCM(AESGCM.generate_key(bit_length=128))
        self._blocks = 0
        self._count = 0
        self._buffer: list[tuple[str, int, dict[str, Any], int]] = []
        self._headings: list[dict[str, str]] = []  # one per sheet, shared by its rows
        self._heading_index: dict[int, int] = {}

    def append(self, row: ChildRow, /) -> None:
        """Add a row at the end (written out once a block is full)."""
        index = self._heading_index.get(id(row.headings))
        if index is None:
            self._headings.append(row.headings)  # kept: its id is never reused while the spill lives
            index = self._heading_index[id(row.headings)] = len(self._headings) - 1
        self._buffer.append((row.sheet, row.row, row.values, index))
        self._count += 1
        if len(self._buffer) >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        nonce = self._blocks.to_bytes(12, "big")  # one key per spill, one nonce per block: never reused
        data = self._aead.encrypt(nonce, pickle.dumps(self._buffer, protocol=pickle.HIGHEST_PROTOCOL), None)
        self._file.seek(0, os.SEEK_END)
        self._file.write(_LENGTH.pack(len(data)) + data)
        self._blocks += 1
        self._buffer = []

    def __iter__(self) -> Iterator[ChildRow]:
        self._flush()
        position = 0
        for block in range(self._blocks):
            self._file.seek(position)
            (length,) = _LENGTH.unpack(self._file.read(_LENGTH.size))
            data = self._file.read(length)
            position += _LENGTH.size + length
            # Our own bytes, authenticated under a key that never left this process: safe to unpickle.
            rows = pickle.loads(self._aead.decrypt(block.to_bytes(12, "big"), data, None))  # noqa: S301
            for sheet, number, values, index in rows:
                yield ChildRow(sheet, number, values, self._headings[index])

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def close(self) -> None:
        """Remove the file (also done when the spill is collected)."""
        self._file.close()
        self._buffer = []

    def __del__(self) -> None:
        self._file.close()
