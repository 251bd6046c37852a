from django.db import migrations

# The audit trail is append-only: the database itself refuses to change or remove a line, so
# that neither a bug nor a hurried query can rewrite who saw what.
FORWARD = """
CREATE FUNCTION ondernemerspunt_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ondernemerspunt_auditentry_append_only
    BEFORE UPDATE OR DELETE ON ondernemerspunt_auditentry
    FOR EACH ROW EXECUTE FUNCTION ondernemerspunt_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ondernemerspunt_auditentry_append_only ON ondernemerspunt_auditentry;
DROP FUNCTION IF EXISTS ondernemerspunt_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("ondernemerspunt", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
