from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "madad.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from madad.accounts import receivers  # noqa: F401  (connects the sign-in audit)
        from madad.core import checks  # noqa: F401  (registers the deployment checks of the keys)
