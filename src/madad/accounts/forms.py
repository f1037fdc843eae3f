# mypy: allow-subclassing-any
"""Madad's sign-in, two-factor and user forms.

allauth's forms carry allauth's labels and placeholders, and allauth ships no Urdu; each form
here keeps allauth's behaviour and replaces every word a user sees with Madad's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from allauth.account.forms import ChangePasswordForm, LoginForm
from allauth.account.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthMfaReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.utils.translation import gettext_lazy as _

from madad.accounts import signin
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role

PASSWORD_HELP = _(
    "At least 12 characters. Not a common password, not only digits, and not like your name "
    "or email address."
)
CODE_LABEL = _("Code from your authenticator app, or a recovery code")


def _relabel(
    form: forms.Form,
    labels: dict[str, Any],
    help_texts: dict[str, Any] | None = None,
    autocomplete: dict[str, str] | None = None,
) -> None:
    """Madad's label on each field; no placeholder, which would repeat allauth's words."""
    for name, label in labels.items():
        field = form.fields[name]
        field.label = label
        field.help_text = (help_texts or {}).get(name, "")
        field.widget.attrs.pop("placeholder", None)
    for name, value in (autocomplete or {}).items():
        form.fields[name].widget.attrs["autocomplete"] = value


class SignInForm(LoginForm):
    """allauth's form, with Madad's labels (translated) and no "remember me"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("remember", None)
        _relabel(
            self,
            {"login": _("Email address"), "password": _("Password")},
            autocomplete={"login": "username", "password": "current-password"},
        )
        self.fields["login"].widget.attrs["dir"] = "ltr"


class PasswordChangeForm(ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {
                "oldpassword": _("Current password"),
                "password1": _("New password"),
                "password2": _("New password again"),
            },
            help_texts={"password1": PASSWORD_HELP},
        )

    def clean(self) -> dict[str, Any]:
        # Skips allauth's own comparison, whose message is not in Madad's catalogue.
        cleaned: dict[str, Any] = forms.Form.clean(self) or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two new passwords are not the same."))
        return cleaned


class PasswordReauthenticateForm(AllauthReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password": _("Password")})


def _counted(user: User, check: Callable[[], str]) -> str:
    """The two-factor step takes an attempt from the lockout before it checks the code, as the
    password step does: a locked account is refused unchecked, a wrong code keeps its attempt
    (and is audited, see receivers), a right one gives it back."""
    if not signin.two_factor_attempt_begin(user=user):
        raise forms.ValidationError(signin.LOCKED_MESSAGE, code="locked")
    code = check()
    signin.attempt_accepted(user=user)
    return code


class TwoFactorAuthenticateForm(AllauthAuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"code": CODE_LABEL}, autocomplete={"code": "one-time-code"})
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autofocus": True, "dir": "ltr"}
        )

    def clean_code(self) -> str:
        return _counted(self.user, super().clean_code)


class TwoFactorReauthenticateForm(AllauthMfaReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"code": CODE_LABEL}, autocomplete={"code": "one-time-code"})
        self.fields["code"].widget.attrs["dir"] = "ltr"

    def clean_code(self) -> str:
        return _counted(self.user, super().clean_code)


class TotpActivateForm(ActivateTOTPForm):
    """allauth's form makes a new secret at every GET: a user who scanned the code and then
    reloaded the page would be shown another key, and their app's codes would no longer work.
    Here the session keeps one secret until enrolment succeeds (allauth then clears it, so the
    next enrolment gets a new one)."""

    secret: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pending: str = totp_auth.get_totp_secret(regenerate=False)  # made once per enrolment
        super().__init__(*args, **kwargs)
        if self.secret != pending:
            self.secret = pending
            context.request.session[totp_auth.SECRET_SESSION_KEY] = pending
        _relabel(
            self,
            {"code": _("Code shown by your authenticator app")},
            autocomplete={"code": "one-time-code"},
        )
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "dir": "ltr"})


class UserInviteForm(forms.Form):
    """An administrator invites a colleague to their own organisation. There is no password
    here: the invited user sets their own."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_roles(self, organisation)
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "dir": "ltr"})


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_roles(self, organisation)


def _offer_roles(form: forms.Form, organisation: Organisation) -> None:
    """The roles of the organisation's kind: partner for a partner, every other otherwise."""
    role_field = cast(forms.ChoiceField, form.fields["role"])
    role_field.choices = [
        (value, label)
        for value, label in Role.choices
        if (value == Role.PARTNER) == organisation.is_partner
    ]


class InvitationAcceptForm(forms.Form):
    """The invited user chooses their own password."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
