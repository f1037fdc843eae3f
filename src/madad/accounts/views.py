"""The users page: an administrator's list of their organisation's accounts, the invitations
they send and the changes they make; the role requests a second person decides on; and the
invitation page where an invited user sets their own password. Other organisations' accounts
answer 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from madad import access
from madad.access.accounts import may_decide_roles
from madad.access.roles import Capability
from madad.accounts import invitations, role_requests, services
from madad.accounts.forms import InvitationAcceptForm, RoleChangeForm, UserInviteForm
from madad.accounts.models import RoleRequest, User
from madad.accounts.selectors import users_with_standing
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused

ViewFunction = Callable[..., HttpResponse]


def _require_user_manager(request: AuthedRequest) -> User:
    if not access.can(request.user, Capability.USERS_MANAGE):
        raise Http404
    return request.user


def _get_user_for_change(request: AuthedRequest, user_id: int) -> User:
    """A user of the administrator's own organisation, or 404."""
    _require_user_manager(request)
    target = access.get_visible_or_404(request.user, User, pk=user_id)
    if not access.can_change(request.user, target):
        raise Http404
    return target


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    _require_user_manager(request)
    users = users_with_standing(access.visible_to(request.user, User)).order_by(
        "full_name", "email"
    )
    pending = _pending(request.user).count()
    return render(request, "accounts/user_list.html", {"users": users, "pending": pending})


def _invited_page(
    request: AuthedRequest, user: User, token: str, role_request: RoleRequest | None = None
) -> HttpResponse:
    """The invitation link, shown once: only its digest is kept."""
    link = request.build_absolute_uri(reverse("account_invitation", args=[token]))
    context = {"invited": user, "link": link, "role_request": role_request}
    return render(request, "accounts/user_invited.html", context)


@login_required
@never_cache
def user_create_view(request: AuthedRequest) -> HttpResponse:
    admin = _require_user_manager(request)
    form = UserInviteForm(request.POST or None, organisation=admin.organisation)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = INVALID_FORM_STATUS
        else:
            data = form.cleaned_data
            try:
                invited = services.user_invite(
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    organisation=admin.organisation,
                    invited_by=admin,
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                return _invited_page(request, invited.user, invited.token, invited.role_request)
    return render(request, "accounts/user_create.html", {"form": form}, status=status)


@login_required
@require_POST
@never_cache
def user_invitation_renew_view(request: AuthedRequest, user_id: int) -> HttpResponse:
    target = _get_user_for_change(request, user_id)
    try:
        token = services.user_invitation_renew(user=target, renewed_by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:users")
    return _invited_page(request, target, token)


@login_required
def user_role_view(request: AuthedRequest, user_id: int) -> HttpResponse:
    target = _get_user_for_change(request, user_id)
    form = RoleChangeForm(request.POST or None, organisation=target.organisation)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = INVALID_FORM_STATUS
        else:
            try:
                asked = role_requests.role_change(
                    user=target, role=form.cleaned_data["role"], changed_by=request.user
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                done = (
                    _("The new role of %(name)s waits for a second person's approval.")
                    if asked
                    else _("%(name)s has a new role.")
                )
                messages.success(request, done % {"name": target.full_name})
                return redirect("accounts:users")
    context = {"form": form, "target": target}
    return render(request, "accounts/user_role.html", context, status=status)


def _on_user(
    request: AuthedRequest, user_id: int, change: Callable[[User, User], object], done: Any
) -> HttpResponse:
    """One change to a user of the administrator's organisation, told as a message."""
    target = _get_user_for_change(request, user_id)
    try:
        change(target, request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done % {"name": target.full_name})
    return redirect("accounts:users")


def _user_change(change: Callable[[User, User], object], done: Any) -> ViewFunction:
    """A POST-only view making one change to a user of the administrator's organisation."""

    @login_required
    @require_POST
    def view(request: AuthedRequest, user_id: int) -> HttpResponse:
        return _on_user(request, user_id, change, done)

    return view


user_unlock_view = _user_change(
    lambda target, me: services.user_unlock(user=target, unlocked_by=me),
    gettext_lazy("%(name)s can sign in again."),
)
user_deactivate_view = _user_change(
    lambda target, me: services.user_deactivate(user=target, deactivated_by=me),
    gettext_lazy("%(name)s is deactivated and can no longer sign in."),
)
user_reactivate_view = _user_change(
    lambda target, me: services.user_reactivate(user=target, reactivated_by=me),
    gettext_lazy("%(name)s is active again."),
)


# --- role requests: the second person ---------------------------------------------------------


def _pending(user: User) -> QuerySet[RoleRequest]:
    return access.visible_to(user, RoleRequest).filter(status=RoleRequest.Status.PENDING)


@login_required
def role_request_list(request: AuthedRequest) -> HttpResponse:
    if not may_decide_roles(request.user):
        raise Http404
    pending = _pending(request.user).select_related("user", "requested_by").order_by("pk")
    return render(request, "accounts/role_requests.html", {"requests": pending})


def _decision(decide: Callable[[RoleRequest, User], None]) -> ViewFunction:
    """A POST-only view deciding on one role request the user may see (404 otherwise)."""

    @login_required
    @require_POST
    def view(request: AuthedRequest, request_id: int) -> HttpResponse:
        asked = access.get_visible_or_404(request.user, RoleRequest, pk=request_id)
        try:
            decide(asked, request.user)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The decision is recorded."))
        return redirect("accounts:role_requests")

    return view


role_request_approve_view = _decision(
    lambda asked, me: role_requests.role_request_approve(request=asked, approver=me)
)
role_request_refuse_view = _decision(
    lambda asked, me: role_requests.role_request_refuse(request=asked, refuser=me)
)


# --- the invited user -------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invited user chooses their own password; they then sign in and enrol
    two-factor sign-in. A used, expired or unknown link answers 404."""
    try:
        invitation = invitations.invitation_open(token)
    except Refused as refusal:
        return render(
            request, "accounts/invitation_invalid.html", {"message": refusal.message}, status=404
        )
    form = InvitationAcceptForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = INVALID_FORM_STATUS
        else:
            try:
                invitations.invitation_accept(
                    raw=token,
                    password=form.cleaned_data["password1"],
                    password_again=form.cleaned_data["password2"],
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                messages.success(
                    request,
                    _(
                        "Your password is set. Sign in with it; you will then set up "
                        "two-factor sign-in."
                    ),
                )
                return redirect("account_login")
    context = {"form": form, "invited": invitation.user}
    return render(request, "accounts/invitation_accept.html", context, status=status)
