from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from peersupport.people.models import Department, Employee, Function, RoleGrant, User


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
