"""The choices a case is made of. Case records are structured choices and dates only."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Shared vocabulary (also the report's); cases code imports it from here with its other choices.
from peersupport.vocabulary import (
    CLOSURE_REASONS,
    REASSIGN_REASONS,
    Channel,
    EventCategory,
    Reason,
    ReferralType,
)

__all__ = [
    "CLOSURE_REASONS",
    "REASSIGN_REASONS",
    "Channel",
    "EventCategory",
    "Reason",
    "ReferralType",
]

# Procedure §7: for these, Peer Support is offered proactively and the offer is mandatory.
MANDATORY_OFFER_CATEGORIES = frozenset({EventCategory.CALAMITY, EventCategory.DISCIPLINARY_LEGAL})


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
    # The employee: "not this person, but yes to support".
    ASK_OTHER = "ask_other", _("Ask for someone else")
    # Corrections take back the last step; they are not in the workflow map because
    # they lead back to wherever that step came from.
    UNDO = "undo", _("Step undone")
    CORRECT = "correct", _("Step corrected")


# How a step reads once done, in the history and in "Recorded: …" (the labels above
# are verbs, for buttons and refusals). A conversation's number sits inside the phrase.
DONE = {
    Action.OPEN: _("Request received"),
    Action.ASSIGN: _("Supporter assigned"),
    Action.REASSIGN: _("Supporter changed"),
    Action.CONTACT_ATTEMPT: _("Contact attempt"),
    Action.OFFER: _("Offer made"),
    Action.ACCEPT: _("Support accepted"),
    Action.DECLINE: _("Support declined"),
    Action.NO_ANSWER: _("No answer"),
    Action.PLAN_CONVERSATION: _("Conversation %(number)s planned"),
    Action.HOLD_CONVERSATION: _("Conversation %(number)s held"),
    Action.REFER: _("Referred to professional help"),
    Action.CLOSE: _("Case closed"),
    Action.REOPEN: _("Case reopened"),
    Action.ASK_OTHER: _("The employee asked for another supporter"),
    Action.UNDO: _("Step undone"),
    Action.CORRECT: _("Step corrected"),
}


class CorrectionReason(models.TextChoices):
    """Why the coordinator takes back a step: structured, never free text."""

    WRONG_CASE = "wrong_case", _("Recorded in the wrong case")
    WRONG_MOMENT = "wrong_moment", _("Wrong date or time")
    WRONG_STEP = "wrong_step", _("Wrong step chosen")
    DUPLICATE = "duplicate", _("Recorded twice")


class ConversationMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")


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
