"""Phone numbers, validated and stored in E.164 (+31301234567) with the
`phonenumbers` library: a phone field holds a number, never a sentence. Numbers
written without a country code are read for PHONE_REGION (NL by default)."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MESSAGE = _("Not a phone number; write it like 030 123 4567 or +31 30 123 4567.")


def normalise(value: str) -> str:
    """The number in E.164, or ValidationError. An empty value stays empty."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(MESSAGE, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(MESSAGE, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@deconstructible(path="peersupport.people.phones.E164Validator")
class E164Validator:
    """For model fields: only a valid number already in E.164 is stored."""

    def __call__(self, value: str) -> None:
        if value and normalise(value) != value:
            raise ValidationError(MESSAGE, code="phone")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, E164Validator)

    def __hash__(self) -> int:
        return hash(E164Validator)
