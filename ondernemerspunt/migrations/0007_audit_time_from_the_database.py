import django.db.models.functions.datetime
from django.db import migrations, models

# A line of the audit trail takes the database's time, whatever the insert says: nobody, the
# application included, can back-date one. The column default covers an insert that names no
# time; the trigger overrules one that does.
FORWARD = """
CREATE FUNCTION ondernemerspunt_audit_stamp() RETURNS trigger AS $$
BEGIN
    NEW.at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ondernemerspunt_auditentry_stamp
    BEFORE INSERT ON ondernemerspunt_auditentry
    FOR EACH ROW EXECUTE FUNCTION ondernemerspunt_audit_stamp();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ondernemerspunt_auditentry_stamp ON ondernemerspunt_auditentry;
DROP FUNCTION IF EXISTS ondernemerspunt_audit_stamp();
"""


class Migration(migrations.Migration):
    dependencies = [("ondernemerspunt", "0006_user_phone_desk_review_cosign")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                db_index=True,
                verbose_name="when",
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
