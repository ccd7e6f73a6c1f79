"""Only the deadline policy is administered here. Cases are deliberately not in the
admin: the administrator sets up the organisation and does not read cases (R-14)."""

from django.contrib import admin
from django.http import HttpRequest

from peersupport.cases.models import DeadlinePolicy, recompute_open_deadlines


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not DeadlinePolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recompute_open_deadlines()
