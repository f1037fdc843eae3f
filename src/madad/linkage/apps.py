from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "madad.linkage"
    label = "linkage"
    verbose_name = _("Record linkage")

    def ready(self) -> None:
        from madad.linkage import keys
        from madad.people.signals import person_saved

        person_saved.connect(keys.person_saved, dispatch_uid="linkage.match_keys")
