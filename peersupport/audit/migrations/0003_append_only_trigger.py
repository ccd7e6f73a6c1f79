"""On PostgreSQL the database itself keeps the access log append-only: UPDATE is
refused, and DELETE too unless the row is older than two years (the shortest
retention the log may have)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '730 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the access log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_accesslogentry;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_accesslogentry;
DROP FUNCTION IF EXISTS audit_log_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_accesslogentry_hash_accesslogentry_ip_and_more")]
    operations = [migrations.RunPython(forwards, backwards)]
