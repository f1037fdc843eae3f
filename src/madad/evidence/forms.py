from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from madad.testimonies.forms import RecordChoiceField
from madad.testimonies.models import Testimony


class _TestimonyChoice(RecordChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # the record number and date, never a name
        return str(
            _("Testimony %(id)s of %(date)s")
            % {"id": obj.pk, "date": date_format(obj.date, "SHORT_DATE_FORMAT")}
        )


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "JPEG or PNG images, PDF documents, MP3, M4A or Ogg audio, MP4 video, "
            "plain text. Its name is kept encrypted and never shown in a link."
        ),
    )
    testimony = _TestimonyChoice(
        label=_("Attach to a testimony"),
        queryset=Testimony.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the file shows and where it came from. Kept encrypted."),
    )

    def __init__(
        self, *args: Any, testimonies: QuerySet[Testimony] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if testimonies is not None:
            field = self.fields["testimony"]
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = testimonies
