from django.db import migrations


class Migration(migrations.Migration):
    """Request becomes SupportRequest; the table keeps its name, so the database is unchanged."""

    dependencies = [
        ("cases", "0015_policy_bounds"),
    ]

    operations = [
        migrations.AlterModelTable(name="request", table="cases_request"),
        migrations.RenameModel(old_name="Request", new_name="SupportRequest"),
    ]
