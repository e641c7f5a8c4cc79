"""Streamed authenticated encryption for backup archives: AES-256-GCM in 1 MiB records.

An archive is a header, ``MAGIC | version | salt (16) | key check (16)``, then records: a
4-byte big-endian length and an AES-GCM ciphertext of at most ``RECORD_SIZE`` bytes of the
archive. Fernet would need the whole archive in memory; records keep memory flat.

- Each archive is sealed with its own key, derived (HKDF) from the configured key and the
  random salt, so nonces never repeat across archives made with one key.
- A record's nonce is its number and a "last record" flag, and the header is authenticated
  with every record: records cannot be reordered, dropped, swapped between archives, or cut
  off at the end (an archive without its last record is refused).
- The key check, derived from the configured key alone, tells a wrong key apart from a
  damaged archive before any record is opened.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"CFBACKUP"
VERSION = 1
SALT_SIZE = 16
CHECK_SIZE = 16
HEADER_SIZE = len(MAGIC) + 1 + SALT_SIZE + CHECK_SIZE
RECORD_SIZE = 1 << 20
TAG_SIZE = 16
KEY_SIZE = 32


class BackupKeyError(ValueError):
    """The configured key is malformed, or is not the key the archive was made with."""


class DamagedArchive(ValueError):
    """The archive is not a Casefile backup, or was truncated or altered."""


def generate_key() -> str:
    """A new random key, in the form BACKUP_ENCRYPTION_KEY takes."""
    return base64.urlsafe_b64encode(os.urandom(KEY_SIZE)).decode("ascii")


def decode_key(value: str) -> bytes:
    try:
        key = base64.b64decode(value.strip().encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise BackupKeyError("the backup key is not URL-safe base64") from error
    if len(key) != KEY_SIZE:
        raise BackupKeyError(f"the backup key must be {KEY_SIZE} bytes, base64-encoded")
    return key


def _derive(key: bytes, *, salt: bytes | None, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(key)


def _key_check(key: bytes) -> bytes:
    return _derive(key, salt=None, info=b"casefile backup key check", length=CHECK_SIZE)


def _nonce(number: int, *, last: bool) -> bytes:
    return number.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object that seals what it is given into ``sink``.

    ``finish()`` writes the last record; an archive is only valid once it has been called.
    """

    def __init__(self, sink: BinaryIO, key: bytes) -> None:
        salt = os.urandom(SALT_SIZE)
        self._header = MAGIC + bytes([VERSION]) + salt + _key_check(key)
        self._aead = AESGCM(_derive(key, salt=salt, info=b"casefile backup archive", length=32))
        self._sink = sink
        self._buffer = bytearray()
        self._number = 0
        self._finished = False
        sink.write(self._header)

    def write(self, data: bytes) -> int:
        if self._finished:
            raise ValueError("write after finish")
        self._buffer += data
        # A full record stays buffered until more data comes: only finish() knows which
        # record is the last one, and the last one carries the flag.
        while len(self._buffer) > RECORD_SIZE:
            self._seal(bytes(self._buffer[:RECORD_SIZE]), last=False)
            del self._buffer[:RECORD_SIZE]
        return len(data)

    def finish(self) -> None:
        if not self._finished:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._finished = True

    def _seal(self, plaintext: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._number, last=last), plaintext, self._header)
        self._sink.write(len(sealed).to_bytes(4, "big") + sealed)
        self._number += 1


class DecryptingReader:
    """A read-only file object giving back what an ``EncryptingWriter`` sealed.

    Raises ``BackupKeyError`` at once for a wrong key, and ``DamagedArchive`` as soon as a
    record fails to open, the archive ends before its last record, or data follows it.
    Bytes are only returned once the record holding them has been authenticated; whether
    the archive is whole is known only at its end.
    """

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        header = source.read(HEADER_SIZE)
        if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
            raise DamagedArchive("not a Casefile backup archive")
        if header[len(MAGIC)] != VERSION:
            raise DamagedArchive(f"unknown archive format version {header[len(MAGIC)]}")
        salt = header[len(MAGIC) + 1 : len(MAGIC) + 1 + SALT_SIZE]
        if not hmac.compare_digest(header[-CHECK_SIZE:], _key_check(key)):
            raise BackupKeyError("the archive was encrypted with a different key")
        self._header = header
        self._aead = AESGCM(_derive(key, salt=salt, info=b"casefile backup archive", length=32))
        self._source = source
        self._buffer = b""
        self._number = 0
        self._done = False
        self.salt = salt

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._buffer += self._open_next()
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _open_next(self) -> bytes:
        prefix = self._source.read(4)
        if len(prefix) < 4:
            raise DamagedArchive("the archive is truncated: its last record is missing")
        length = int.from_bytes(prefix, "big")
        if not TAG_SIZE <= length <= RECORD_SIZE + TAG_SIZE:
            raise DamagedArchive(f"record {self._number} has an impossible length")
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise DamagedArchive("the archive is truncated in the middle of a record")
        for last in (False, True):
            try:
                nonce = _nonce(self._number, last=last)
                plaintext = self._aead.decrypt(nonce, sealed, self._header)
            except InvalidTag:
                continue
            self._number += 1
            if last:
                if self._source.read(1):
                    raise DamagedArchive("data follows the archive's last record")
                self._done = True
            return plaintext
        raise DamagedArchive(f"record {self._number} was altered or damaged")
