"""The archive cipher: what it refuses, record by record."""

import io

import pytest

from backups import crypto

RECORD = crypto.RECORD_SIZE + crypto.TAG_SIZE + 4  # a full record on disk, length included


def _seal(data: bytes, key: bytes) -> bytes:
    sink = io.BytesIO()
    writer = crypto.EncryptingWriter(sink, key)
    for start in range(0, len(data), 70_000):  # writes of any size
        writer.write(data[start : start + 70_000])
    writer.finish()
    return sink.getvalue()


def _open(sealed: bytes, key: bytes) -> bytes:
    reader = crypto.DecryptingReader(io.BytesIO(sealed), key)
    out = io.BytesIO()
    while chunk := reader.read(100_000):
        out.write(chunk)
    return out.getvalue()


@pytest.fixture
def key() -> bytes:
    return crypto.decode_key(crypto.generate_key())


@pytest.fixture
def data() -> bytes:
    return bytes(range(256)) * (10 * 1024 + 7)  # 2.5 MiB: three records


def test_round_trip_of_several_records(key, data):
    sealed = _seal(data, key)
    assert data[:4096] not in sealed
    assert _open(sealed, key) == data


def test_the_same_data_seals_differently_each_time(key, data):
    assert _seal(data, key)[crypto.HEADER_SIZE :] != _seal(data, key)[crypto.HEADER_SIZE :]


def test_an_empty_archive_round_trips(key):
    assert _open(_seal(b"", key), key) == b""


def test_wrong_key_is_told_apart_from_damage(key, data):
    with pytest.raises(crypto.BackupKeyError, match="different key"):
        _open(_seal(data, key), crypto.decode_key(crypto.generate_key()))


def test_dropping_the_last_whole_record_is_detected(key, data):
    sealed = _seal(data, key)
    cut = crypto.HEADER_SIZE + 2 * RECORD
    assert len(sealed) > cut
    with pytest.raises(crypto.DamagedArchive, match="last record is missing"):
        _open(sealed[:cut], key)


def test_swapping_records_is_detected(key, data):
    sealed = _seal(data, key)
    header, first, second = (
        sealed[: crypto.HEADER_SIZE],
        sealed[crypto.HEADER_SIZE : crypto.HEADER_SIZE + RECORD],
        sealed[crypto.HEADER_SIZE + RECORD : crypto.HEADER_SIZE + 2 * RECORD],
    )
    swapped = header + second + first + sealed[crypto.HEADER_SIZE + 2 * RECORD :]
    with pytest.raises(crypto.DamagedArchive, match="record 0 was altered"):
        _open(swapped, key)


def test_records_from_another_archive_are_refused(key, data):
    one, other = _seal(data, key), _seal(data, key)
    spliced = one[: crypto.HEADER_SIZE + RECORD] + other[crypto.HEADER_SIZE + RECORD :]
    with pytest.raises(crypto.DamagedArchive, match="record 1 was altered"):
        _open(spliced, key)


def test_data_after_the_last_record_is_refused(key, data):
    with pytest.raises(crypto.DamagedArchive, match="data follows"):
        _open(_seal(data, key) + b"\0", key)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not base64!",
        "c2hvcnQ=",
        # Named: a random value in the test's id would differ between pytest-xdist processes.
        pytest.param(crypto.generate_key() + "AAAA", id="a-key-and-more"),
    ],
)
def test_malformed_keys_are_refused(value):
    with pytest.raises(crypto.BackupKeyError):
        crypto.decode_key(value)
