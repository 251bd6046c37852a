"""The feedback fields are gone: their text is the first comment of a concluded review (0005)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0005_feedback_becomes_review"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="planrevision",
            name="feedback",
        ),
        migrations.RemoveField(
            model_name="planrevision",
            name="feedback_at",
        ),
        migrations.RemoveField(
            model_name="planrevision",
            name="feedback_by",
        ),
    ]
