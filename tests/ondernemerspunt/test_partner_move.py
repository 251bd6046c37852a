"""Partner moved from coaching to the foundation: an installation that migrated before the move
has the table as ``coaching_partner``; migration 0004 renames it, moving no data."""

import importlib

from django.db import connection

from ondernemerspunt.models import Partner
from tests.factories import make_partner

MIGRATION = importlib.import_module(
    "ondernemerspunt.migrations.0004_partner_table_of_older_installations"
)


def table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


def test_the_old_table_of_an_earlier_installation_is_renamed_with_its_rows(cast):
    partner = make_partner(cast.desk, name="Rabobank Groningen")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ondernemerspunt_partner RENAME TO coaching_partner")
        cursor.execute(MIGRATION.RENAME_OLD_TABLE)
    assert table_exists("ondernemerspunt_partner")
    assert not table_exists("coaching_partner")
    assert Partner.objects.get(pk=partner.pk).name == "Rabobank Groningen"


def test_a_fresh_database_is_left_as_it_is(cast):
    make_partner(cast.desk, name="KvK Noord")
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.RENAME_OLD_TABLE)
    assert table_exists("ondernemerspunt_partner")
    assert Partner.objects.filter(name="KvK Noord").exists()
