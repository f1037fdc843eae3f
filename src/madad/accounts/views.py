from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad.accounts import services
from madad.accounts.models import User
from madad.accounts.roles import Capability
from madad.core import access


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    if not access.can(request.user, Capability.USERS_MANAGE):
        raise Http404
    users = access.visible_to(request.user, User).select_related("organisation")
    return render(request, "accounts/user_list.html", {"users": users})


@login_required
@require_POST
def user_unlock_view(request: HttpRequest, user_id: int) -> HttpResponse:
    target = access.get_visible_or_404(request.user, User, request=request, pk=user_id)
    if not access.can_change(request.user, target):
        raise Http404
    services.user_unlock(user=target, unlocked_by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The account is unlocked."))
    return redirect("accounts:users")
