"""What keeps the public report form for people, without any service of another party:

- a proof of work: the form's page carries a signed, random challenge, and the reporter's
  browser (public/report.js) finds a counter such that SHA-256(challenge + ":" + counter)
  starts with MADAD_PUBLIC_REPORT_WORK_BITS zero bits. The server checks the signature, the age
  (at most two hours), the zero bits, and that the challenge is used once (a cache key);
- a honeypot: a text field people never see, which programs filling every field fill;
- limits per hour, for each address and for all addresses together.

No address is kept: the limit per address counts under a keyed hash of the address and the
hour (the cache may be the database, and its keys outlive their hour until they are culled).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from madad.core import request_context

WORK_SALT = "madad.public.report.work"
WORK_MAX_AGE = 2 * 60 * 60  # seconds a challenge stays good
CHALLENGE_MAX = 200  # characters; a signed challenge is about 90
COUNTER_MAX = 20  # digits
HOUR = 60 * 60
# a report, its fields and the challenge are a few kilobytes even in Urdu; more is not a report
BODY_MAX = 64 * 1024
# the honeypot's name: one that programs fill and browsers do not fill for their users
HONEYPOT = "website"


@dataclass(frozen=True)
class Refusal:
    """Why a post was refused before its answers were read; `message` says what to do now."""

    code: str
    text: str | Promise

    @property
    def message(self) -> str:
        return str(self.text)


NO_WORK = Refusal(
    "no_work",
    _(
        "This form is prepared by your browser before it is sent, which needs JavaScript. "
        "Turn JavaScript on, then send the form again."
    ),
)
BAD_WORK = Refusal(
    "bad_work",
    _("The form could not be checked. It has been prepared again: please send it once more."),
)
EXPIRED = Refusal(
    "expired",
    _(
        "The form was open for more than two hours. It has been prepared again: please send it "
        "once more."
    ),
)
USED = Refusal(
    "used",
    _(
        "This form was already sent once. If you were shown a receipt code, your report "
        "arrived. To send it again anyway, send the form once more."
    ),
)
TRAP = Refusal("trap", _("The report could not be sent. Please try again."))


def work_bits() -> int:
    return int(settings.MADAD_PUBLIC_REPORT_WORK_BITS)


def new_challenge() -> str:
    """A random nonce, signed with the time it was made."""
    return signing.dumps(secrets.token_hex(16), salt=WORK_SALT)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte:
            return bits + 8 - byte.bit_length()
        bits += 8
    return bits


def work_digest(challenge: str, counter: str) -> bytes:
    return hashlib.sha256(f"{challenge}:{counter}".encode()).digest()


def check_work(challenge: str, counter: str) -> Refusal | None:
    """None if the work is done for a good challenge not used before (it is then used up)."""
    if not counter:
        return NO_WORK
    if (
        not challenge
        or len(challenge) > CHALLENGE_MAX
        or not challenge.isascii()
        or len(counter) > COUNTER_MAX
        or not (counter.isascii() and counter.isdigit())
    ):
        return BAD_WORK
    try:
        signing.loads(challenge, salt=WORK_SALT, max_age=WORK_MAX_AGE)
    except signing.SignatureExpired:
        return EXPIRED
    except signing.BadSignature:
        return BAD_WORK
    if leading_zero_bits(work_digest(challenge, counter)) < work_bits():
        return BAD_WORK
    # used once: the key lives as long as the challenge could be good
    used_key = f"public:report:work:{hashlib.sha256(challenge.encode()).hexdigest()}"
    if not cache.add(used_key, 1, WORK_MAX_AGE + 60):
        return USED
    return None


def check_post(request: HttpRequest) -> Refusal | None:
    """The honeypot, then the work. A filled honeypot gets a generic error (a person whose
    browser filled it can still send again) and nothing is stored."""
    if request.POST.get(HONEYPOT, ""):
        return TRAP
    return check_work(request.POST.get("challenge", ""), request.POST.get("work", "").strip())


def body_too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > BODY_MAX


# --- limits per hour ----------------------------------------------------------------------------
def _hour() -> int:
    return int(time.time() // HOUR)


def _keys(request: HttpRequest) -> list[tuple[str, int]]:
    hour = _hour()
    address = request_context.rate_key_address(request)
    hashed = salted_hmac("madad.public.report.address", f"{hour}:{address}").hexdigest()[:32]
    return [
        (f"public:report:address:{hashed}:{hour}", int(settings.MADAD_PUBLIC_REPORTS_PER_ADDRESS)),
        (f"public:report:total:{hour}", int(settings.MADAD_PUBLIC_REPORTS_PER_HOUR)),
    ]


def _count(key: str, delta: int) -> int:
    if delta > 0 and cache.add(key, delta, HOUR + 60):
        return delta
    try:
        return int(cache.incr(key, delta))
    except ValueError:  # expired meanwhile
        if delta > 0:
            cache.set(key, delta, HOUR + 60)
        return max(delta, 0)


def take_slot(request: HttpRequest) -> bool:
    """Counts a post against this hour's limits for its address and for everybody, before it
    is acted on (so that posts sent at once cannot all pass a check made before any counted);
    False, and nothing counted, when either limit is reached (a limit of 0 is no limit)."""
    taken = []
    for key, limit in _keys(request):
        used = _count(key, 1)
        taken.append(key)
        if limit > 0 and used > limit:
            for done in taken:
                _count(done, -1)
            return False
    return True


def give_back(request: HttpRequest) -> None:
    """Uncounts a post that was refused for its answers: correcting a mistake costs nothing.
    (A stored report, and a wrong receipt code, stay counted.)"""
    for key, _limit in _keys(request):
        _count(key, -1)


def seconds_to_next_hour() -> int:
    return HOUR - int(time.time()) % HOUR
