"""Carries every TOTP enrolment over to django-allauth's authenticators, so nobody
enrols again. The secret is stored the way allauth stores it (through its adapter's
encrypt). Recovery codes cannot carry over: only their hashes were kept, and allauth
derives its codes from a seed; a person gets new ones at the next sign-in."""

from django.db import migrations


def forwards(apps, schema_editor):
    from allauth.mfa.utils import encrypt

    TwoFactor = apps.get_model("people", "TwoFactor")
    Authenticator = apps.get_model("mfa", "Authenticator")
    have = set(Authenticator.objects.filter(type="totp").values_list("user_id", flat=True))
    Authenticator.objects.bulk_create(
        Authenticator(
            user_id=device.user_id,
            type="totp",
            data={"secret": encrypt(device.secret)},
            created_at=device.confirmed_at,
        )
        for device in TwoFactor.objects.exclude(user_id__in=have)
    )


def backwards(apps, schema_editor):
    from allauth.mfa.utils import decrypt

    TwoFactor = apps.get_model("people", "TwoFactor")
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type="totp"):
        TwoFactor.objects.update_or_create(
            user_id=authenticator.user_id,
            defaults={
                "secret": decrypt(authenticator.data["secret"]),
                "confirmed_at": authenticator.created_at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_apitoken_scope_label"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
