from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_two_factor_is_required(app_configs, **kwargs):
    if not settings.DEBUG and not settings.TWO_FACTOR_REQUIRED:
        return [
            Error(
                "Two-factor sign-in is off while DEBUG is off.",
                hint="Coordinators, HR and administrators must use it: unset TWO_FACTOR_REQUIRED.",
                id="peersupport.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_secret_key_is_not_the_dev_default(app_configs, **kwargs):
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the development default while DEBUG is off.",
                hint="Set SECRET_KEY or SECRET_KEY_FILE.",
                id="peersupport.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_access_log_is_keyed_and_anchored(app_configs, **kwargs):
    errors = []
    key = settings.ACCESS_LOG_KEY
    if not settings.DEBUG and (key == settings.DEV_ACCESS_LOG_KEY or len(key) < 32):
        errors.append(
            Error(
                "The access log's key is the development default or shorter than 32 characters.",
                hint="Set ACCESS_LOG_KEY or ACCESS_LOG_KEY_FILE (never in the database).",
                id="peersupport.E003",
            )
        )
    if not settings.DEBUG and not settings.PRIVACY_OFFICER_EMAIL:
        errors.append(
            Error(
                "No address receives the access log's daily anchor.",
                hint="Set PRIVACY_OFFICER_EMAIL.",
                id="peersupport.E004",
            )
        )
    return errors
