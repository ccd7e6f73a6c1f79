"""Hand-overs: a referral to professional help that someone must arrange (procedure
§8 step 6). A referral via HR, or via the coordinator, made with the employee's
recorded consent becomes a hand-over that HR (or the coordinator) sees and follows up.

A hand-over holds the referral (kind of help, route, date) and the steps taken on it,
as choices and dates: never the event, never anything said. It is deleted with its
case (through the referral), so retention needs nothing of its own.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peersupport.cases.constants import ReferralRoute, ReferralType
from peersupport.cases.models import Case, Referral
from peersupport.notices import models as notices
from peersupport.people.models import Role, User
from peersupport.reports import facts
from peersupport.reports.models import FactKind


class Status(models.TextChoices):
    SENT = "sent", _("Handed over")
    CONTACT_MADE = "contact_made", _("Contact made")
    HELP_ARRANGED = "help_arranged", _("Help arranged")
    DECLINED = "declined", _("The employee declined")


# From each status, the statuses the receiver may record next.
NEXT: dict[str, tuple[Status, ...]] = {
    Status.SENT: (Status.CONTACT_MADE, Status.HELP_ARRANGED, Status.DECLINED),
    Status.CONTACT_MADE: (Status.HELP_ARRANGED, Status.DECLINED),
    Status.HELP_ARRANGED: (),
    Status.DECLINED: (),
}


class HandOverQuerySet(models.QuerySet["HandOver"]):
    def open(self) -> "HandOverQuerySet":
        return self.filter(status__in=[Status.SENT, Status.CONTACT_MADE])


class HandOver(models.Model):
    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="hand_over", verbose_name=_("referral")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SENT)
    sent_at = models.DateTimeField(_("handed over at"), default=timezone.now)

    objects = HandOverQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self) -> str:
        return gettext("Hand-over %(number)s") % {"number": self.pk}

    @property
    def case(self) -> Case:
        return self.referral.case

    @property
    def is_open(self) -> bool:
        return bool(NEXT[self.status])

    @property
    def last_step(self) -> "HandOverStep | None":
        """The latest step recorded (from prefetched steps when there are)."""
        steps = list(self.steps.all())
        return steps[-1] if steps else None

    def next_statuses(self) -> tuple[Status, ...]:
        return NEXT[self.status]

    def record(self, status: Status | str, *, on: date, by: User | None) -> "HandOverStep":
        """HR (or the coordinator) records how the hand-over went. Locks the row, checks
        the order, writes one history row; help arranged counts in the report."""
        with transaction.atomic():
            locked = (
                type(self)
                .objects.select_for_update(of=("self",))
                .select_related(
                    "referral__case__request",
                    "referral__case__event",
                    "referral__case__employee__function",
                )
                .get(pk=self.pk)
            )
            if status not in NEXT[locked.status]:
                raise ValidationError(
                    {"status": gettext("This step cannot be recorded for this hand-over now.")}
                )
            sent_on = timezone.localdate(locked.sent_at)
            if on < sent_on:
                raise ValidationError({"on": gettext("The date cannot be before the hand-over.")})
            if on > timezone.localdate():
                raise ValidationError({"on": gettext("The date cannot be in the future.")})
            locked.status = status
            locked.save(update_fields=["status"])
            step = HandOverStep.objects.create(hand_over=locked, status=status, on=on, by=by)
            if status == Status.HELP_ARRANGED:
                case = locked.referral.case
                facts.record(
                    FactKind.HELP_ARRANGED,
                    timezone.now(),
                    channel=case.request.channel,
                    category=case.event.category,
                    function_group=case.employee.function.group,
                    mandatory=case.event.offer_mandatory,
                    referral_type=locked.referral.kind,
                    days_to_help=(on - sent_on).days,
                )
        self.refresh_from_db()
        return step


class HandOverStep(models.Model):
    """One append-only row per step recorded on a hand-over: its history."""

    hand_over = models.ForeignKey(
        HandOver, on_delete=models.CASCADE, related_name="steps", verbose_name=_("hand-over")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["on", "recorded_at", "pk"]
        verbose_name = _("hand-over step")
        verbose_name_plural = _("hand-over steps")

    def __str__(self) -> str:
        return str(self.get_status_display())


def refer(
    case: Case,
    kind: ReferralType | str,
    *,
    route: ReferralRoute | str,
    consent: bool,
    by: User | None,
) -> Referral:
    """The supporter's referral step, and with the employee's consent its hand-over
    and the receiver's content-free notice, all in one transaction (R-19)."""
    with transaction.atomic():
        if consent and HandOver.objects.open().filter(referral__case=case, referral__kind=kind):
            # Sent again (a second tab, a reload): HR would phone the employee twice.
            raise ValidationError(
                {"kind": gettext("This referral was already handed over and is still open.")}
            )
        referral = case.refer(kind, route=route, consent=consent, by=by)  # type: ignore[arg-type]
        if consent:
            hand_over = HandOver.objects.create(referral=referral, sent_at=referral.referred_at)
            if route == ReferralRoute.HR:
                _tell_hr(hand_over)
    return referral


def _tell_hr(hand_over: HandOver) -> None:
    """Each HR user hears once, and the address in HANDOVER_HR_EMAIL if one is set."""
    path = reverse("handovers:detail", args=[hand_over.pk])
    recipients = list(
        User.objects.filter(roles__role=Role.HR, is_active=True).values_list("pk", flat=True)
    )
    for user_id in recipients:
        notices.enqueue(recipient_id=user_id, kind=notices.Kind.HAND_OVER, path=path)
    if settings.HANDOVER_HR_EMAIL:
        notices.enqueue(address=settings.HANDOVER_HR_EMAIL, kind=notices.Kind.HAND_OVER, path=path)
