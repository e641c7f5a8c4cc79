"""The stored files half of a backup: every file of every storage that holds uploads.

Storages are read and written only through Django's storage API, so a bucket backend works
as well as the file system. Static files are left out: they come with the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages

NOT_BACKED_UP = {"staticfiles"}


def backed_up_storages() -> list[str]:
    """Aliases of the storages a backup holds: every one in settings.STORAGES but static."""
    return [alias for alias in settings.STORAGES if alias not in NOT_BACKED_UP]


def walk(alias: str) -> Iterator[str]:
    """Every file name in the storage, sorted, skipping other backed-up storages inside it.

    The default storage is MEDIA_ROOT, which holds the appeal storages' folders too: their
    files are backed up once, under their own storage.
    """
    storage = storages[alias]
    skipped = _nested_roots(alias)
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue  # A storage nothing was ever saved to has no folder yet.
        for name in sorted(files):
            yield _join(folder, name)
        for name in sorted(folders, reverse=True):
            path = _join(folder, name)
            if path not in skipped:
                pending.append(path)


def is_empty(alias: str) -> bool:
    return next(walk(alias), None) is None


def storage(alias: str) -> Storage:
    return storages[alias]


def _join(folder: str, name: str) -> str:
    return str(PurePosixPath(folder, name)) if folder else name


def _nested_roots(alias: str) -> set[str]:
    outer = storages[alias]
    if not isinstance(outer, FileSystemStorage):
        return set()
    outer_root = Path(outer.location).resolve()
    nested = set()
    for other in backed_up_storages():
        inner = storages[other]
        if other == alias or not isinstance(inner, FileSystemStorage):
            continue
        inner_root = Path(inner.location).resolve()
        if inner_root != outer_root and inner_root.is_relative_to(outer_root):
            nested.add(inner_root.relative_to(outer_root).as_posix())
    return nested
