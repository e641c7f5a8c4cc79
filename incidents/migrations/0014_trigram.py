from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm, for the possible duplicates shown before a new case is saved
    (incidents.duplicates). Nothing on SQLite."""

    dependencies = [("incidents", "0013_original_language_iso")]

    operations = [TrigramExtension()]
