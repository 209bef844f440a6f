"""Encryption at rest (issue 10, item 2): AES-256-GCM with a key id in every value, and a keyed blind index.

What is encrypted — talk notes, check-in notes, task details and outcomes, incident
descriptions and outcome notes, incident event notes, programme task notes,
monthly-news lines, family-call notes, parents' replies to letters,
phones, addresses, health and aid fields, education plans, aid records' items,
recorded card changes, and the JSON of conversations
(drafts), outbox messages and WeChat reply copies — is declared on the
models with :class:`EncryptedText`, :class:`EncryptedString` and
:class:`EncryptedJSON` (``bot.store.models``). A value is stored as
``enc1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``; the associated data is
the key id and ``table.column``, so a value copied into another column does
not decrypt. Phone lookups use :func:`blind` (HMAC-SHA-256 with a separate
index key) in ``people.phone_index`` and in people's natural keys.

Keys (:class:`Keyring`) come from, in this order:

* ``GUANAI_DATA_KEY``: base64 of 32 bytes, or several comma-separated (the
  first encrypts, all decrypt); the index key is ``GUANAI_DATA_INDEX_KEY`` (the
  first if several are listed: the others are earlier index keys, used only by
  ``guanai keys rotate`` to re-index) or, without it, derived from the last key
  listed (keep the original key last);
* a key file (``GUANAI_DATA_KEY_FILE``; default ``<database file>.key`` beside
  a SQLite database, ``guanai-data.key`` in the working directory for
  PostgreSQL), created with mode 0600 on first use. ``guanai keys rotate``
  adds a data key and a new index key to it, re-encrypts every value and
  recomputes the blind indexes (``bot.store.keys``).

The keyring is process-wide (:func:`install`, done by
:func:`bot.store.db.make_engine`): one deployment has one database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.messages.prompt import N_

PREFIX = "enc1:"
KEY_BYTES = 32
NONCE_BYTES = 12
DEFAULT_KEY_FILE = "guanai-data.key"


class DataKeyError(Exception):
    """The data key is missing, malformed or not the one the data was encrypted with.

    ``str(error)`` is a sentence for the operator (no key material, no data);
    ``message_id`` and ``params`` give it in the operator's language.
    """

    def __init__(self, message_id: str, **params: object) -> None:
        """A message id of the catalogs and its parameters."""
        self.message_id = message_id
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(message_id.format(**self.params))


def key_id(key: bytes) -> str:
    """A key's id: the first 8 hex digits of its SHA-256 (stable, reveals nothing useful)."""
    return hashlib.sha256(b"guanai key id\x00" + key).hexdigest()[:8]


@dataclass
class Keyring:
    """Data keys by id (``current`` encrypts) and the blind-index key.

    Attributes:
        keys: key id → 32-byte AES key.
        current: the id of the key new values are encrypted with.
        index_key: the HMAC key of :meth:`blind`.
        old_index_keys: earlier index keys, only to re-index what was computed with them (:mod:`bot.store.keys`).
        source: where the keys came from (a file path or ``GUANAI_DATA_KEY``), for messages.
    """

    keys: dict[str, bytes]
    current: str
    index_key: bytes
    source: str = ""
    old_index_keys: tuple[bytes, ...] = ()
    _aead: dict[str, AESGCM] = field(default_factory=dict, repr=False)

    def _cipher(self, kid: str) -> AESGCM:
        cipher = self._aead.get(kid)
        if cipher is None:
            if kid not in self.keys:
                raise DataKeyError(N_("the data was encrypted with key {key}, which is not in {source}; restore "
                                      "the key file (or GUANAI_DATA_KEY) that goes with this database"),
                                   key=kid, source=self.source)
            cipher = self._aead[kid] = AESGCM(self.keys[kid])
        return cipher

    def encrypt(self, plaintext: str, context: str) -> str:
        """``plaintext`` encrypted with the current key, bound to ``context`` (``table.column``)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._cipher(self.current).encrypt(nonce, plaintext.encode("utf-8"),
                                                    f"{self.current}|{context}".encode())
        return f"{PREFIX}{self.current}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, value: str, context: str) -> str:
        """The plaintext of an :meth:`encrypt` result; a value without the prefix is returned as it is (legacy).

        Raises:
            DataKeyError: unknown key id, or the value does not authenticate (wrong key, altered data).
        """
        if not value.startswith(PREFIX):
            return value
        try:
            kid, blob = value[len(PREFIX):].split(":", 1)
            raw = base64.b64decode(blob, validate=True)
        except (ValueError, binascii.Error):
            raise DataKeyError(N_("a stored value of {context} is damaged (not an encrypted value)"),
                               context=context) from None
        try:
            plain = self._cipher(kid).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], f"{kid}|{context}".encode())
        except InvalidTag:
            raise DataKeyError(N_("a value of {context} does not decrypt with key {key} from {source}: the key is "
                                  "not the one this database was encrypted with, or the data was altered"),
                               context=context, key=kid, source=self.source) from None
        return plain.decode("utf-8")

    def blind(self, value: str) -> str:
        """The keyed blind index of ``value`` (32 hex digits): equal values match, nothing else is revealed."""
        return blind_with(self.index_key, value)


def blind_with(index_key: bytes, value: str) -> str:
    """The blind index of ``value`` under ``index_key`` (an earlier key too, to re-index)."""
    return hmac.new(index_key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


# ----------------------------------------------------------------------------- loading keys


def _decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (ValueError, binascii.Error):
        raise DataKeyError(N_("{where} is not base64"), where=where) from None
    if len(key) != KEY_BYTES:
        raise DataKeyError(N_("{where} must be {size} bytes (base64 of 32 random bytes), not {length}"), where=where,
                           size=KEY_BYTES, length=len(key))
    return key


def _from_environment(value: str, index: str | None) -> Keyring:
    keys = [_decode_key(part, "GUANAI_DATA_KEY") for part in value.split(",") if part.strip()]
    if not keys:
        raise DataKeyError(N_("GUANAI_DATA_KEY is empty"))
    derived = hmac.new(keys[-1], b"guanai blind index", hashlib.sha256).digest()
    indexes = [_decode_key(part, "GUANAI_DATA_INDEX_KEY") for part in (index or "").split(",") if part.strip()]
    if not indexes:
        return Keyring({key_id(k): k for k in keys}, key_id(keys[0]), derived, "GUANAI_DATA_KEY")
    # The derived key is an earlier index key too: the one in use before GUANAI_DATA_INDEX_KEY was set.
    old = tuple(dict.fromkeys(k for k in [*indexes[1:], derived] if k != indexes[0]))
    return Keyring({key_id(k): k for k in keys}, key_id(keys[0]), indexes[0], "GUANAI_DATA_KEY", old_index_keys=old)


def new_key() -> bytes:
    """32 random bytes."""
    return secrets.token_bytes(KEY_BYTES)


def write_key_file(path: Path, keyring: Keyring) -> None:
    """Write ``keyring`` to ``path`` with mode 0600 (created so; never world-readable, not even briefly)."""
    content = json.dumps({
        "format": "guanai-data-keys-1",
        "current": keyring.current,
        "keys": {kid: base64.b64encode(k).decode("ascii") for kid, k in keyring.keys.items()},
        "index": base64.b64encode(keyring.index_key).decode("ascii"),
        **({"old_indexes": [base64.b64encode(k).decode("ascii") for k in keyring.old_index_keys]}
           if keyring.old_index_keys else {}),
    }, indent=2) + "\n"
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def read_key_file(path: Path) -> Keyring:
    """The keyring in ``path``.

    Raises:
        DataKeyError: unreadable or malformed file.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = {kid: _decode_key(k, f"key {kid} in {path}") for kid, k in data["keys"].items()}
        index = _decode_key(data["index"], f"the index key in {path}")
        old = tuple(_decode_key(k, f"an earlier index key in {path}") for k in data.get("old_indexes", []))
        current = data["current"]
    except DataKeyError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise DataKeyError(N_("the key file {path} cannot be read as a guanai key file"), path=path) from None
    if current not in keys:
        raise DataKeyError(N_("the key file {path} names a current key {key} it does not hold"), path=path, key=current)
    return Keyring(keys, current, index, str(path), old_index_keys=old)


