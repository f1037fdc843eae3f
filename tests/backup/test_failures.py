"""Every way a backup or a restore can go wrong gives a clear error and changes nothing: a wrong
key, a cut-off or altered file, a backup of a newer Madad, other keys, a full disk, a backup
killed half-way, a crafted archive."""

from __future__ import annotations

import errno
import fcntl
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import pyrage
import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from pyrage import x25519

from madad.backup import archive, database, keys, manifest, services
from madad.backup.models import BackupRun
from madad.core.refusals import Invalid
from tests.backup.conftest import ROOT, Instance, environment_for, files_of, madad


def _drill_refusal(backup: Path, identity: Path) -> str:
    run = services.drill(backup, identity=identity)
    assert run.ok is False and run.pk is not None
    return run.detail


def _newest() -> Path:
    return services.backups()[0]


def test_a_wrong_key_is_refused(instance: Instance, tmp_path: Path) -> None:
    services.create()
    stranger = tmp_path / "stranger.txt"
    keys.generate(stranger)
    detail = _drill_refusal(_newest(), stranger)
    assert "it was not made for this key" in detail


def test_a_cut_off_backup_is_refused(instance: Instance, identity: Path, tmp_path: Path) -> None:
    services.create()
    whole = _newest().read_bytes()
    for keep in (len(whole) // 2, len(whole) - 1):
        cut = tmp_path / f"cut-{keep}.tar.age"
        cut.write_bytes(whole[:keep])
        assert "cut short" in _drill_refusal(cut, identity)


def test_one_altered_byte_is_refused(instance: Instance, identity: Path, tmp_path: Path) -> None:
    services.create()
    data = bytearray(_newest().read_bytes())
    data[len(data) // 3] ^= 0x01
    altered = tmp_path / "altered.tar.age"
    altered.write_bytes(bytes(data))
    assert "damaged" in _drill_refusal(altered, identity)


def test_a_backup_of_a_newer_madad_is_refused(
    instance: Instance, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied = database.applied_migrations
    monkeypatch.setattr(
        database,
        "applied_migrations",
        lambda connection: [*applied(connection), "core.9999_from_the_future"],
    )
    services.create()
    monkeypatch.undo()
    detail = _drill_refusal(_newest(), identity)
    assert "newer than the running Madad" in detail
    assert "core.9999_from_the_future" in detail


def test_other_field_keys_are_named_not_half_restored(
    instance: Instance, identity: Path, settings: Any
) -> None:
    services.create()
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    detail = _drill_refusal(_newest(), identity)
    assert "cannot read this backup's encrypted fields" in detail
    assert manifest.key_fingerprints()[0] in detail


def test_another_blind_index_key_is_refused(
    instance: Instance, identity: Path, settings: Any
) -> None:
    services.create()
    settings.BLIND_INDEX_KEY = "another-blind-index-key-of-32-bytes-or-more"
    assert "MADAD_BLIND_INDEX_KEY" in _drill_refusal(_newest(), identity)


def test_a_full_disk_leaves_the_earlier_backups_untouched(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.create()
    earlier = {p.name: p.read_bytes() for p in services.backups()}

    def fill_the_disk(source: IO[bytes], target: IO[bytes], recipients: Any) -> None:
        target.write(source.read(4096))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyrage, "encrypt_io", fill_the_disk)
    with pytest.raises(Invalid, match=r"No space left on device\. Earlier backups are untouched"):
        services.create()
    assert {p.name: p.read_bytes() for p in services.backups()} == earlier
    assert list(settings.BACKUP_DIR.glob(".*.partial")) == []  # no partial file left
    failed = BackupRun.objects.get(kind=BackupRun.Kind.BACKUP, ok=False)
    assert "No space left on device" in failed.detail


def test_a_backup_killed_half_way_leaves_no_file_that_looks_complete(
    instance: Instance, identity: Path, tmp_path: Path
) -> None:
    services.create()
    var = tmp_path / "server"
    done = madad(var, "backup", "restore", str(_newest()), "--identity", str(identity))
    assert done.returncode == 0, done.stderr[-2000:]
    first = madad(var, "backup", "create")
    assert first.returncode == 0, first.stderr[-2000:]
    kept = {p.name: p.read_bytes() for p in (var / "backups").glob("*.tar.age")}
    # enough evidence that encrypting it takes a while
    big = var / "files" / "evidence" / "video.bin"
    with big.open("wb") as out:
        for _ in range(300):
            out.write(b"\x00" * (1 << 20))

    process = madad_process(var, "backup", "create")
    deadline = time.monotonic() + 300
    while not any(p.stat().st_size > (1 << 20) for p in (var / "backups").glob(".*.partial")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the backup never started writing"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    complete = {p.name: p.read_bytes() for p in (var / "backups").glob("*.tar.age")}
    assert complete == kept  # the earlier backup as it was, and nothing new that looks whole
    again = madad(var, "backup", "create")
    assert again.returncode == 0, again.stderr[-2000:]
    assert list((var / "backups").glob(".*.partial")) == []  # the killed one's leftovers


def madad_process(var: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "madad.manage", *args],
        cwd=ROOT,
        env=environment_for(var),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _crafted(path: Path, identity: Path, members: list[tuple[str, bytes]]) -> Path:
    recipient = keys.load_identity(identity).to_public()

    def fill(out: archive.Writer) -> None:
        for name, data in members:
            out.add_bytes(name, data)

    archive.write(path, [recipient], fill)
    return path


def _header() -> bytes:
    return manifest.Header(
        format=manifest.FORMAT,
        madad_version=manifest.madad_version(),
        created_at="2026-12-02T00:00:00+00:00",
        engine="sqlite",
        migrations=[],
        field_keys=manifest.key_fingerprints(),
        blind_index_key=manifest.blind_index_fingerprint(),
    ).dumps()


def test_a_crafted_archive_cannot_write_outside_its_folder(
    db: None, backup_settings: Path, identity: Path, tmp_path: Path
) -> None:
    escape = tmp_path / "escaped"
    crafted = _crafted(
        tmp_path / "crafted.tar.age",
        identity,
        [("madad-backup.json", _header()), ("files/../../escaped", b"x")],
    )
    assert "unexpected member" in _drill_refusal(crafted, identity)
    assert not escape.exists()


def test_a_database_that_does_not_match_its_manifest_is_refused(
    instance: Instance, identity: Path, tmp_path: Path
) -> None:
    services.create()
    members: list[tuple[str, bytes]] = []

    def take(member: Any, stream: IO[bytes]) -> None:
        members.append((member.name, stream.read()))

    archive.extract(_newest(), [keys.load_identity(identity)], take)
    swapped = [
        (name, data + b"\x00" if name == "database.sqlite3" else data) for name, data in members
    ]
    crafted = _crafted(tmp_path / "swapped.tar.age", identity, swapped)
    assert "does not match its manifest" in _drill_refusal(crafted, identity)


def test_a_failed_restore_leaves_the_target_as_it_was(
    instance: Instance, identity: Path, tmp_path: Path
) -> None:
    services.create()
    cut = tmp_path / "cut.tar.age"
    cut.write_bytes(_newest().read_bytes()[:-100])
    target = tmp_path / "target"
    (target / "files").mkdir(parents=True)
    done = madad(target, "backup", "restore", str(cut), "--identity", str(identity))
    assert done.returncode == 1
    assert "cut short" in done.stderr
    assert files_of(target / "files") == {}
    with sqlite3.connect(target / "madad.sqlite3") as left:  # opened, and still empty
        assert left.execute("SELECT name FROM sqlite_master").fetchall() == []
    assert [p.name for p in (target / "tmp").iterdir()] == []  # staging removed


def test_keygen_never_overwrites_and_keeps_the_secret_private(tmp_path: Path) -> None:
    path = tmp_path / "office.txt"
    recipient = keys.generate(path)
    assert recipient.startswith("age1")
    assert path.stat().st_mode & 0o077 == 0
    assert str(keys.load_identity(path).to_public()) == recipient
    with pytest.raises(Invalid, match="never overwritten"):
        keys.generate(path)
    assert str(keys.load_identity(path).to_public()) == recipient


def test_production_refuses_to_back_up_without_recipients(settings: Any) -> None:
    settings.PRODUCTION = True
    settings.BACKUP_RECIPIENTS = []
    with pytest.raises(Invalid, match="MADAD_BACKUP_RECIPIENTS is not set"):
        keys.recipients()
    settings.BACKUP_RECIPIENTS = ["age1notakey"]
    with pytest.raises(Invalid, match="not an age public key"):
        keys.recipients()
    settings.BACKUP_RECIPIENTS = [str(x25519.Identity.generate().to_public())]
    assert len(keys.recipients()) == 1


def test_a_damaged_identity_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "identity.txt"
    path.write_text("# nothing here\n")
    with pytest.raises(Invalid, match="not an age identity file"):
        keys.load_identity(path)
    path.write_text("AGE-SECRET-KEY-1NOTAKEY\n")
    with pytest.raises(Invalid, match="damaged age secret key"):
        keys.load_identity(path)


def test_the_deploy_check_names_missing_recipients(settings: Any) -> None:
    from madad.backup.deploy_checks import backup_recipients_are_set

    settings.PRODUCTION = True
    settings.BACKUP_RECIPIENTS = []
    (error,) = backup_recipients_are_set()
    assert error.id == "madad.E010" and "MADAD_BACKUP_RECIPIENTS" in error.msg
    settings.BACKUP_RECIPIENTS = [str(x25519.Identity.generate().to_public())]
    assert backup_recipients_are_set() == []


def test_an_unexpected_error_is_recorded_by_its_kind_only(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(to: Path, **kwargs: Any) -> None:
        raise sqlite3.OperationalError(f"near {instance.person.cnic}: syntax error")

    monkeypatch.setattr(database, "snapshot", broken)
    with pytest.raises(sqlite3.OperationalError):
        services.create()
    failed = BackupRun.objects.get(ok=False)
    assert failed.detail == "OperationalError; the server's log has the rest."
    assert services.backups() == []
    assert list(settings.BACKUP_DIR.glob(".*.partial")) == []


def test_a_second_backup_while_one_runs_is_refused_and_touches_nothing(
    instance: Instance,
) -> None:
    services.create()
    earlier = {p.name: p.read_bytes() for p in services.backups()}
    in_progress = settings.BACKUP_DIR / ".madad-backup-running.tar.age.partial"
    in_progress.write_bytes(b"being written")
    with (settings.BACKUP_DIR / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a running backup holds it
        with pytest.raises(Invalid, match="Another backup is being taken now"):
            services.create()
    assert in_progress.read_bytes() == b"being written"  # the running one's file is left alone
    assert {p.name: p.read_bytes() for p in services.backups()} == earlier
