"""Exchange rates: recorded one by one, or loaded from CSV all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid, Refused
from madad.fund import services
from madad.fund.models import ExchangeRate

pytestmark = pytest.mark.django_db

GOOD = "date,currency,rate,source\n2025-01-02,USD,278.45,SBP\n2025-01-02,GBP,351.2,SBP\n"


def _load(finance: User, text: str) -> services.RatesLoaded:
    return services.rates_load(
        recorded_by=finance, file=io.BytesIO(text.encode()), default_source="rates.csv"
    )


def test_a_file_of_rates_is_loaded(finance: User) -> None:
    loaded = _load(finance, GOOD)
    assert (loaded.added, loaded.unchanged) == (2, 0)
    assert ExchangeRate.objects.get(currency="GBP").rate == Decimal("351.2")
    assert AuditEvent.objects.filter(action="fund.rates.loaded").count() == 1


def test_loading_the_same_file_again_adds_nothing(finance: User) -> None:
    _load(finance, GOOD)
    loaded = _load(finance, GOOD)
    assert (loaded.added, loaded.unchanged) == (0, 2)
    assert ExchangeRate.objects.count() == 2


def test_a_file_with_errors_is_refused_line_by_line_and_nothing_is_loaded(finance: User) -> None:
    _load(finance, "date,currency,rate\n2025-01-01,USD,270\n")
    text = (
        "date,currency,rate,source\n"
        "2025-01-02,USD,278.45,SBP\n"  # fine
        "2025-13-02,USD,278.45,SBP\n"  # no such date
        "2025-01-03,XXX,1,SBP\n"  # no such currency
        "2025-01-03,EUR,-1,SBP\n"  # negative
        "2025-01-03,EUR,1.5\n"  # no source on the line: the file name
        "2025-01-01,USD,271,SBP\n"  # contradicts the stored rate
        "2025-01-02,USD,279,SBP\n"
    )  # contradicts line 2
    with pytest.raises(Invalid) as refused:
        _load(finance, text)
    lines = refused.value.fields["file"]
    assert [line.split(":")[0] for line in lines] == [f"Line {n}" for n in (3, 4, 5, 7, 8)]
    assert "already recorded" in lines[3]
    assert "on line 2" in lines[4]
    assert ExchangeRate.objects.count() == 1


def test_a_file_without_the_columns_is_refused(finance: User) -> None:
    with pytest.raises(Invalid) as refused:
        _load(finance, "day;cur;value\n2025-01-02;USD;278\n")
    assert refused.value.fields["file"][0].startswith("Line 1:")


def test_a_rate_for_a_day_that_has_one_is_refused(finance: User) -> None:
    services.rate_record(
        recorded_by=finance, currency="USD", date=dt.date(2025, 1, 2), rate="278.45", source="SBP"
    )
    with pytest.raises(Invalid) as refused:
        services.rate_record(
            recorded_by=finance, currency="usd", date="2025-01-02", rate="280", source="Bank"
        )
    assert "278.45" in refused.value.fields["rate"][0]


def test_only_finance_officers_load_rates(auditor: User) -> None:
    with pytest.raises(Refused):
        _load(auditor, GOOD)
    assert not ExchangeRate.objects.exists()


def test_the_command_loads_a_file_for_the_finance_officers_organisation(
    finance: User, tmp_path: Path
) -> None:
    path = tmp_path / "sbp-january.csv"
    path.write_text("date,currency,rate\n2025-01-02,USD,278.45\n", encoding="utf-8")
    out = io.StringIO()
    call_command("fund", "rates", "load", str(path), "--by", finance.email, stdout=out)
    assert "Loaded 1 rates" in out.getvalue()
    rate = ExchangeRate.objects.get()
    assert (rate.organisation, rate.source) == (finance.organisation, "sbp-january.csv")


def test_the_command_lists_the_wrong_lines_and_loads_nothing(finance: User, tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text("date,currency,rate\n2025-01-02,USD,278.45\n2025-01-02,USD,abc\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 lines have errors; no rate was loaded"):
        call_command("fund", "rates", "load", str(path), "--by", finance.email, stderr=err)
    assert "rates.csv: Line 3: rate:" in err.getvalue()
    assert not ExchangeRate.objects.exists()
