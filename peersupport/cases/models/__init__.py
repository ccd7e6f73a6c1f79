"""The cases app's models: events and requests (request.py); the case, split by
concern into its record and shared machinery (case_record.py), corrections
(corrections.py) and its steps (case.py); what happens in it row by row
(history.py); the deadline policy (policy.py); the on-call rota and group
sessions (rota.py)."""

from peersupport.cases.models.case import Case, CaseQuerySet, recompute_open_deadlines
from peersupport.cases.models.history import CaseTransition, Conversation, Referral
from peersupport.cases.models.policy import MAX_CONVERSATIONS, DeadlinePolicy
from peersupport.cases.models.request import (
    EXTERNAL_REFERENCE_VALIDATOR,
    FINGERPRINT_VALIDATOR,
    Event,
    SupportRequest,
)
from peersupport.cases.models.rota import GroupSession, OnCallShift

__all__ = [
    "EXTERNAL_REFERENCE_VALIDATOR",
    "FINGERPRINT_VALIDATOR",
    "MAX_CONVERSATIONS",
    "Case",
    "CaseQuerySet",
    "CaseTransition",
    "Conversation",
    "DeadlinePolicy",
    "Event",
    "GroupSession",
    "OnCallShift",
    "Referral",
    "SupportRequest",
    "recompute_open_deadlines",
]
