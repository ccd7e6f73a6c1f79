"""An intervision meeting's place becomes a label from the list the coordinator
keeps. Existing places that are short labels become list entries; anything else
(text that could say more than a room) becomes "Onbekend"."""

import re

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

LABEL = re.compile(r"^(?=.{1,30}$)[\w'()/.-]+(?: [\w'()/.-]+){0,3}$")
UNKNOWN = "Onbekend"


def to_places(apps, schema_editor):
    Meeting = apps.get_model("supporters", "IntervisionMeeting")
    Place = apps.get_model("supporters", "MeetingPlace")
    for meeting in Meeting.objects.all():
        label = meeting.old_place.strip()
        if not LABEL.match(label):
            label = UNKNOWN
        meeting.place, _created = Place.objects.get_or_create(label=label)
        meeting.save(update_fields=["place"])


class Migration(migrations.Migration):
    dependencies = [("supporters", "0005_phone_numbers_in_e164")]

    operations = [
        migrations.CreateModel(
            name="MeetingPlace",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "label",
                    models.CharField(
                        max_length=30,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^(?=.{1,30}$)[\\w'()/.-]+(?: [\\w'()/.-]+){0,3}$",
                                "A short place name: at most four words and 30 characters, e.g. Vergaderzaal 2.",
                            )
                        ],
                        verbose_name="place",
                    ),
                ),
            ],
            options={
                "verbose_name": "meeting place",
                "verbose_name_plural": "meeting places",
                "ordering": ["label"],
            },
        ),
        migrations.RenameField("intervisionmeeting", "place", "old_place"),
        migrations.AddField(
            model_name="intervisionmeeting",
            name="place",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="supporters.meetingplace",
                verbose_name="place",
            ),
        ),
        migrations.RunPython(to_places, migrations.RunPython.noop),
        migrations.RemoveField("intervisionmeeting", "old_place"),
        migrations.AlterField(
            model_name="intervisionmeeting",
            name="place",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="supporters.meetingplace",
                verbose_name="place",
            ),
        ),
    ]
