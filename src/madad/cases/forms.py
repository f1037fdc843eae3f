"""Forms for cases. They check the shape of the input; the services check the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from madad.access.roles import CAPABILITIES, Capability
from madad.accounts.models import User
from madad.cases.models import ApprovalRequest, Case, Need, Severity
from madad.core.forms import choose_from

_AUTO = {"dir": "auto"}
_DATE = {"type": "date"}


def case_workers(organisation_id: int) -> QuerySet[User]:
    """Active colleagues whose role works on cases (caseworkers and coordinators)."""
    roles = [
        role
        for role, capabilities in CAPABILITIES.items()
        if Capability.CASE_EDIT in capabilities
        and (
            Capability.CASE_VIEW_ASSIGNED in capabilities
            or Capability.CASE_VIEW_ALL in capabilities
        )
    ]
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=roles
    ).order_by("full_name", "id")


if TYPE_CHECKING:  # generic for the type checker only (no django_stubs_ext at run time)
    _UserField = forms.ModelChoiceField[User]
    _UsersField = forms.ModelMultipleChoiceField[User]
else:
    _UserField = forms.ModelChoiceField
    _UsersField = forms.ModelMultipleChoiceField


class UserChoiceField(_UserField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class UsersChoiceField(_UsersField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("active", _("Not closed")), *Case.Status.choices],
    )
    risk = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("Any")), *Case.Risk.choices]
    )
    caseworker = UserChoiceField(
        label=_("Caseworker"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Anybody"),
    )
    overdue = forms.BooleanField(label=_("Follow-up late"), required=False)
    awaiting = forms.BooleanField(label=_("Waiting for approval"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "caseworker", case_workers(user.organisation_id))


class CaseOpenForm(forms.Form):
    caseworker = UserChoiceField(label=_("Caseworker"), queryset=User.objects.none())
    risk = forms.ChoiceField(
        label=_("Risk level"), choices=Case.Risk.choices, initial=Case.Risk.MEDIUM
    )
    next_follow_up = forms.DateField(
        label=_("Next follow-up"), required=False, widget=forms.DateInput(attrs=_DATE)
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "caseworker", case_workers(user.organisation_id))
        self.fields["caseworker"].initial = user.pk


class CaseEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_000_000_000)
    risk = forms.ChoiceField(label=_("Risk level"), choices=Case.Risk.choices)
    next_follow_up = forms.DateField(
        label=_("Next follow-up"), required=False, widget=forms.DateInput(attrs=_DATE)
    )
    plan = forms.CharField(
        label=_("Plan of assistance (kept encrypted)"),
        required=False,
        max_length=10_000,
        help_text=_(
            "What the family will get, from whom and when. A "
            "coordinator agrees it before assistance starts."
        ),
        widget=forms.Textarea(attrs={"rows": 6, **_AUTO}),
    )

    def __init__(self, *args: Any, plan_editable: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not plan_editable:
            del self.fields["plan"]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_000_000_000)


class TransitionForm(VersionForm):
    to_status = forms.ChoiceField(choices=Case.Status.choices)


class ApprovalRequestForm(VersionForm):
    kind = forms.ChoiceField(choices=ApprovalRequest.Kind.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the coordinator"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, **_AUTO}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(
        label=_("Reason (needed to refuse)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, **_AUTO}),
    )


class ReopenForm(VersionForm):
    reason = forms.CharField(
        label=_("Why the case is reopened"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, **_AUTO}),
    )


class AssignForm(VersionForm):
    caseworker = UserChoiceField(label=_("Caseworker"), queryset=User.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "caseworker", case_workers(user.organisation_id))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note (kept encrypted)"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, **_AUTO}),
    )
    is_contact = forms.BooleanField(
        label=_("This note records a contact with the family"), required=False
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200, widget=forms.TextInput(_AUTO))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs=_DATE))
    assigned_to = UserChoiceField(
        label=_("For"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The case's caseworker"),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the caseworker and the coordinators: who can see the case whatever the setting
        choose_from(
            self,
            "assigned_to",
            case_workers(case.organisation_id).filter(
                Q(pk=case.caseworker_id) | Q(role="coordinator")
            ),
        )


class AssessmentForm(forms.Form):
    """A severity for every need (none by default) and a summary."""

    summary = forms.CharField(
        label=_("Summary (kept encrypted)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, **_AUTO}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Need.choices:
            self.fields[f"need_{value}"] = forms.TypedChoiceField(
                label=label,
                choices=Severity.choices,
                coerce=int,
                initial=Severity.NONE,
                widget=forms.RadioSelect,
            )
        # the summary after the needs
        self.order_fields([f"need_{v}" for v in Need.values] + ["summary"])

    def need_fields(self) -> list[Any]:
        return [self[f"need_{v}"] for v in Need.values]

    def needs(self) -> dict[str, int]:
        return {v: self.cleaned_data[f"need_{v}"] for v in Need.values}
