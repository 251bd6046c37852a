"""Partner moved from coaching to the foundation (issue 8). A fresh database gets the table from
0001; an installation that migrated before the move has it as ``coaching_partner``, which is
renamed here (no data moves), and its content type follows, so admin history and permissions
keep pointing at the right model."""

from django.db import migrations

RENAME_OLD_TABLE = """
DO $$
BEGIN
    IF to_regclass('coaching_partner') IS NOT NULL
       AND to_regclass('ondernemerspunt_partner') IS NULL THEN
        ALTER TABLE coaching_partner RENAME TO ondernemerspunt_partner;
    END IF;
END
$$;
"""


def move_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="ondernemerspunt", model="partner").exists():
        content_type.objects.filter(app_label="coaching", model="partner").update(
            app_label="ondernemerspunt"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ondernemerspunt", "0003_progressreport"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL(RENAME_OLD_TABLE, migrations.RunSQL.noop),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
