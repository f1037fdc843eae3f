"""Exchange rates: entered one by one, or loaded from a CSV file all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.core.refusals import Invalid, invalid
from madad.fund.currencies import check_currency, exact_rate, fund_currency, rate_text
from madad.fund.models import ExchangeRate
from madad.fund.services._common import clean_date, clean_text, editor_organisation, field_error


def _clean_rate(*, currency: Any, date: Any, rate: Any, source: Any) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, check in (("currency", check_currency), ("rate", exact_rate)):
        try:
            cleaned[name] = check({"currency": currency, "rate": rate}[name])
        except Invalid as exc:
            errors.update(field_error(name, exc).fields)
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
        except Invalid as exc:
            errors.update(exc.fields)
    if errors:
        raise Invalid(fields=errors)
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
        raise invalid(
            "rate",
            _("A rate for %(currency)s on %(date)s is already recorded (%(rate)s).")
            % {
                "currency": existing.currency,
                "date": existing.date.isoformat(),
                "rate": rate_text(existing.rate),
            },
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
        raise invalid("rate", _("A rate for this currency and day is already recorded.")) from None
    return stored


def rate_on(*, organisation: Organisation, currency: str, date: dt.date) -> ExchangeRate:
    """The stored rate of the day, or of the nearest day before within
    MADAD_FUND_RATE_MAX_AGE_DAYS; Invalid (on "rate") if there is none."""
    oldest = date - dt.timedelta(days=settings.MADAD_FUND_RATE_MAX_AGE_DAYS)
    found = (
        ExchangeRate.objects.filter(
            organisation=organisation, currency=currency, date__lte=date, date__gte=oldest
        )
        .order_by("-date")
        .first()
    )
    if found is None:
        raise invalid(
            "rate",
            _(
                "No %(currency)s rate is recorded for %(date)s or the %(days)s days "
                "before. Enter the rate, or load the rates first."
            )
            % {
                "currency": currency,
                "date": date.isoformat(),
                "days": settings.MADAD_FUND_RATE_MAX_AGE_DAYS,
            },
        )
    return found


@dataclass
class RatesLoaded:
    added: int = 0
    unchanged: int = 0  # already stored with the same rate
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


COLUMNS = ("date", "currency", "rate", "source")


def _refused_lines(errors: list[tuple[int, str]]) -> Invalid:
    """The file's errors by line, on the field "file"; nothing was stored."""
    return Invalid(
        fields={
            "file": [
                _("Line %(line)s: %(error)s") % {"line": line, "error": message}
                for line, message in errors
            ]
        }
    )


def _reader(file: IO[str] | IO[bytes]) -> csv.DictReader[str]:
    """The CSV file's lines by column, the header checked (Invalid otherwise)."""
    raw = file.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _refused_lines([(0, _("The file is not UTF-8 text."))]) from None
    reader = csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"), newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise _refused_lines(
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
    return reader


def _line_rate(values: dict[str, str], default_source: str) -> dict[str, Any] | str:
    """A line's rate, cleaned, or what is wrong with it."""
    try:
        return _clean_rate(
            currency=values.get("currency", ""),
            date=values.get("date", ""),
            rate=values.get("rate", ""),
            source=values.get("source") or default_source,
        )
    except Invalid as exc:
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.fields.items())


def _contradiction(
    key: tuple[str, dt.date], rate: Decimal, known: Decimal | None, earlier: tuple[int, Any] | None
) -> str | None:
    """None if the line repeats the rate stored (or on an earlier line) for its day, else
    what it contradicts."""
    same = known if known is not None else earlier[1]["rate"] if earlier is not None else rate
    if same == rate:
        return None
    return _("A different rate for %(currency)s on %(date)s is already %(where)s (%(rate)s).") % {
        "currency": key[0],
        "date": key[1].isoformat(),
        "where": _("recorded")
        if known is not None or earlier is None
        else _("on line %(line)s") % {"line": earlier[0]},
        "rate": rate_text(same),
    }


def rates_load(
    *, recorded_by: User, file: IO[str] | IO[bytes], default_source: str = "", max_errors: int = 100
) -> RatesLoaded:
    """Loads rates from CSV (columns date, currency, rate and optionally source; a header
    line naming them). Every line is checked first; if any is wrong, Invalid lists the wrong
    lines (on "file", "Line N: ...") and nothing is stored. A line repeating a stored rate is
    skipped; a line contradicting one is an error."""
    organisation = editor_organisation(recorded_by)
    reader = _reader(file)
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
            cleaned = _line_rate(values, default_source)
            if isinstance(cleaned, str):
                result.errors.append((number, cleaned))
                continue
            key = (cleaned["currency"], cleaned["date"])
            if key in stored or key in pending:
                wrong = _contradiction(key, cleaned["rate"], stored.get(key), pending.get(key))
                if wrong is None:
                    result.unchanged += 1
                else:
                    result.errors.append((number, wrong))
                continue
            pending[key] = (number, cleaned)
    except csv.Error as exc:
        result.errors.append(
            (reader.line_num, _("The file is not valid CSV: %(error)s") % {"error": exc})
        )
    if result.errors:
        raise _refused_lines(result.errors)
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
