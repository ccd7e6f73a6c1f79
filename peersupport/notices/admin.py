from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.notices.delivery import address_of
from peersupport.notices.models import Delivery, Message


def mask(address: str) -> str:
    """e•••@hospital.nl: enough to see which mailbox is wrong, not whose it is."""
    name, at, domain = address.partition("@")
    return f"{name[:1]}•••{at}{domain}" if address else "—"


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Failed messages are parked here for the administrator to see and retry: their
    status and a masked address only. The kind, the link and the recipient together
    would say who asked for support or who supports whom (SECURITY.md)."""

    list_display = ["pk", "status", "masked_address", "attempts", "last_error", "created_at"]
    list_filter = ["status"]
    fields = readonly_fields = ("status", "masked_address", "attempts", "last_error", "created_at")
    actions = ["retry"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        return super().get_queryset(request).select_related("recipient__employee")

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        """Only the filter the page offers. Django would also take a filter on any of
        the model's own fields from the URL (?kind=request_received&recipient=33),
        which would say, through the employee list, who asked for support."""
        return lookup.split("__")[0] in self.list_filter

    @admin.display(description=_("address"))
    def masked_address(self, message: Message) -> str:
        return mask(address_of(message))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Try the selected messages again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        queryset.filter(status=Delivery.FAILED).update(
            status=Delivery.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
