from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from peersupport.people import roles
from peersupport.people.http import signed_in
from peersupport.people.models import (
    ApiToken,
    Department,
    Employee,
    Function,
    RoleGrant,
    Scope,
    User,
)

# Roles are our own (RoleGrant); Django's groups are unused, and their admin page's
# permission picker fails the accessibility checks (ARIA on a label's icon).
admin.site.unregister(Group)


class RoleGrantInline(admin.StackedInline):
    model = RoleGrant
    extra = 1


class NoDelete:
    """Deleting here would show, on the confirmation page, the cases, requests and
    messages that hang from the row; people leave through the HR import and
    retention, and are deactivated here."""

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(NoDelete, BaseUserAdmin):
    inlines = [RoleGrantInline]
    list_display = ["username", "first_name", "last_name", "is_active"]
    # The second sign-in step's reset is added by accounts (accounts/admin.py):
    # people imports nothing of signing in.

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before = User.objects.filter(pk=obj.pk).values_list("is_superuser", flat=True).first()
        super().save_model(request, obj, form, change)
        if bool(before) != obj.is_superuser:
            roles.changed(signed_in(request), obj, "superuser", granted=obj.is_superuser)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        user = form.instance
        before = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        super().save_formset(request, form, formset, change)
        after = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        for role in sorted(after - before):
            roles.changed(signed_in(request), user, role, granted=True)
        for role in sorted(before - after):
            roles.changed(signed_in(request), user, role, granted=False)


@admin.register(Department)
class DepartmentAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Function)
class FunctionAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["code", "name", "group"]
    search_fields = ["code", "name"]


@admin.register(Employee)
class EmployeeAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["staff_number", "name", "department", "function", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["staff_number", "name", "email"]
    # Plain selects and an id box with its lookup: select2's comboboxes have no
    # accessible name (axe, WCAG 4.1.2); there are few departments and functions.
    raw_id_fields = ["user", "manager"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "scope"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        return ["name", "scope"] if obj else []

    def save_model(self, request: HttpRequest, obj: ApiToken, form: object, change: bool) -> None:
        if change:
            return
        token, plaintext = ApiToken.issue(obj.name, Scope(obj.scope))
        obj.pk = token.pk
        self.message_user(
            request,
            _("The token for %(name)s is %(token)s — store it now, it is not shown again.")
            % {"name": token.name, "token": plaintext},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token.revoke()
