"""What every app's demo loader is given: the demo organisations, their users and a seeded
random source. `madad.demo` runs the loaders in order (`madad demo`, in demo mode only).

Every loader is idempotent: running `madad demo` twice adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from madad.accounts.models import Organisation, User


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
