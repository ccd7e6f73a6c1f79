"""On PostgreSQL the database also refuses TRUNCATE of the access log, and any
UPDATE, DELETE or TRUNCATE of its seals (anchors and retention checkpoints).
A role that is not the tables' owner cannot ALTER them or disable these triggers:
README.md, "Least privilege", sets up such a role for the application."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only (TRUNCATE refused)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_log_refuse_truncate ON audit_accesslogentry;
CREATE TRIGGER audit_log_refuse_truncate BEFORE TRUNCATE ON audit_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();

CREATE OR REPLACE FUNCTION audit_seal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only (% of a seal refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_seal_append_only ON audit_seal;
CREATE TRIGGER audit_seal_append_only BEFORE UPDATE OR DELETE ON audit_seal
    FOR EACH ROW EXECUTE FUNCTION audit_seal_append_only();
DROP TRIGGER IF EXISTS audit_seal_refuse_truncate ON audit_seal;
CREATE TRIGGER audit_seal_refuse_truncate BEFORE TRUNCATE ON audit_seal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_seal_refuse_truncate ON audit_seal;
DROP TRIGGER IF EXISTS audit_seal_append_only ON audit_seal;
DROP FUNCTION IF EXISTS audit_seal_append_only();
DROP TRIGGER IF EXISTS audit_log_refuse_truncate ON audit_accesslogentry;
DROP FUNCTION IF EXISTS audit_refuse_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_keyed_chain_with_positions_and_seals")]
    operations = [migrations.RunPython(forwards, backwards)]
