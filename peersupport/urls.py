from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from peersupport.accounts import second_factor
from peersupport.accounts import views as accounts_views
from peersupport.audit import views as audit_views
from peersupport.operations import views as operations_views
from peersupport.people import import_views
from peersupport.people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("healthz/", people_views.health, name="health"),
    path("monitoring/status/", operations_views.status, name="monitoring_status"),
    path("monitoring/metrics/", operations_views.metrics, name="monitoring_metrics"),
    path("login/", accounts_views.SignInView.as_view(), name="login"),
    path("login/passkey/", second_factor.passkey_sign_in, name="login_passkey"),
    path("login/passkey/options/", second_factor.passkey_options, name="login_passkey_options"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # django-allauth's OpenID Connect views, under the names allauth reverses; the
    # redirect URI registered at the providers stays /login/oidc/<name>/callback/.
    path("login/oidc/<slug:provider_id>/", accounts_views.oidc_login, name="openid_connect_login"),
    path(
        "login/oidc/<slug:provider_id>/callback/",
        accounts_views.oidc_callback,
        name="openid_connect_callback",
    ),
    path("language/", set_language, name="set_language"),
    path("account/session/", people_views.stay_signed_in, name="stay_signed_in"),
    path("account/2fa/", second_factor.setup, name="two_factor_setup"),
    path("account/2fa/verify/", second_factor.verify, name="two_factor_verify"),
    path("account/2fa/passkeys/", second_factor.passkeys, name="two_factor_passkeys"),
    path("cases/", include("peersupport.case_urls")),
    path("requests/", include("peersupport.intake.urls")),
    path("api/", include("peersupport.api_urls")),
    path("info/", include("peersupport.information.urls")),
    path("me/", include("peersupport.mypages.urls")),
    path("reports/", include("peersupport.reports.urls")),
    path("supporters/", include("peersupport.supporters.urls")),
    path("directory/", include("peersupport.supporters.directory_urls")),
    path("handovers/", include("peersupport.handovers.urls")),
    path("people/import/", import_views.hr_import, name="hr_import"),
    path("audit/", audit_views.access_log, name="access_log"),
    path("admin/", admin.site.urls),
]
