"""The choices a case is made of. Case records are structured choices and dates only."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# EventCategory is shared vocabulary; cases code imports it from here with its other choices.
from peersupport.vocabulary import EventCategory

# Procedure §7: for these, Peer Support is offered proactively and the offer is mandatory.
MANDATORY_OFFER_CATEGORIES = frozenset({EventCategory.CALAMITY, EventCategory.DISCIPLINARY_LEGAL})


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


class Status(models.TextChoices):
    NEW = "new", _("Waiting for a supporter")
    ASSIGNED = "assigned", _("Supporter assigned")
    OFFERED = "offered", _("Support offered")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("Conversations")
    DECLINED = "declined", _("Declined")
    NO_ANSWER = "no_answer", _("No answer")
    CLOSED = "closed", _("Closed")


class Action(models.TextChoices):
    """The verbs of the workflow; each is one method on Case."""

    OPEN = "open", _("Request received")
    ASSIGN = "assign", _("Assign a supporter")
    REASSIGN = "reassign", _("Reassign")
    CONTACT_ATTEMPT = "contact_attempt", _("Contact attempt")
    OFFER = "offer", _("Offer made")
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    NO_ANSWER = "no_answer", _("No answer")
    PLAN_CONVERSATION = "plan_conversation", _("Plan a conversation")
    HOLD_CONVERSATION = "hold_conversation", _("Conversation held")
    REFER = "refer", _("Refer to professional help")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")


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


class ConversationMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")


class ReferralType(models.TextChoices):
    HR = "hr", _("HR")
    COMPANY_DOCTOR = "company_doctor", _("Company doctor")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    OTHER = "other", _("Other professional help")


class ReferralRoute(models.TextChoices):
    HR = "hr", _("Via HR")
    COORDINATOR = "coordinator", _("Via the coordinator")


class DeadlineKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    FIRST_CONVERSATION = "first_conversation", _("First conversation")
    SECOND_CONVERSATION = "second_conversation", _("Second conversation")
    THIRD_CONVERSATION = "third_conversation", _("Third conversation")


class DeadlineState(models.TextChoices):
    NONE = "none", _("No deadline")
    ON_TIME = "on_time", _("On time")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")


class Anchor(models.TextChoices):
    """The moment a deadline counts from."""

    REQUEST = "request", _("The request")
    EVENT = "event", _("The event")
    FIRST_CONVERSATION = "first_conversation", _("The first conversation")
