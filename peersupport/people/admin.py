from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

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


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleGrantInline]
    list_display = ["username", "first_name", "last_name", "is_active"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group"]
    search_fields = ["code", "name"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["staff_number", "name", "department", "function", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["staff_number", "name", "email"]
    autocomplete_fields = ["manager", "department", "function"]
    raw_id_fields = ["user"]


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
