"""Strings that Django or a library shows on Madad's pages but ships no Urdu for.

Listing them here puts them in Madad's own catalogue (`make messages`), where they are
translated like any other; nothing imports this module.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

EXTRA = [
    # django.template.defaultfilters.truncatechars
    pgettext_lazy("String to return when truncating text", "%(truncated_text)s…"),
    # django.contrib.auth.forms.SetUnusablePasswordMixin, rendered by Django's user forms
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On or "
        "LDAP."
    ),
]
