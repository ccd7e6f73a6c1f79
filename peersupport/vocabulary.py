"""Words of the glossary that more than one app needs, and no app owns.

A supporter's experience is described in event categories, and so are cases and
(anonymously) the annual report; keeping the vocabulary here lets each of those
apps use it without importing another domain app. The roles are here for the same
reason: people grants them, and the annual report (which imports no domain app)
checks them.
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


class Channel(models.TextChoices):
    """How a request came in (procedure §8 steps 2-5)."""

    MANAGER = "manager", _("Manager")
    COLLEAGUE = "colleague", _("Colleague")
    COMPLAINTS_OFFICER = "complaints_officer", _("Complaints officer")
    COMPLAINTS_COMMITTEE = "complaints_committee", _("Complaints committee")
    LAWYER = "lawyer", _("Lawyer")
    CALAMITY_GROUP = "calamity_group", _("Calamity advisory group")
    COORDINATOR = "coordinator", _("Coordinator (proactive)")
    SELF_DIRECTORY = "self_directory", _("Employee, chose a supporter")
    SELF_COORDINATOR = "self_coordinator", _("Employee, asked the coordinator")
    INCIDENT_REPORT = "incident_report", _("Incident report")


class Reason(models.TextChoices):
    """Structured reasons: why a case closed, or why it moved to another supporter."""

    RECOVERED = "recovered", _("Recovered enough")
    DECLINED = "declined", _("Declined")
    REFERRED = "referred", _("Referred")
    NO_CONTACT = "no_contact", _("No contact")
    OTHER = "other", _("Other")
    SUPPORTER_UNAVAILABLE = "supporter_unavailable", _("Supporter unavailable")
    EMPLOYEE_PREFERENCE = "employee_preference", _("Employee's preference")
    CONFLICT_OF_INTEREST = "conflict_of_interest", _("Conflict of interest")


# Why a case may close (the supporter's and coordinator's choice, and the annual
# report's rows), and why it may move to another supporter: each once, here.
CLOSURE_REASONS = (
    Reason.RECOVERED,
    Reason.DECLINED,
    Reason.REFERRED,
    Reason.NO_CONTACT,
    Reason.OTHER,
)
REASSIGN_REASONS = (
    Reason.SUPPORTER_UNAVAILABLE,
    Reason.EMPLOYEE_PREFERENCE,
    Reason.CONFLICT_OF_INTEREST,
    Reason.OTHER,
)


class ReferralType(models.TextChoices):
    HR = "hr", _("HR")
    COMPANY_DOCTOR = "company_doctor", _("Company doctor")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    OTHER = "other", _("Other professional help")


class ProfessionGroup(models.TextChoices):
    """Broad groups, so matching can tell a close profession from a distant one."""

    NURSING = "nursing", _("Nursing and care")
    MEDICAL = "medical", _("Medical")
    ALLIED = "allied", _("Allied health")
    SUPPORT = "support", _("Support services")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    """What someone does in the programme; people.RoleGrant gives them to accounts."""

    EMPLOYEE = "employee", _("Employee")
    SUPPORTER = "supporter", _("Peer supporter")
    COORDINATOR = "coordinator", _("Coordinator")
    CALAMITY_GROUP = "calamity_group", _("Calamity advisory group")
    HR = "hr", _("HR")
    BOARD = "board", _("Board")
    ADMINISTRATOR = "administrator", _("Administrator")
