"""Exchange rates: entered one by one, or loaded from a CSV file all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.fund.currencies import check_currency, exact_rate, fund_currency, rate_text
from madad.fund.models import ExchangeRate
from madad.fund.services._common import clean_date, clean_text, editor_organisation


def _clean_rate(*, currency: Any, date: Any, rate: Any, source: Any) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, check in (("currency", check_currency), ("rate", exact_rate)):
        try:
            cleaned[name] = check({"currency": currency, "rate": rate}[name])
        except ValidationError as exc:
            errors[name] = exc.messages
    if cleaned.get("currency") == fund_currency():
        errors["currency"] = [
            _("Rates are for other currencies than %(currency)s.") % {"currency": fund_currency()}
        ]
    for name, clean in (
        ("date", lambda: clean_date(date, "date")),
        ("source", lambda: clean_text(source, "source", max_length=100, required=True)),
    ):
        try:
            cleaned[name] = clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def rate_record(
    *, recorded_by: User, currency: str, date: dt.date | str, rate: Decimal | str, source: str
) -> ExchangeRate:
    """Stores a rate (fund-currency units for one unit of `currency`) for a day. A rate once
    stored is not changed: a second, different rate for the same day is refused."""
    organisation = editor_organisation(recorded_by)
    cleaned = _clean_rate(currency=currency, date=date, rate=rate, source=source)
    existing = ExchangeRate.objects.filter(
        organisation=organisation, currency=cleaned["currency"], date=cleaned["date"]
    ).first()
    if existing is not None:
        raise ValidationError(
            {
                "rate": [
                    _("A rate for %(currency)s on %(date)s is already recorded (%(rate)s).")
                    % {
                        "currency": existing.currency,
                        "date": existing.date.isoformat(),
                        "rate": rate_text(existing.rate),
                    }
                ]
            }
        )
    try:
        with transaction.atomic():
            stored = ExchangeRate.objects.create(
                organisation=organisation, recorded_by=recorded_by, **cleaned
            )
            audit_record(
                action="fund.rate.recorded",
                actor=recorded_by,
                obj=stored,
                fields=["currency", "date", "rate", "source"],
            )
    except IntegrityError:
        raise ValidationError(
            {"rate": [_("A rate for this currency and day is already recorded.")]}
        ) from None
    return stored


def rate_on(*, organisation: Organisation, currency: str, date: dt.date) -> ExchangeRate:
    """The stored rate of the day, or of the nearest day before within
    MADAD_FUND_RATE_MAX_AGE_DAYS; ValidationError (on "rate") if there is none."""
    oldest = date - dt.timedelta(days=settings.MADAD_FUND_RATE_MAX_AGE_DAYS)
    found = (
        ExchangeRate.objects.filter(
            organisation=organisation, currency=currency, date__lte=date, date__gte=oldest
        )
        .order_by("-date")
        .first()
    )
    if found is None:
        raise ValidationError(
            {
                "rate": [
                    _(
                        "No %(currency)s rate is recorded for %(date)s or the %(days)s days "
                        "before. Enter the rate, or load the rates first."
                    )
                    % {
                        "currency": currency,
                        "date": date.isoformat(),
                        "days": settings.MADAD_FUND_RATE_MAX_AGE_DAYS,
                    }
                ]
            }
        )
    return found


@dataclass
class RatesLoaded:
    added: int = 0
    unchanged: int = 0  # already stored with the same rate
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


class RatesFileRefused(Exception):
    """The file has errors; nothing was stored. `errors` lists them by line."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} lines have errors")
        self.errors = errors


COLUMNS = ("date", "currency", "rate", "source")


def rates_load(
    *, recorded_by: User, file: IO[str] | IO[bytes], default_source: str = "", max_errors: int = 100
) -> RatesLoaded:
    """Loads rates from CSV (columns date, currency, rate and optionally source; a header
    line naming them). Every line is checked first; if any is wrong, RatesFileRefused lists
    the wrong lines and nothing is stored. A line repeating a stored rate is skipped; a line
    contradicting one is an error."""
    organisation = editor_organisation(recorded_by)
    raw = file.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RatesFileRefused([(0, _("The file is not UTF-8 text."))]) from None
    raw = raw.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise RatesFileRefused(
            [
                (
                    1,
                    _(
                        "The first line names the columns; %(missing)s missing "
                        "(expected: date, currency, rate, source)."
                    )
                    % {"missing": ", ".join(missing)},
                )
            ]
        )
    reader.fieldnames = header
    result = RatesLoaded()
    pending: dict[tuple[str, dt.date], tuple[int, dict[str, Any]]] = {}
    stored = {
        (r.currency, r.date): r.rate for r in ExchangeRate.objects.filter(organisation=organisation)
    }
    try:
        for row in reader:
            number = reader.line_num
            if len(result.errors) >= max_errors:
                break
            if None in row:
                result.errors.append((number, _("The line has more values than columns.")))
                continue
            values = {k: (v or "").strip() for k, v in row.items()}
            if not any(values.values()):
                continue
            try:
                cleaned = _clean_rate(
                    currency=values.get("currency", ""),
                    date=values.get("date", ""),
                    rate=values.get("rate", ""),
                    source=values.get("source") or default_source,
                )
            except ValidationError as exc:
                result.errors.append(
                    (
                        number,
                        "; ".join(
                            f"{name}: {' '.join(messages)}"
                            for name, messages in exc.message_dict.items()
                        ),
                    )
                )
                continue
            key = (cleaned["currency"], cleaned["date"])
            known = stored.get(key)
            earlier = pending.get(key)
            if known is not None or earlier is not None:
                same = known if known is not None else earlier[1]["rate"]  # type: ignore[index]
                if same == cleaned["rate"]:
                    result.unchanged += 1
                else:
                    result.errors.append(
                        (
                            number,
                            _(
                                "A different rate for %(currency)s on %(date)s is already "
                                "%(where)s (%(rate)s)."
                            )
                            % {
                                "currency": key[0],
                                "date": key[1].isoformat(),
                                "where": _("recorded")
                                if known is not None
                                else _("on line %(line)s") % {"line": earlier[0]},  # type: ignore[index]
                                "rate": rate_text(same),
                            },
                        )
                    )
                continue
            pending[key] = (number, cleaned)
    except csv.Error as exc:
        result.errors.append(
            (reader.line_num, _("The file is not valid CSV: %(error)s") % {"error": exc})
        )
    if result.errors:
        raise RatesFileRefused(result.errors)
    with transaction.atomic():
        ExchangeRate.objects.bulk_create(
            ExchangeRate(organisation=organisation, recorded_by=recorded_by, **cleaned)
            for _number, cleaned in pending.values()
        )
        result.added = len(pending)
        audit_record(
            action="fund.rates.loaded",
            actor=recorded_by,
            object_type="fund.exchangerate",
            object_id=str(result.added),
            fields=["currency", "date", "rate", "source"],
        )
    return result
