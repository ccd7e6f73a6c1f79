"""The cases app's models, split by noun: the case and what happens in it
(case.py), the deadline policy (policy.py), the on-call rota and group sessions
(rota.py)."""

from peersupport.cases.models.case import (
    EXTERNAL_REFERENCE_VALIDATOR,
    FINGERPRINT_VALIDATOR,
    Case,
    CaseQuerySet,
    CaseTransition,
    Conversation,
    Event,
    Referral,
    SupportRequest,
    recompute_open_deadlines,
)
from peersupport.cases.models.policy import MAX_CONVERSATIONS, DeadlinePolicy
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
