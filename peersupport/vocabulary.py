"""Words of the glossary that more than one app needs, and no app owns.

A supporter's experience is described in event categories, and so are cases and
(anonymously) the annual report; keeping the vocabulary here lets each of those
apps use it without importing another domain app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventCategory(models.TextChoices):
    """The kinds of impactful event the procedure names (§1)."""

    CALAMITY = "calamity", _("Calamity")
    INCIDENT = "incident", _("(Near) error or incident")
    COMPLAINT = "complaint", _("Complaint")
    CLAIM = "claim", _("Claim")
    DISCIPLINARY_LEGAL = "disciplinary_legal", _("Disciplinary or legal case")
    CHRONIC_STRESS = "chronic_stress", _("Chronic stress or pile-up of events")
    AGGRESSION = "aggression", _("Aggression")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    """Languages a supporter can hold a conversation in."""

    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    POLISH = "pl", _("Polish")
    TURKISH = "tr", _("Turkish")
    ARABIC = "ar", _("Arabic")
    PAPIAMENTO = "pap", _("Papiamento")


class Approach(models.TextChoices):
    """How a supporter tends to hold a conversation, so the coordinator can match a person."""

    LISTENING = "listening", _("Mostly listening")
    PRACTICAL = "practical", _("Practical and solution-minded")
    STRUCTURED = "structured", _("Structured, step by step")
    WARM = "warm", _("Warm and personal")
    DIRECT = "direct", _("Direct and to the point")
    CALM = "calm", _("Calm under pressure")
