from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "madad.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from madad.core import vocabularies

        vocabularies.qualify()
