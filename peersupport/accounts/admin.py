"""The administrator lifts a lock by deleting the attempts behind it (django-axes'
own screen), and that is logged; and resets a person's second sign-in step (an
action on people's user page, added here: people imports nothing of signing in)."""

from collections.abc import Iterable

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialToken
from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peersupport.accounts.events import log_sign_in_event
from peersupport.accounts.second_factor import reset
from peersupport.people.admin import UserAdmin
from peersupport.people.http import signed_in
from peersupport.people.models import User


class AccountUserAdmin(UserAdmin):
    actions = ["reset_second_factor"]

    @admin.action(description=gettext_lazy("Reset the second sign-in step (lost phone)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        by = signed_in(request)
        done = sum(reset(user, by=by) for user in queryset)
        self.message_user(
            request,
            _("Second sign-in step reset for %(count)d account(s); each was told by e-mail.")
            % {"count": done},
            messages.SUCCESS,
        )


admin.site.unregister(User)
admin.site.register(User, AccountUserAdmin)


class LockAdmin(AccessAttemptAdmin):
    # The attempts' form data and browser are not needed to decide on a lock.
    fieldsets = (
        (None, {"fields": ("username", "ip_address", "attempt_time", "failures_since_start")}),
    )
    list_display = ["attempt_time", "ip_address", "username", "failures_since_start"]

    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        self._log_lifted(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        self._log_lifted(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _log_lifted(self, request: HttpRequest, attempts: Iterable[AccessAttempt]) -> None:
        for attempt in attempts:
            account = User.objects.filter(username=attempt.username).values_list("pk", flat=True)
            log_sign_in_event(
                "sign_in_lock_lifted",
                user_id=account.first(),
                allowed=True,
                by=request.user.pk,
            )


for model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.register(AccessAttempt, LockAdmin)


# allauth's own screen for the authenticators shows and edits their data: the TOTP
# secret, the recovery codes' seed. Ours shows only who has which second factor;
# removing one is the logged reset on the person (people/admin.py).
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# Tokens of the sign-in provider are not stored (SOCIALACCOUNT_STORE_TOKENS is off),
# so allauth's screen for them would only offer a form to type one in by hand.
admin.site.unregister(SocialToken)
