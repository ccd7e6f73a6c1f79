from django.contrib import admin
from django.http import HttpRequest

from peersupport.operations.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    """Which processes are alive, and when the scheduler last swept: for the administrator."""

    list_display = ["kind", "process", "beat_at", "swept_at", "interval_seconds", "started_at"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "process", "beat_at", "swept_at", "interval_seconds", "started_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Heartbeat | None = None) -> bool:
        return False
