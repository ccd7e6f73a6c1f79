"""The access log's chain gets a key and positions: existing rows are numbered in
the order they were written and re-chained with the key from the settings (the
migration runs as the table's owner, which may lift the append-only trigger for it).
A break in the old, unkeyed chain is reported, not carried over silently."""

import hashlib

import django.core.validators
import django.utils.timezone
from django.db import migrations, models

from peersupport.audit import chain


def rechain(apps, schema_editor):
    Entry = apps.get_model("audit", "AccessLogEntry")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_log_append_only"
        )
    previous_old, previous, batch, broken = None, "", [], None
    for position, entry in enumerate(Entry.objects.order_by("pk").iterator(chunk_size=2000), 1):
        old = "|".join(
            str(v)
            for v in (
                entry.prev_hash,
                entry.at.isoformat(),
                entry.user_id,
                entry.role,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.outcome,
                entry.ip,
            )
        )
        if broken is None and (
            (previous_old is not None and entry.prev_hash != previous_old)
            or entry.hash != hashlib.sha256(old.encode()).hexdigest()
        ):
            broken = entry.pk
        previous_old = entry.hash
        entry.position, entry.prev_hash = position, previous
        entry.hash = previous = chain.entry_hash(**chain.fields(entry, chain.ENTRY_FIELDS))
        batch.append(entry)
        if len(batch) == 2000:
            Entry.objects.bulk_update(batch, ["position", "prev_hash", "hash"])
            batch = []
    Entry.objects.bulk_update(batch, ["position", "prev_hash", "hash"])
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_accesslogentry ENABLE TRIGGER audit_log_append_only"
        )
    if broken is not None:
        print(f"\n  The unkeyed access log was already broken at row {broken}; re-chained.")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_only_trigger'),
    ]

    operations = [
        migrations.CreateModel(
            name='Seal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('anchor', 'Daily anchor'), ('checkpoint', 'Retention checkpoint')], max_length=10, verbose_name='kind')),
                ('position', models.BigIntegerField(verbose_name='position')),
                ('hash', models.CharField(blank=True, max_length=64, validators=[django.core.validators.RegexValidator('^[0-9a-f]{0,64}$')])),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('mac', models.CharField(max_length=64, validators=[django.core.validators.RegexValidator('^[0-9a-f]{0,64}$')])),
            ],
            options={
                'verbose_name': 'seal',
                'verbose_name_plural': 'seals',
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='position',
            field=models.BigIntegerField(null=True, verbose_name='position'),
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='accesslogentry',
            name='position',
            field=models.BigIntegerField(unique=True, verbose_name='position'),
        ),
    ]
