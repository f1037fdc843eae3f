"""Madad's sign-in, two-factor and user forms.

allauth's forms carry allauth's labels and placeholders, and allauth ships no Urdu; each form
here keeps allauth's behaviour and replaces every word a user sees with Madad's own.
"""

from __future__ import annotations

from typing import Any, cast

from allauth.account.forms import ChangePasswordForm, LoginForm
from allauth.account.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthMfaReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from madad.accounts import services
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role

PASSWORD_HELP = _(
    "At least 12 characters. Not a common password, not only digits, and not like your name "
    "or email address."
)
LOCKED_MESSAGE = _(
    "This account is locked after too many failed sign-ins. "
    "Try again later, or ask an administrator to unlock it."
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


class _RefusesLockedAccounts:
    """The two-factor step refuses a locked account, as the password step does: wrong codes
    count towards the lockout too (see receivers)."""

    user: User

    def clean_code(self) -> str:
        self.user.refresh_from_db(fields=["failed_signins", "locked_until", "is_active"])
        if self.user.is_locked():
            services.signin_refused_locked(user=self.user, request=context.request)
            raise forms.ValidationError(LOCKED_MESSAGE, code="locked")
        return super().clean_code()  # type: ignore[misc]


class TwoFactorAuthenticateForm(_RefusesLockedAccounts, AllauthAuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"code": CODE_LABEL}, autocomplete={"code": "one-time-code"})
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autofocus": True, "dir": "ltr"}
        )


class TwoFactorReauthenticateForm(_RefusesLockedAccounts, AllauthMfaReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"code": CODE_LABEL}, autocomplete={"code": "one-time-code"})
        self.fields["code"].widget.attrs["dir"] = "ltr"


class TotpActivateForm(ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {"code": _("Code shown by your authenticator app")},
            autocomplete={"code": "one-time-code"},
        )
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "dir": "ltr"})


class UserCreateForm(forms.Form):
    """An administrator adds a colleague to their own organisation."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    password1 = forms.CharField(
        label=_("First password"),
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("First password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = [
            (value, label)
            for value, label in Role.choices
            if (value == Role.PARTNER) == organisation.is_partner
        ]
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "dir": "ltr"})

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("There is already a user with this email address."), code="taken"
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                validate_password(first, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
