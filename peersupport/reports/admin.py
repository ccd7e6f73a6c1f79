from django.contrib import admin
from django.http import HttpRequest

from peersupport.reports.models import ReportPolicy


@admin.register(ReportPolicy)
class ReportPolicyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ReportPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
