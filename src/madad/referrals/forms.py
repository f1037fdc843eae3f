from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from madad.accounts.models import Organisation
from madad.households.models import Member
from madad.people.models import Person
from madad.referrals.services import NOTE_MAX, SERVICE_MAX, SUMMARY_MAX
from madad.testimonies.forms import RecordChoiceField


class _PersonChoice(RecordChoiceField):
    def __init__(self, *args: Any, relations: dict[int, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.relations = relations or {}

    def label_from_instance(self, obj: Any) -> str:
        # the record number and the relation, never a name: a choice list is no place to
        # decrypt identities
        relation = self.relations.get(obj.pk)
        if relation:
            return str(_("Person %(id)s (%(relation)s)") % {"id": obj.pk, "relation": relation})
        return str(_("Person %(id)s") % {"id": obj.pk})


class ReferralSendForm(forms.Form):
    person = _PersonChoice(label=_("Who is referred"), queryset=Person.objects.none())
    partner = RecordChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.none()
    )
    service = forms.CharField(
        label=_("Service asked for"),
        max_length=SERVICE_MAX,
        help_text=_(
            "For example “legal representation at the "
            "anti-terrorism court” or “trauma counselling”."
        ),
    )
    shared_summary = forms.CharField(
        label=_("What the partner is told"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only what the partner needs. The partner sees this, the service, the "
            "person's given name and nothing else of the case."
        ),
    )
    share_phone = forms.BooleanField(
        label=_("Share the person's phone number with the partner"), required=False
    )

    def __init__(
        self,
        *args: Any,
        persons: QuerySet[Person] | None = None,
        partners: QuerySet[Organisation] | None = None,
        household_id: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if persons is not None:
            field = cast(_PersonChoice, self.fields["person"])
            field.queryset = persons.order_by("pk")
            labels = dict(Member.Relation.choices)
            field.relations = {
                member.person_id: str(labels.get(member.relation, ""))
                for member in Member.objects.filter(household_id=household_id)
            }
        if partners is not None:
            cast(RecordChoiceField, self.fields["partner"]).queryset = partners


class ReferralRespondForm(forms.Form):
    # Radio buttons with none chosen: the partner picks the answer every time. A select showed
    # its first choice, "Decline" once a referral was accepted, and a second submission of the
    # form declined it (issue #17).
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your answer.")},
    )
    note = forms.CharField(
        label=_("Note to the referring organisation"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    LABELS = {
        "accept": _("Accept the referral"),
        "decline": _("Decline the referral"),
        "complete": _("The service was provided: complete"),
    }

    def __init__(
        self,
        *args: Any,
        decisions: list[str] | None = None,
        accepted: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["decision"]).choices = [
            (d, self.LABELS[d]) for d in (decisions or list(self.LABELS))
        ]
        if accepted:
            self.fields["note"].help_text = _(
                "You accepted this referral: to decline it, say why here. The referring "
                "organisation reads it."
            )
