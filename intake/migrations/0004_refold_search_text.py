# Search text and sort names are folded again: letters such as 'ı' (Yıldız) and 'ł' (Łukasz)
# were kept as they were, so that 'Yildiz' did not find 'Yıldız'.

from django.db import migrations


def refold(apps, schema_editor):
    """Existing residents get the search text and sort key that the services now give them."""
    from intake.models import fold_for_search, sort_key_for_name

    Resident = apps.get_model("intake", "Resident")
    fields = ("pk", "first_name", "last_name", "postcode", "email", "phone")
    for resident in Resident.objects.only(*fields).iterator():
        digits = "".join(ch for ch in resident.phone if ch.isdigit())
        parts = [
            resident.first_name,
            resident.last_name,
            resident.postcode.replace(" ", ""),
            resident.email,
            digits,
        ]
        Resident.objects.filter(pk=resident.pk).update(
            search_text=fold_for_search(" ".join(p for p in parts if p)),
            sort_name=sort_key_for_name(resident.first_name, resident.last_name),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_resident_sort_name"),
    ]

    operations = [
        migrations.RunPython(refold, migrations.RunPython.noop),
    ]
