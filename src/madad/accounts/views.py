"""The users page: an administrator's list of their organisation's accounts, and the changes
they make to them. Other organisations' accounts answer 404."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.roles import Capability
from madad.accounts import services
from madad.accounts.forms import UserCreateForm
from madad.accounts.models import User


def _require_user_manager(request: HttpRequest) -> User:
    if not access.can(request.user, Capability.USERS_MANAGE):
        raise Http404
    return request.user  # type: ignore[return-value]


def _get_user_for_change(request: HttpRequest, user_id: int) -> User:
    """A user of the administrator's own organisation, or 404."""
    _require_user_manager(request)
    target = access.get_visible_or_404(request.user, User, request=request, pk=user_id)
    if not access.can_change(request.user, target):
        raise Http404
    return target


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_user_manager(request)
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    users = (
        access.visible_to(request.user, User)
        .select_related("organisation")
        .annotate(has_two_factor=Exists(totp))
        .order_by("full_name", "email")
    )
    return render(request, "accounts/user_list.html", {"users": users})


@login_required
def user_create_view(request: HttpRequest) -> HttpResponse:
    admin = _require_user_manager(request)
    form = UserCreateForm(request.POST or None, organisation=admin.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                password=data["password1"],
                organisation=admin.organisation,
                created_by=admin,
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(
                request,
                _(
                    "The account for %(name)s is created. Give them the "
                    "first password in person; they set up two-factor "
                    "sign-in when they first sign in."
                )
                % {"name": user.full_name},
            )
            return redirect("accounts:users")
    return render(request, "accounts/user_create.html", {"form": form})


def _attach(form: UserCreateForm, error: ValidationError) -> None:
    """Puts a service's refusal on the form field it concerns."""
    fields = {"password": "password1"}
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            target = fields.get(name, name)
            form.add_error(target if target in form.fields else None, problems)
    else:
        form.add_error(None, error)


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("accounts:users")


@login_required
@require_POST
def user_unlock_view(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _get_user_for_change(request, user_id)
    services.user_unlock(user=target, unlocked_by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("%(name)s can sign in again.") % {"name": target.full_name})
    return redirect("accounts:users")


@login_required
@require_POST
def user_deactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _get_user_for_change(request, user_id)
    try:
        services.user_deactivate(user=target, deactivated_by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        return _refused(request, error)
    messages.success(
        request,
        _("%(name)s is deactivated and can no longer sign in.") % {"name": target.full_name},
    )
    return redirect("accounts:users")


@login_required
@require_POST
def user_reactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _get_user_for_change(request, user_id)
    services.user_reactivate(user=target, reactivated_by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("%(name)s is active again.") % {"name": target.full_name})
    return redirect("accounts:users")