def key_file_for(url: str) -> Path:
    """Where the key file of ``url`` is by default: beside a SQLite file, else in the working directory."""
    configured = os.environ.get("GUANAI_DATA_KEY_FILE")
    if configured:
        return Path(configured)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1].split("?", 1)[0] if "///" in url else ""
        if path and path != ":memory:":
            return Path(path + ".key")
    return Path(DEFAULT_KEY_FILE)


def _in_memory(url: str) -> bool:
    bare = url.split("?", 1)[0]
    return bare.startswith("sqlite") and (":memory:" in bare or bare.rstrip("/") in ("sqlite:", "sqlite+pysqlite:"))


def load(url: str, *, create: bool = True) -> Keyring:
    """The keyring for the database at ``url`` (see the module doc for the order of sources).

    An in-memory SQLite database without configured keys gets a random key
    that lives as long as the process, like the database.

    Raises:
        DataKeyError: a configured key is malformed; the key file is unreadable.
    """
    value = os.environ.get("GUANAI_DATA_KEY", "")
    if value.strip():
        return _from_environment(value, os.environ.get("GUANAI_DATA_INDEX_KEY"))
    if not os.environ.get("GUANAI_DATA_KEY_FILE") and _in_memory(url):
        key = new_key()
        return Keyring({key_id(key): key}, key_id(key), new_key(), "a key of this process (in-memory database)")
    path = key_file_for(url)
    if path.exists():
        return read_key_file(path)
    if not create:
        raise DataKeyError(N_("the key file {path} does not exist"), path=path)
    key = new_key()
    keyring = Keyring({key_id(key): key}, key_id(key), new_key(), str(path))
    if path.parent.is_dir():  # else the database cannot be created either: that error is the one to show
        write_key_file(path, keyring)
    return keyring


_INSTALLED: Keyring | None = None


def install(keyring: Keyring) -> None:
    """Make ``keyring`` the process's keyring (the encrypted column types use it)."""
    global _INSTALLED
    _INSTALLED = keyring


def current() -> Keyring:
    """The installed keyring; without one (a script that made no engine), the one for the default database.

    Raises:
        DataKeyError: no usable key.
    """
    keyring = _INSTALLED
    if keyring is None:
        keyring = load(os.environ.get("GUANAI_DATABASE_URL", "sqlite:///guanai.db"))
        install(keyring)
    return keyring


def blind(value: str) -> str:
    """:meth:`Keyring.blind` with the installed keyring."""
    return current().blind(value)


def phone_index(phone: str | None) -> str | None:
    """The blind index of a phone number (E.164 as stored), or None."""
    return blind(phone) if phone else None


def as_json_text(value: Any) -> str:
    """JSON text of a column value (compact, Chinese kept as it is), for :class:`EncryptedJSON`."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
