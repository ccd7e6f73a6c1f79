"""PostgreSQL's unaccent extension for accent-insensitive name search (SQLite gets a
Python function of the same name in cases.search)."""

from django.db import migrations


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_case_corrections")]

    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop)]
