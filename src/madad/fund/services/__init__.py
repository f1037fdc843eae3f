"""Every write to the relief fund, one function per use case (see each module).

All of them: run in one transaction with their audit events (action codes ``fund.*``, field
names only); raise Invalid by field on bad input and Conflict (with a stable code, e.g.
"insufficient_funds", and a sentence for the user) when the books do not allow the action;
write nothing then. Only finance officers of a relief organisation may call them (NotAllowed).
"""

from madad.fund.services.conversions import conversion_record
from madad.fund.services.disbursements import disbursement_make
from madad.fund.services.donations import donation_record, donor_naming_set, donor_record
from madad.fund.services.entries import entry_reverse
from madad.fund.services.rates import (
    RatesLoaded,
    rate_on,
    rate_record,
    rates_load,
)
from madad.fund.services.setup import account_open, earmark_create, earmark_general

__all__ = [
    "RatesLoaded",
    "account_open",
    "conversion_record",
    "disbursement_make",
    "donation_record",
    "donor_naming_set",
    "donor_record",
    "earmark_create",
    "earmark_general",
    "entry_reverse",
    "rate_on",
    "rate_record",
    "rates_load",
]
