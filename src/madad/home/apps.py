from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The staff home page, the navigation by role, the health check, the error pages and the
    `madad demo` command that loads every app's demo data."""

    name = "madad.home"
    verbose_name = _("Home")
