"""The cache table every process shares (settings.CACHES): allauth keeps there the
second-factor codes already used and its rate limits. A migration, so that `migrate`
— on every install and upgrade — creates it; createcachetable skips it if present."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
