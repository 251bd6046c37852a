# Partner moved to the foundation in issue 8 (ondernemerspunt 0001 creates it now; 0004 renames
# the table of installations that had it here). Kept, empty, so that the migration history of
# existing databases stays consistent.

from django.db import migrations


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = []
