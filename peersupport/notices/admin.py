from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.notices.models import Delivery, Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Failed messages are parked here for the administrator to see and retry."""

    list_display = [
        "pk",
        "kind",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Try the selected messages again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        queryset.filter(status=Delivery.FAILED).update(
            status=Delivery.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
