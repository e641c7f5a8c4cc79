# The appeal's state takes the incident's field name: one workflow, one name
# (casefile.workflow). A rename keeps every row's state; the index on it is made again
# under its new name (appeals are few: this is quick).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0002_refuse_bidi_controls"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="appeal", name="appeals_app_state_d552d6_idx"),
        migrations.RenameField(model_name="appeal", old_name="state", new_name="publication_state"),
        migrations.RenameField(
            model_name="historicalappeal", old_name="state", new_name="publication_state"
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                fields=["publication_state", "published_at"], name="appeals_app_publica_533d46_idx"
            ),
        ),
    ]
