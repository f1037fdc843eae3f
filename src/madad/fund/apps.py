from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "madad.fund"
    verbose_name = _("Relief fund")

    def ready(self) -> None:
        from madad.fund.currencies import MINOR_UNITS, fund_currency

        if fund_currency() not in MINOR_UNITS:
            raise ImproperlyConfigured(
                f"MADAD_FUND_CURRENCY must be one of {', '.join(sorted(MINOR_UNITS))}; "
                f"got {fund_currency()!r}."
            )
