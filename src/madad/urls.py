from django.urls import include, path
from django.views.i18n import set_language

from madad.api.router import api
from madad.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", home_views.healthz, name="healthz"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("madad.accounts.allauth_urls")),
    path("audit/", include("madad.audit.urls")),
    path("backups/", include("madad.backup.urls")),
    path("users/", include("madad.accounts.urls")),
    path("people/", include("madad.people.urls")),
    path("places/", include("madad.places.urls")),
    path("incidents/", include("madad.incidents.urls")),
    path("testimonies/", include("madad.testimonies.urls")),
    path("evidence/", include("madad.evidence.urls")),
    path("households/", include("madad.households.urls")),
    path("cases/", include("madad.cases.urls")),
    path("assistance/", include("madad.assistance.urls")),
    path("referrals/", include("madad.referrals.urls")),
    path("claims/", include("madad.claims.urls")),
    path("fund/", include("madad.fund.urls")),
    path("public/", include("madad.public.urls")),
    path("publications/", include("madad.public.staff_urls")),
    path("duplicates/", include("madad.linkage.urls")),
    path("sharing/", include("madad.sharing.urls")),
    path("shared/", include("madad.sharing.grantee_urls")),
    # the OpenRosa server field phones talk to: the token in the address is the device's
    path("intake/d/<str:token>/", include("madad.intake.openrosa_urls")),
    path("intake/setup/", include("madad.intake.setup_urls")),
    path("intake/", include("madad.intake.urls")),
    path("api/v1/", api.urls),
]

handler404 = "madad.home.views.not_found"
handler500 = "madad.home.views.server_error"
