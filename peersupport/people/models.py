"""Departments, functions, employees, and the user accounts with their roles."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from peersupport.people.phones import E164Validator
from peersupport.vocabulary import ProfessionGroup, Role

__all__ = ["ProfessionGroup"]


class CallTime(models.TextChoices):
    """When an employee would rather be called: a part of the day, never free text."""

    ANY = "any", _("Any time of the working day")
    MORNING = "morning", _("In the morning")
    AFTERNOON = "afternoon", _("In the afternoon")
    EVENING = "evening", _("Early in the evening")


class Department(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Function(models.Model):
    """A job function (profession), e.g. nurse, surgeon, lab technician."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(
        _("profession group"), max_length=20, choices=ProfessionGroup, default=ProfessionGroup.OTHER
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("function")
        verbose_name_plural = _("functions")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A sign-in account. What it may do follows from its roles (one person, several roles)."""

    language = models.CharField(
        _("language"), max_length=5, choices=[("nl", "Nederlands"), ("en", "English")], default="nl"
    )

    @cached_property
    def role_set(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return frozenset(self.roles.values_list("role", flat=True))

    def has_role(self, role: Role) -> bool:
        return role in self.role_set


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return self.get_role_display()


class Employee(models.Model):
    """A member of staff as the HR system knows them."""

    staff_number = models.CharField(_("staff number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("work e-mail"), blank=True)
    phone = models.CharField(
        _("work phone"), max_length=30, blank=True, validators=[E164Validator()]
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="employees", verbose_name=_("department")
    )
    function = models.ForeignKey(
        Function, on_delete=models.PROTECT, related_name="employees", verbose_name=_("function")
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
    )
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name=_("account"),
    )
    is_active = models.BooleanField(_("employed"), default=True)
    # The employee's own choice on /me/ (the HR import never touches these).
    preferred_phone = models.CharField(
        _("number to call me on"),
        max_length=30,
        blank=True,
        validators=[E164Validator()],
        help_text=_("Leave empty to be called on your work phone."),
    )
    preferred_call_time = models.CharField(
        _("best time to call me"), max_length=20, choices=CallTime, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self) -> str:
        return self.name

    @property
    def call_on(self) -> str:
        """The number to call first: the one they chose, else their work phone."""
        return self.preferred_phone or self.phone


class Scope(models.TextChoices):
    """What an integration's token may do."""

    SUBMIT_REQUESTS = "requests:submit", _("Submit support requests (incident reporting)")
    READ_DIRECTORY = "directory:read", _("Read the supporter directory")


TOKEN_PREFIX = "ps_"  # noqa: S105  (marks our tokens in logs and secret scanners)


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token of one integration (e.g. the incident-reporting system).

    Only its SHA-256 is stored; the token itself is shown once, when it is made.
    """

    name = models.CharField(_("integration"), max_length=100, unique=True)
    # Not "may": Django's Dutch month abbreviations share that msgid ("Mag" for May).
    scope = models.CharField(_("permission"), max_length=30, choices=Scope)
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False, validators=[RegexValidator(r"^[0-9a-f]{64}$")]
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, name: str, scope: Scope) -> tuple["ApiToken", str]:
        """Create a token; returns it with its plaintext, which is not stored anywhere."""
        plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(name=name, scope=scope, token_hash=hash_token(plaintext))
        return token, plaintext

    @classmethod
    def find_active(cls, plaintext: str) -> "ApiToken | None":
        token = cls.objects.filter(
            token_hash=hash_token(plaintext), revoked_at__isnull=True
        ).first()
        if token is not None:
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token

    def revoke(self) -> None:
        self.revoked_at = self.revoked_at or timezone.now()
        self.save(update_fields=["revoked_at"])


class DeletionRequest(models.Model):
    """An employee's request to delete what the system holds about them (R-16).
    Carried out by the retention purge; kept as a date only."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="deletion_requests"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(carried_out_at__isnull=True),
                name="one_open_deletion_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.requested_at:%Y-%m-%d}"
