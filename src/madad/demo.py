"""Synthetic demo data, loaded by `madad demo` in demo mode only: each app's loader, in the
order they depend on each other. Loaders take a `madad.core.demo.DemoContext`."""

from __future__ import annotations

from collections.abc import Callable

from madad.assistance import demo as assistance_demo
from madad.assistance import demo_receipts as assistance_receipts_demo
from madad.cases import demo as cases_demo
from madad.claims import demo as claims_demo
from madad.core.demo import DemoContext
from madad.evidence import demo as evidence_demo
from madad.fund import demo as fund_demo
from madad.households import demo as households_demo
from madad.incidents import demo as incidents_demo
from madad.intake import demo as intake_demo
from madad.linkage import demo as linkage_demo
from madad.people import demo as people_demo
from madad.places import demo as places_demo
from madad.public import demo as public_demo
from madad.referrals import demo as referrals_demo
from madad.sharing import demo as sharing_demo
from madad.testimonies import demo as testimonies_demo

LOADERS: list[Callable[[DemoContext], None]] = [
    places_demo.load,
    people_demo.load,
    incidents_demo.load,
    testimonies_demo.load,
    evidence_demo.load,
    households_demo.load,
    cases_demo.load,
    assistance_demo.load,  # before the fund's: it pays the approved assistance
    referrals_demo.load,
    sharing_demo.load,  # after the testimonies' and referrals': consent to a delegation
    claims_demo.load,
    public_demo.load,
    fund_demo.load,
    assistance_receipts_demo.load,  # after the fund's: receipts of what it paid
    intake_demo.load,  # submissions waiting in the inbox
    linkage_demo.load,  # last: a run of the matcher over everybody
]


def load_all(context: DemoContext) -> None:
    for load in LOADERS:
        load(context)
