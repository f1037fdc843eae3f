"""Typed text takes its direction from what is typed (an Urdu name typed on an English page,
an English one on an Urdu page), unless a field fixes its own (numbers, e-mail addresses)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from madad.accounts.models import User


class _Form(forms.Form):
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea)
    amount = forms.CharField(widget=forms.TextInput(attrs={"dir": "ltr"}))


def test_text_fields_take_the_direction_of_what_is_typed() -> None:
    html = str(_Form({"name": "زرینہ", "note": "Called twice", "amount": "1,200"}))
    assert '<input type="text" name="name" value="زرینہ" dir="auto"' in html
    assert '<textarea name="note" dir="auto"' in html


def test_a_field_that_fixes_its_direction_keeps_it() -> None:
    html = str(_Form())
    assert 'name="amount" dir="ltr"' in html
    assert html.count('dir="auto"') == 2


@pytest.mark.django_db
def test_every_text_field_of_a_staff_form_has_a_direction(
    documenter: User, signed_in: Callable[[User], Client]
) -> None:
    page = signed_in(documenter).get(reverse("people:create")).content.decode()
    fields = re.findall(r"<(?:input type=\"text\"|textarea)[^>]*>", page)
    assert len(fields) >= 5
    assert [field for field in fields if " dir=" not in field] == []
