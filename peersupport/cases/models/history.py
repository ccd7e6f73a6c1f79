"""What happens in a case, row by row: its conversations, referrals and the
append-only history of its steps.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peersupport.cases.constants import (
    DONE,
    Action,
    ConversationMode,
    CorrectionReason,
    Reason,
    ReferralRoute,
    ReferralType,
    Status,
)
from peersupport.cases.models.policy import MAX_CONVERSATIONS
from peersupport.cases.workflow import TransitionNotAllowed
from peersupport.people.models import User
from peersupport.supporters.models import Supporter

# How the history names a step taken back.
TAKEN_BACK = {Action.UNDO: _("Undone: %(step)s"), Action.CORRECT: _("Corrected: %(step)s")}


class Conversation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="conversations")
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CONVERSATIONS)]
    )
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    held_at = models.DateTimeField(_("held on"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=ConversationMode)
    # The mode it was planned in, so that taking back "held" restores the plan as it was.
    planned_mode = models.CharField(
        _("planned mode"), max_length=20, choices=ConversationMode, blank=True
    )
    # How often the plan was changed: the calendar file's SEQUENCE.
    plan_sequence = models.PositiveSmallIntegerField(_("plan changed"), default=0)

    class Meta:
        ordering = ["number"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_conversation_per_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=MAX_CONVERSATIONS),
                name="conversation_number_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Conversation %(number)s") % {"number": self.number}


class Referral(models.Model):
    """A hand-over to professional help. Recorded as choices; nothing about why."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("referred to"), max_length=20, choices=ReferralType)
    route = models.CharField(_("via"), max_length=20, choices=ReferralRoute)
    consent = models.BooleanField(_("the employee agreed"))
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)

    class Meta:
        ordering = ["referred_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return str(self.get_kind_display())


class CaseTransition(models.Model):
    """One append-only row per transition: the case's history (who, when, from, to)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("action"), max_length=30, choices=Action)
    from_status = models.CharField(_("from"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status)
    by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    # The supporter before and after the transition (they differ on assign, reassign, reopen).
    from_supporter = models.ForeignKey(
        Supporter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    supporter = models.ForeignKey(
        Supporter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=30, choices=Reason, blank=True)
    conversation_number = models.PositiveSmallIntegerField(_("conversation"), null=True, blank=True)
    # An undo or correction names the step it took back; that step's row stays.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("takes back"),
    )
    correction_reason = models.CharField(
        _("correction reason"), max_length=30, choices=CorrectionReason, blank=True
    )
    # A conversation planned again: the plan it replaced, so that undoing restores it.
    previous_planned_at = models.DateTimeField(_("previously planned for"), null=True, blank=True)
    previous_mode = models.CharField(
        _("previously planned mode"), max_length=20, choices=ConversationMode, blank=True
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case history entry")
        verbose_name_plural = _("case history")

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise TransitionNotAllowed("Case history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TransitionNotAllowed("Case history is append-only.")

    def describe(self) -> str:
        """The step as the history reads it, e.g. "Conversation 1 planned"; an undo or
        a correction names the step it took back ("Undone: conversation 1 held")."""
        text = str(DONE[Action(self.action)])
        text = text % {"number": self.conversation_number} if "%(number)" in text else text
        if self.action in TAKEN_BACK and self.corrects is not None:
            step = self.corrects.describe()
            return str(TAKEN_BACK[Action(self.action)]) % {"step": step[:1].lower() + step[1:]}
        return text
