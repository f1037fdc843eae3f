"""`madad import persons FILE.csv` and `madad dedup persons --out pairs.csv`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.linkage.models import PersonRecordId
from madad.people.models import Person
from madad.places.models import Place

pytestmark = pytest.mark.django_db

HEADER = (
    "record_id,given_name,family_name,full_name_ur,father_name,sex,date_of_birth,age,"
    "cnic,phone,address,town,district\n"
)


def _file(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "persons.csv"
    path.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def _import(path: Path, *extra: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "persons", str(path), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def karachi(db: None) -> None:
    """The shipped gazetteer is loaded by a data migration; make sure Lyari is there."""
    assert Place.objects.filter(code="khi.south.lyari").exists()


def test_import_creates_persons_that_remember_their_record_id_and_place(
    tmp_path: Path,
    relief_org: Organisation,
    karachi: None,
) -> None:
    path = _file(
        tmp_path,
        "fir-1,Mohd. Ali,Khan,,Muhammad Aslam,male,,40,42101-1234567-1,0300-1234567,,"
        "Lyari Town,Karachi South",
        "fam-9,,,محمد علی خان,محمد اسلم,,1985-05-01,,,,,لیاری ٹاؤن,کراچی جنوبی",
        "news-3,Zainab,,,,female,,,,,Block 4,Nowhere Town,",
    )
    out, _err = _import(path)
    assert "Imported 3 persons" in out
    ali = PersonRecordId.objects.get(record_id="fir-1")
    assert ali.person.cnic == "4210112345671" and ali.person.organisation == relief_org
    assert ali.place.code == "khi.south.lyari"
    assert PersonRecordId.objects.get(record_id="fam-9").place.code == "khi.south.lyari"
    unknown = PersonRecordId.objects.get(record_id="news-3")
    assert unknown.place is None and unknown.person.address == "Block 4, Nowhere Town"
    assert AuditEvent.objects.filter(action="person.imported").exists()


def test_bad_rows_are_reported_by_line_and_nothing_is_written(
    tmp_path: Path,
    relief_org: Organisation,
) -> None:
    path = _file(
        tmp_path,
        "ok-1,Imran,Baig,,,male,,,,,,,",
        ",Nobody,,,,,,,,,,,",
        "bad-3,Saima,,,,female,,,4210-12,,,,",
        "bad-4,Kashif,,,,robot,,,,,,,",
        "ok-1,Again,,,,,,,,,,,",
        "bad-6,Asma,,,,female,2999-01-01,,,,,,",
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        _import(path)
    assert not Person.objects.exists() and not PersonRecordId.objects.exists()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "persons", str(path), stdout=io.StringIO(), stderr=err)
    report = err.getvalue()
    for expected in (
        "line 3: record_id: required",
        "line 4: cnic:",
        "line 5: sex:",
        "line 6: record_id: repeats line 2",
        "line 7: date_of_birth:",
    ):
        assert expected in report
    assert "4210-12" not in report and "Saima" not in report  # reasons, never values


def test_a_record_id_imported_before_is_refused(tmp_path: Path, relief_org: Organisation) -> None:
    _import(_file(tmp_path, "r-1,Imran,Baig,,,,,,,,,,"))
    with pytest.raises(CommandError):
        _import(_file(tmp_path, "r-1,Imran,Baig,,,,,,,,,,"))
    assert Person.objects.count() == 1


def test_a_file_without_record_id_or_that_is_not_there_is_refused(
    tmp_path: Path,
    relief_org: Organisation,
) -> None:
    with pytest.raises(CommandError):
        _import(_file(tmp_path, "Imran,Baig", header="given_name,family_name\n"))
    with pytest.raises(CommandError, match="Cannot read"):
        _import(tmp_path / "missing.csv")
    assert not Person.objects.exists()


def test_with_several_relief_organisations_the_command_asks_which(
    tmp_path: Path,
    relief_org: Organisation,
    other_relief_org: Organisation,
) -> None:
    path = _file(tmp_path, "r-1,Imran,Baig,,,,,,,,,,")
    with pytest.raises(CommandError, match="--organisation"):
        _import(path)
    _import(path, "--organisation", other_relief_org.name)
    assert Person.objects.get().organisation == other_relief_org


def test_dedup_writes_the_candidate_pairs_by_record_id(
    tmp_path: Path,
    relief_org: Organisation,
    karachi: None,
) -> None:
    _import(
        _file(
            tmp_path,
            "fir-1,Mohd. Ali,Khan,,Muhammad Aslam Khan,male,1985-05-01,,42101-1234567-1,,,Lyari,",
            "fam-9,,,محمد علی خان,محمد اسلم خان,male,1985-05-01,,4210112345571,,,,",
            "news-3,Zainab,Latif,,,female,,30,,,,,",
        )
    )
    out_path = tmp_path / "pairs.csv"
    out = io.StringIO()
    call_command("dedup", "persons", "--out", str(out_path), stdout=out)
    with out_path.open(encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["record_id_1", "record_id_2", "score"]
    assert [sorted(r[:2]) for r in rows[1:]] == [["fam-9", "fir-1"]]
    assert 0.5 <= float(rows[1][2]) <= 1
    assert "1 candidate pairs written" in out.getvalue()


def test_dedup_refuses_a_threshold_that_is_no_probability(
    tmp_path: Path,
    relief_org: Organisation,
    documenter: User,
) -> None:
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command(
            "dedup",
            "persons",
            "--out",
            str(tmp_path / "x.csv"),
            "--threshold",
            "7",
            stdout=io.StringIO(),
        )
    assert not (tmp_path / "x.csv").exists()


def test_dedup_writes_a_record_id_typed_as_a_formula_as_text(
    tmp_path: Path, relief_org: Organisation, karachi: None
) -> None:
    _import(
        _file(
            tmp_path,
            '"=HYPERLINK(""http://example.org"",""x"")",Mohd. Ali,Khan,,Muhammad Aslam Khan,'
            "male,1985-05-01,,42101-1234567-1,,,Lyari,",
            "fam-9,,,محمد علی خان,محمد اسلم خان,male,1985-05-01,,4210112345571,,,,",
        )
    )
    out_path = tmp_path / "pairs.csv"
    call_command("dedup", "persons", "--out", str(out_path), stdout=io.StringIO())
    with out_path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert sorted(rows[1][:2]) == ['\'=HYPERLINK("http://example.org","x")', "fam-9"]
