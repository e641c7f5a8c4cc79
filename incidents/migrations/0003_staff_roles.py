"""Once created the staff roles; casefile now does after every migrate
(``casefile.apps.create_staff_roles``), so that incidents does not own what every app
shares. Kept, as a step that does nothing, because databases have it recorded."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0002_seed_vocabularies"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
