"""Departments, functions, employees, and the user accounts with their roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    SUPPORTER = "supporter", _("Peer supporter")
    COORDINATOR = "coordinator", _("Coordinator")
    HR = "hr", _("HR")
    BOARD = "board", _("Board")
    ADMINISTRATOR = "administrator", _("Administrator")


class ProfessionGroup(models.TextChoices):
    """Broad groups, so matching can tell a close profession from a distant one."""

    NURSING = "nursing", _("Nursing and care")
    MEDICAL = "medical", _("Medical")
    ALLIED = "allied", _("Allied health")
    SUPPORT = "support", _("Support services")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


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
    phone = models.CharField(_("work phone"), max_length=30, blank=True)
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

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self) -> str:
        return self.name
