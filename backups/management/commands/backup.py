"""Write an encrypted backup archive of the database and every stored file.

    manage.py backup --output-dir /srv/backups/casefile     # prints the archive's path
    manage.py backup --generate-key                          # prints a new key

See README "Backups" for the key, the schedule and the restore drill.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups import crypto
from backups.archive import backup_create
from backups.database import DumpError


class Command(BaseCommand):
    help = "Back up the database and stored files into one encrypted archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", type=Path, help="folder the archive is written to")
        parser.add_argument(
            "--generate-key",
            action="store_true",
            help="print a new BACKUP_ENCRYPTION_KEY and exit",
        )

    def handle(self, *args, output_dir: Path | None, generate_key: bool, **options) -> None:
        if generate_key:
            self.stdout.write(crypto.generate_key())
            return
        if output_dir is None:
            raise CommandError("give --output-dir (the folder the archive is written to)")
        key = configured_key()
        started = time.monotonic()
        try:
            summary = backup_create(output_dir=output_dir, key=key, progress=self._progress)
        except (DumpError, OSError) as error:
            raise CommandError(f"backup failed: {error}") from error
        self.stderr.write(
            f"Backed up {summary.tables} tables, {summary.rows} rows, {summary.files} files "
            f"({summary.file_bytes} bytes) in {time.monotonic() - started:.1f} s."
        )
        self.stdout.write(str(summary.path))

    def _progress(self, message: str) -> None:
        self.stderr.write(message)


def configured_key() -> bytes:
    value = getattr(settings, "BACKUP_ENCRYPTION_KEY", "")
    if not value:
        raise CommandError(
            "BACKUP_ENCRYPTION_KEY is not set. Generate one with `manage.py backup "
            "--generate-key` and keep it apart from the archives (README, Backups)."
        )
    try:
        return crypto.decode_key(value)
    except crypto.BackupKeyError as error:
        raise CommandError(f"BACKUP_ENCRYPTION_KEY is unusable: {error}") from error
