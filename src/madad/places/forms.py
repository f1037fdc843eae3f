from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madad.places.models import Place


class PlaceFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, in English or Urdu"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any")), *Place.Level.choices]
    )


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_ur = forms.CharField(
        label=_("Name in Urdu"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"lang": "ur", "dir": "rtl"}),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), min_value=-90, max_value=90, decimal_places=5, max_digits=8
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), min_value=-180, max_value=180, decimal_places=5, max_digits=8
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
