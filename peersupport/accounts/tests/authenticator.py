"""An authenticator app for the tests: enrols a person with django-allauth's TOTP and
gives the code the app would show now (allauth's own functions, RFC 6238)."""

import time

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from peersupport.people.models import User


def enrol(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def code_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def wrong_code(secret: str) -> str:
    return "000000" if code_now(secret) != "000000" else "111111"
