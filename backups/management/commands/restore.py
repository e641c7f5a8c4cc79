"""Restore a backup archive into an empty database and empty storages, and check it.

    manage.py restore /srv/backups/casefile/casefile-20260101T020000Z.cfbackup
    manage.py restore ARCHIVE --database-url postgres://postgres@127.0.0.1/casefile_drill

Files go to the storages in settings.STORAGES (set MEDIA_ROOT for a drill elsewhere).
Nothing is written until every byte of the archive has been checked against its manifest.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.archive import RestoreMismatch, RestoreRefused, backup_restore
from backups.crypto import BackupKeyError, DamagedArchive
from backups.database import Database, DumpError

from .backup import configured_key


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and empty storages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--database-url",
            help="restore into this database instead of DATABASE_URL's (it must exist, empty)",
        )

    def handle(self, *args, archive: Path, database_url: str | None, **options) -> None:
        key = configured_key()
        if not archive.is_file():
            raise CommandError(f"no archive at {archive}")
        started = time.monotonic()
        try:
            target = Database.from_url(database_url) if database_url else Database.default()
            summary = backup_restore(path=archive, key=key, target=target, progress=self._progress)
        except BackupKeyError as error:
            raise CommandError(
                f"wrong key: {error}. Set BACKUP_ENCRYPTION_KEY to the key in use when the "
                "archive was made."
            ) from error
        except DamagedArchive as error:
            raise CommandError(
                f"the archive is damaged or was tampered with, nothing was restored: {error}"
            ) from error
        except RestoreRefused as error:
            raise CommandError(f"restore refused, nothing was written: {error}") from error
        except (DumpError, RestoreMismatch, OSError) as error:
            raise CommandError(f"restore failed: {error}") from error
        for note in summary.notes:
            self.stderr.write(note)
        self.stdout.write(
            f"Restored {summary.tables} tables, {summary.rows} rows, {summary.files} files "
            f"({summary.file_bytes} bytes) in {time.monotonic() - started:.1f} s: "
            "every row count and every SHA-256 matches the manifest."
        )

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
