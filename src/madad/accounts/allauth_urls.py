"""The parts of django-allauth Madad uses, mounted at /accounts/.

Left out on purpose: sign-up (administrators create accounts), email-address management (the
address is the account's identity, set by an administrator) and password reset by email
(Madad runs without a mail server). Without these routes allauth hides its links to them.
An invited user sets their own password on Madad's invitation page, mounted here too.
"""

from allauth.account import views as account_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_code_views
from allauth.mfa.totp import views as totp_views
from django.urls import path

from madad.accounts import views

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept_view, name="account_invitation"),
    path("login/", account_views.login, name="account_login"),
    path("logout/", account_views.logout, name="account_logout"),
    path("inactive/", account_views.account_inactive, name="account_inactive"),
    path("reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", account_views.password_change, name="account_change_password"),
    path("2fa/", mfa_views.index, name="mfa_index"),
    path("2fa/authenticate/", mfa_views.authenticate, name="mfa_authenticate"),
    path("2fa/reauthenticate/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("2fa/totp/activate/", totp_views.activate_totp, name="mfa_activate_totp"),
    path("2fa/totp/deactivate/", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path(
        "2fa/recovery-codes/",
        recovery_code_views.view_recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/generate/",
        recovery_code_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/download/",
        recovery_code_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
]
