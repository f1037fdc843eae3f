"""Case teams, kept by coordinators: caseworkers who cover each other's cases when
MADAD_CASE_VISIBILITY=team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madad import access
from madad.access.cases import may_approve_cases
from madad.accounts.models import User
from madad.cases import services
from madad.cases.forms import UsersChoiceField, case_workers
from madad.cases.models import Team
from madad.core.forms import INVALID_FORM_STATUS, choose_from, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused


class TeamForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the team"), max_length=100)


class MembersForm(forms.Form):
    members = UsersChoiceField(
        label=gettext_lazy("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "members", case_workers(user.organisation_id))


def _coordinator(request: AuthedRequest) -> User:
    if not may_approve_cases(request.user):
        raise Http404
    return request.user


@login_required
def team_list_view(request: AuthedRequest) -> HttpResponse:
    user = _coordinator(request)
    form = TeamForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = INVALID_FORM_STATUS
        if form.is_valid():
            try:
                services.team_create(
                    organisation=user.organisation, name=form.cleaned_data["name"], created_by=user
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                messages.success(request, _("The team was created."))
                return redirect("cases:teams")
    teams = access.visible_to(user, Team).prefetch_related("members")
    return render(
        request,
        "cases/teams.html",
        {
            "form": form,
            "visibility": settings.CASE_VISIBILITY,
            "teams": [
                (
                    team,
                    MembersForm(
                        user=user,
                        initial={"members": list(team.members.all())},
                        auto_id=f"id_team{team.pk}_%s",
                    ),
                )
                for team in teams
            ],
        },
        status=status,
    )


@login_required
def team_members_view(request: AuthedRequest, team_id: int) -> HttpResponse:
    user = _coordinator(request)
    if request.method != "POST":
        return redirect("cases:teams")
    team = access.get_visible_or_404(user, Team, pk=team_id)
    if not access.can_change(user, team):
        raise Http404
    form = MembersForm(request.POST, user=user)
    if form.is_valid():
        services.team_members_set(
            team=team, members=list(form.cleaned_data["members"]), changed_by=user
        )
        messages.success(request, _("The team's members were saved."))
    else:
        messages.error(request, _("Choose colleagues from the list."))
    return redirect("cases:teams")
