"""Synthetic demo data, loaded by `madad demo` in demo mode only.

Each app that has demo data provides `demo.load(context)`, listed in LOADERS in the order they
depend on each other. Every loader is idempotent: running `madad demo` twice adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module

from madad.accounts.models import Organisation, User

LOADERS = [
    "madad.places.demo",
    "madad.people.demo",
    "madad.incidents.demo",
    "madad.testimonies.demo",
    "madad.evidence.demo",
    "madad.households.demo",
    "madad.cases.demo",
    "madad.assistance.demo",  # before the fund's: it pays the approved assistance
    "madad.referrals.demo",
    "madad.claims.demo",
    "madad.public.demo",
    "madad.fund.demo",
    "madad.assistance.demo_receipts",  # after the fund's: receipts of what it paid
    "madad.linkage.demo",  # last: a run of the matcher over everybody
]


@dataclass
class DemoContext:
    relief: Organisation
    partner: Organisation
    users: dict[str, User]  # by role
    rng: random.Random = field(default_factory=lambda: random.Random(2008))
    # 1.0 is the full demo; tests load a small fraction of it (loaders multiply their counts)
    scale: float = 1.0
    report: list[str] = field(default_factory=list)


def scaled(context: DemoContext, count: int) -> int:
    return max(1, round(count * context.scale))


def load_all(context: DemoContext) -> None:
    for path in LOADERS:
        module = import_module(path)
        module.load(context)
