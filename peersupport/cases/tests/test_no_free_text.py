"""No field anywhere can hold what was said or what happened (R-13).

Every model of the project is inspected. Text that is not a fixed choice is only
allowed for the short identifiers and names listed here, each with its reason;
a new free-text field fails this test until someone argues it in the allowlist.
"""

import re

from django.apps import apps
from django.core.validators import RegexValidator
from django.db import models

# Every installed app of the project, found in the app registry: an app added later,
# or one a list would forget (reports), is inspected too.
PROJECT_APPS = {
    config.label for config in apps.get_app_configs() if config.name.startswith("peersupport.")
}

# (app_label.Model, field): why this short text is not something said or done.
ALLOWED_TEXT = {
    ("people.Department", "code"): "identifier from the HR system",
    ("people.Department", "name"): "name of a department",
    ("people.Function", "code"): "identifier from the HR system",
    ("people.Function", "name"): "name of a job function",
    ("people.Employee", "staff_number"): "identifier from the HR system",
    ("people.Employee", "name"): "a person's name",
    ("people.Employee", "email"): "work e-mail address",
    ("people.Employee", "phone"): "work phone number, E.164 only (phonenumbers validator)",
    ("people.Employee", "preferred_phone"): "the employee's own number, E.164 only (validator)",
    ("people.User", "username"): "sign-in name",
    ("people.User", "first_name"): "a person's name",
    ("people.User", "last_name"): "a person's name",
    ("people.User", "email"): "e-mail address",
    ("people.User", "password"): "password hash",
    ("people.ApiToken", "name"): "name of an integration",
    ("people.ApiToken", "token_hash"): "SHA-256 of a token, hex only (validator)",
    (
        "cases.SupportRequest",
        "external_reference",
    ): "incident id, identifier characters only (validator)",
    (
        "cases.SupportRequest",
        "fingerprint",
    ): "SHA-256 of the submitted choices, hex only (validator)",
    ("supporters.Supporter", "phone"): "phone number, E.164 only (phonenumbers validator)",
    (
        "supporters.MeetingPlace",
        "label",
    ): "a room, at most four words and 30 characters (validator), kept by the coordinator",
    ("notices.Message", "path"): "a path inside the application, [a-z0-9/_-] only (validator)",
    ("notices.Message", "dedupe_key"): "a key made by code, [a-z0-9_:.-] only (validator)",
    ("notices.Message", "claim_token"): "a random hex token (validator)",
    ("notices.Message", "last_error"): "an exception's class name (validator)",
    ("audit.AccessLogEntry", "prev_hash"): "SHA-256, hex only (validator)",
    ("audit.AccessLogEntry", "hash"): "SHA-256, hex only (validator)",
    ("audit.AccessLogEntry", "role"): "role identifier written by code",
    ("audit.AccessLogEntry", "action"): "action identifier written by code",
    ("audit.AccessLogEntry", "object_type"): "model identifier written by code",
    ("audit.Seal", "hash"): "HMAC-SHA256, hex only (validator)",
    ("audit.Seal", "mac"): "HMAC-SHA256, hex only (validator)",
    ("notices.Message", "address"): "an e-mail address from the settings",
    ("notices.Message", "code"): "position:hash of the log's anchor, [0-9a-f:] only (validator)",
    ("operations.Heartbeat", "process"): "host:pid of a process, written by code",
}
# Files that are not text at all, and why they cannot hold what was said.
ALLOWED_FILES = {
    ("supporters.Supporter", "photo"): "a portrait, re-encoded from pixels only (photos.py)",
    # Written by code only, from the protected figures: {table key: "12" | "<5" | "•"}.
    ("reports.PublishedReport", "figures"): "published symbols per table cell, made by code",
    ("reports.PublishedReport", "measures"): "published medians and shares, made by code",
}
MAX_ALLOWED_LENGTH = 254  # an e-mail address; nothing longer is a name or an identifier

ALWAYS_FREE_TEXT = (models.TextField, models.JSONField, models.BinaryField, models.FileField)


def project_text_fields() -> list[tuple[tuple[str, str], models.Field]]:
    found: list[tuple[tuple[str, str], models.Field]] = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and isinstance(
                field, (models.CharField, *ALWAYS_FREE_TEXT)
            ):
                found.append(((model._meta.label, field.name), field))
    return found


def test_no_model_has_a_free_text_field() -> None:
    offenders = []
    for key, field in project_text_fields():
        if isinstance(field, ALWAYS_FREE_TEXT) and key not in ALLOWED_FILES:
            offenders.append(f"{key}: {type(field).__name__} can hold anything")
        elif key in ALLOWED_FILES or field.choices:
            continue
        elif key not in ALLOWED_TEXT:
            offenders.append(f"{key}: CharField without choices")
        elif (field.max_length or 0) > MAX_ALLOWED_LENGTH:
            offenders.append(f"{key}: max_length {field.max_length} is longer than a name")
    assert offenders == []


def test_case_side_text_is_restricted_to_identifier_characters() -> None:
    """On the case side even allowlisted text cannot hold a sentence: a validator
    admits identifier characters only (no spaces)."""
    checked = 0
    for key, field in project_text_fields():
        if key[0].startswith("cases.") and not field.choices:
            validators = [v for v in field.validators if isinstance(v, RegexValidator)]
            assert validators, f"{key} has no identifier validator"
            for validator in validators:
                assert re.search(validator.regex, "what happened was") is None, key
            checked += 1
    assert checked == 2  # SupportRequest.external_reference and SupportRequest.fingerprint


def test_the_allowlist_names_only_fields_that_exist() -> None:
    existing = {key for key, _field in project_text_fields()}
    assert set(ALLOWED_TEXT) | set(ALLOWED_FILES) <= existing


def test_every_project_app_is_inspected() -> None:
    """Found in the registry, not listed by hand: reports (whose facts must stay
    anonymous) is inspected like the others."""
    assert {"people", "supporters", "cases", "audit", "notices", "information", "reports"} <= (
        PROJECT_APPS
    )


def test_the_inspection_sees_every_project_model() -> None:
    labels = {m._meta.label for m in apps.get_models() if m._meta.app_label in PROJECT_APPS}
    assert {
        "cases.Case",
        "cases.Conversation",
        "cases.Referral",
        "cases.Event",
        "cases.SupportRequest",
    } <= labels
    assert {key[0] for key, _f in project_text_fields()} >= {"cases.Case", "people.Employee"}
    assert "reports.Fact" in labels
