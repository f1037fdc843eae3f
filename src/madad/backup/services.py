"""Back up, restore and drill.

- `create()` writes one encrypted file under MADAD_BACKUP_DIR, under a temporary name renamed
  only when complete, then applies the retention rule. An interrupted or failed backup leaves
  the previous ones as they were and nothing that looks complete.
- `restore()` decrypts a backup into a private staging folder next to the database and files,
  checks everything against its manifest, and only then puts the database and the files in
  place (an empty target only, unless forced).
- `drill()` does a restore's every check on the newest backup, in a throwaway place, and
  records the result.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from pyrage import x25519

from madad.accounts.models import User
from madad.backup import archive, database, keys
from madad.backup.manifest import (
    DATABASE,
    FILES,
    FORMAT,
    HEADER,
    MANIFEST,
    Header,
    Manifest,
    blind_index_fingerprint,
    key_fingerprints,
    madad_version,
)
from madad.backup.models import BackupRun
from madad.core import crypto
from madad.core.audit import GENESIS, audit_record, audit_verify
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid

SUFFIX = ".tar.age"
PARTIAL = ".partial"
Say = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def backup_dir() -> Path:
    path = Path(settings.BACKUP_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def backups() -> list[Path]:
    """The complete backups, newest first."""
    return sorted(backup_dir().glob(f"madad-backup-*{SUFFIX}"), reverse=True)


@contextlib.contextmanager
def _private_folder(near: Path) -> Iterator[Path]:
    """A folder only Madad's user can read, on the same disk as `near`, removed afterwards."""
    near.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".madad-backup-", dir=near) as folder:
        yield Path(folder)


def _files_root() -> Path | None:
    """Where uploads live on disk, or None when the storage is not a local folder."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def _stored_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    return sorted(
        (path.relative_to(root).as_posix(), path)
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


# --- create ----------------------------------------------------------------------------------
def create(*, requested_by: User | None = None, say: Say = _quiet) -> BackupRun:
    """Takes a backup; returns its record. Refuses (Invalid) with the reason when it cannot,
    leaving every earlier backup untouched."""
    run = BackupRun(
        kind=BackupRun.Kind.BACKUP, started_at=timezone.now(), requested_by=requested_by
    )
    try:
        with _one_at_a_time():
            final, manifest, removed = _create(say)
    except Invalid as refusal:
        _finish(run, ok=False, detail=refusal.message)
        raise
    except Exception as error:
        # recorded by its kind only: a database error's text may quote stored values
        _finish(run, ok=False, detail=f"{type(error).__name__}; the server's log has the rest.")
        raise
    size = final.stat().st_size
    _finish(
        run,
        ok=True,
        file=final.name,
        size=size,
        detail=(
            f"{sum(manifest.tables.values())} rows in {len(manifest.tables)} tables, "
            f"{_count(len(manifest.files), 'file')}; "
            f"{_count(len(removed), 'old backup')} removed."
        ),
    )
    say(f"Backup complete: {final} ({size:,} bytes). {run.detail}")
    return run


@contextlib.contextmanager
def _one_at_a_time() -> Iterator[None]:
    """One backup at a time on this machine (the schedule and a worker may both start one).
    The operating system releases the lock when its process ends, however it ends."""
    with (backup_dir() / ".lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Invalid("Another backup is being taken now; this one was not started.") from None
        yield


def _create(say: Say) -> tuple[Path, Manifest, list[Path]]:
    """Writes the backup (with the lock held) and applies the retention rule; returns the
    file, its manifest and the old backups removed."""
    recipients = keys.recipients()
    for stale in backup_dir().glob(f".madad-backup-*{PARTIAL}"):
        stale.unlink(missing_ok=True)  # left by a backup that was killed
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = backup_dir() / f"madad-backup-{stamp}{SUFFIX}"
    partial = backup_dir() / f".{final.name}{PARTIAL}"
    try:
        manifest = _write(partial, recipients, say)
    except OSError as error:
        raise Invalid(
            f"The backup could not be written: {error.strerror or error}. "
            "Earlier backups are untouched."
        ) from None
    partial.rename(final)
    return final, manifest, apply_retention()


def _write(partial: Path, recipients: list[x25519.Recipient], say: Say) -> Manifest:
    """Snapshots the database into a private folder and streams the encrypted archive into
    `partial`; removes `partial` on any failure."""
    try:
        with _private_folder(Path(settings.VAR_DIR) / "tmp") as work:
            snapshot = work / DATABASE
            say("Taking a consistent copy of the database...")
            database.snapshot(snapshot, progress=_progress(say))
            header, manifest = _describe(snapshot)
            say(f"Encrypting to {len(recipients)} recipient(s): {partial.name}")
            archive.write(partial, recipients, lambda out: _fill(out, header, manifest, snapshot))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def _progress(say: Say) -> database.Progress:
    def report(table: str, rows: int) -> None:
        if rows % 50_000 == 0:
            say(f"  {table}: {rows:,} rows")

    return report


def _describe(snapshot: Path) -> tuple[Header, Manifest]:
    with database.sqlite_alias(snapshot, "madad_backup_read") as copy:
        counts = database.row_counts(copy)
        migrations = database.applied_migrations(copy)
        with copy.cursor() as cursor:
            table = copy.ops.quote_name(AuditEvent._meta.db_table)
            cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608
            last = cursor.fetchone()
    header = Header(
        format=FORMAT,
        madad_version=madad_version(),
        created_at=timezone.now().isoformat(),
        engine=connections[DEFAULT_DB_ALIAS].vendor,
        migrations=migrations,
        field_keys=key_fingerprints(),
        blind_index_key=blind_index_fingerprint(),
    )
    manifest = Manifest(
        tables=counts,
        audit_events=counts.get(AuditEvent._meta.db_table, 0),
        audit_head=last[0] if last else GENESIS,
        database={},
        files_included=_files_root() is not None,
    )
    return header, manifest


def _fill(out: archive.Writer, header: Header, manifest: Manifest, snapshot: Path) -> None:
    out.add_bytes(HEADER, header.dumps())
    digest, size = out.add_file(DATABASE, snapshot)
    manifest.database = {"sha256": digest, "size": size}
    root = _files_root()
    for name, path in _stored_files(root) if root else []:
        digest, size = out.add_file(FILES + name, path)
        manifest.files[name] = {"sha256": digest, "size": size}
    out.add_bytes(MANIFEST, manifest.dumps())


def apply_retention() -> list[Path]:
    """Keeps the newest MADAD_BACKUP_KEEP_DAILY backups and the newest of each of the last
    MADAD_BACKUP_KEEP_WEEKLY weeks; removes the rest."""
    found = backups()
    keep = set(found[: max(1, settings.BACKUP_KEEP_DAILY)])
    weeks: set[tuple[int, int]] = set()
    for path in found:
        week = _taken_at(path).isocalendar()[:2]
        if week not in weeks and len(weeks) < settings.BACKUP_KEEP_WEEKLY:
            weeks.add(week)
            keep.add(path)
    removed = [path for path in found if path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _taken_at(path: Path) -> dt.datetime:
    stamp = path.name.removeprefix("madad-backup-").removesuffix(SUFFIX)
    try:
        return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)


# --- open and check ----------------------------------------------------------------------------
@dataclass
class Opened:
    """A backup decrypted into a staging folder and checked against its manifest."""

    folder: Path
    header: Header
    manifest: Manifest
    checks: list[str] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.folder / DATABASE

    @property
    def files(self) -> Path:
        return self.folder / "files"


def open_backup(source: Path, identity: Path | None, folder: Path, say: Say = _quiet) -> Opened:
    """Decrypts `source` into `folder` and checks it: the header (format, not newer than this
    Madad), the database file's hash, SQLite's integrity check, every table's row count, the
    audit chain and its head, every file's hash, and that the field keys in use can read its
    encrypted values. Raises Invalid naming the first thing that fails."""
    if identity is None:
        raise Invalid(
            "No identity to open the backup with: give --identity KEYFILE or set "
            "MADAD_BACKUP_IDENTITY."
        )
    if not source.is_file():
        raise Invalid(f"There is no backup file at {source}.")
    opened: dict[str, object] = {}
    hashes: dict[str, tuple[str, int]] = {}
    files = folder / "files"

    def take(member: tarfile.TarInfo, stream: IO[bytes]) -> None:
        name = member.name
        if name == HEADER:
            header = Header.loads(stream.read(1 << 20))
            header.refuse_if_newer()
            header.refuse_other_keys()
            opened["header"] = header
        elif "header" not in opened:
            raise Invalid(f"The backup does not begin with {HEADER}.")
        elif name == MANIFEST:
            opened["manifest"] = Manifest.loads(stream.read(64 << 20))
        elif name == DATABASE:
            hashes[DATABASE] = _save(stream, folder / DATABASE)
        elif name.startswith(FILES) and _safe(name[len(FILES) :]):
            relative = name[len(FILES) :]
            hashes[FILES + relative] = _save(stream, files / relative)
        else:
            raise Invalid(f"The backup holds an unexpected member {name!r}.")

    say(f"Decrypting {source.name}...")
    archive.extract(source, [keys.load_identity(identity)], take)
    if "manifest" not in opened or DATABASE not in hashes:
        raise Invalid("The backup is incomplete: its database or manifest is missing.")
    header, manifest = opened["header"], opened["manifest"]
    if not (isinstance(header, Header) and isinstance(manifest, Manifest)):  # pragma: no cover
        raise Invalid("The backup is incomplete.")
    result = Opened(folder, header, manifest)
    _check(result, hashes, say)
    return result


def _safe(relative: str) -> bool:
    path = PurePosixPath(relative)
    return bool(relative) and not path.is_absolute() and ".." not in path.parts


def _save(stream: IO[bytes], to: Path) -> tuple[str, int]:
    to.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with to.open("xb") as out:
        while chunk := stream.read(archive.CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    to.chmod(0o600)
    return digest.hexdigest(), size


def _check(opened: Opened, hashes: dict[str, tuple[str, int]], say: Say) -> None:
    manifest = opened.manifest
    if hashes[DATABASE] != (manifest.database.get("sha256"), manifest.database.get("size")):
        raise Invalid("The backup's database does not match its manifest (hash or size).")
    opened.checks.append("database file hash")
    problems = database.integrity_problems(opened.database)
    if problems:
        raise Invalid(f"The backup's database fails SQLite's integrity check: {problems[0]}")
    opened.checks.append("SQLite integrity check")
    with database.sqlite_alias(opened.database, "madad_backup_check") as copy:
        counts = database.row_counts(copy)
        differing = sorted(
            t for t in set(counts) | set(manifest.tables) if counts.get(t) != manifest.tables.get(t)
        )
        if differing:
            raise Invalid(
                f"The backup's row counts differ from its manifest in {', '.join(differing[:5])}."
            )
        opened.checks.append(f"row counts of {len(counts)} tables")
        chain = audit_verify(using=copy.alias)
        if not chain.intact:
            raise Invalid(
                f"The backup's audit trail is broken at event {chain.first_broken_id}: "
                f"{chain.reason}."
            )
        if chain.checked != manifest.audit_events or chain.head != manifest.audit_head:
            raise Invalid("The backup's audit trail does not end where its manifest says.")
        opened.checks.append(f"audit chain of {chain.checked} events")
        unreadable = _unreadable(copy)
        if unreadable:
            raise Invalid(
                "The field keys in MADAD_FIELD_KEYS cannot read this backup's encrypted "
                f"fields. It was made with the keys whose fingerprints are "
                f"{', '.join(opened.header.field_keys)}; the running keys' are "
                f"{', '.join(key_fingerprints())}. Set the keys that were in use."
            )
        opened.checks.append("field keys read the encrypted values")
    found = {name[len(FILES) :]: value for name, value in hashes.items() if name != DATABASE}
    expected = {name: (v.get("sha256"), v.get("size")) for name, v in manifest.files.items()}
    if found != expected:
        wrong = sorted(set(found) ^ set(expected)) or sorted(
            n for n in found if found[n] != expected[n]
        )
        raise Invalid(f"The backup's files do not match its manifest: {', '.join(wrong[:5])}.")
    opened.checks.append(f"hashes of {len(found)} files")
    say("Checked: " + "; ".join(opened.checks) + ".")


def _unreadable(copy: BaseDatabaseWrapper) -> int:
    failures = 0
    for stored in database.encrypted_samples(copy):
        try:
            crypto.decrypt(stored)
        except crypto.DecryptionError:
            failures += 1
    return failures


# --- restore -----------------------------------------------------------------------------------
def restore(
    source: Path, *, identity: Path | None, force: bool = False, say: Say = _quiet
) -> Opened:
    """Restores `source` into the database and files folder this Madad is configured with.
    The target must be empty (no organisation, user or audit event; no stored file) unless
    `force`. Nothing is replaced until every check has passed."""
    started = timezone.now()
    target = connections[DEFAULT_DB_ALIAS]
    files_root = _files_root()
    if not force:
        _refuse_non_empty(files_root)
    var = Path(settings.VAR_DIR)
    with _private_folder(var / "tmp") as folder:
        opened = open_backup(source, identity, folder, say)
        if opened.header.is_older():
            say("The backup is of an earlier Madad: bringing its database up to date...")
            with database.sqlite_alias(opened.database, "madad_backup_migrate") as copy:
                call_command("migrate", database=copy.alias, verbosity=0, interactive=False)
        if target.vendor == "sqlite":
            _place_sqlite(opened.database, Path(target.settings_dict["NAME"]))
        else:
            _place_copy(opened.database, force, say)
        if files_root is not None:
            _place_files(opened.files, files_root)
        say(
            f"Restored {sum(opened.manifest.tables.values()):,} rows and "
            f"{len(opened.manifest.files)} files from {source.name}."
        )
    with transaction.atomic():
        BackupRun.objects.create(
            kind=BackupRun.Kind.RESTORE,
            started_at=started,
            finished_at=timezone.now(),
            ok=True,
            file=source.name,
            size=source.stat().st_size,
            detail="; ".join(opened.checks),
        )
        audit_record(action="backup.restored", object_type="backup", object_id=source.name)
    return opened


def _refuse_non_empty(files_root: Path | None) -> None:
    if database.holds_data(connections[DEFAULT_DB_ALIAS]):
        raise Invalid(
            "The target database already holds an organisation's data. Restore into an empty "
            "database, or give --force to replace what it holds."
        )
    if files_root is not None and _stored_files(files_root):
        raise Invalid(
            f"The files folder {files_root} is not empty. Restore into an empty folder, or give "
            "--force to replace what it holds."
        )


def _place_sqlite(restored: Path, live: Path) -> None:
    connections.close_all()
    live.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staged = live.with_name(f".{live.name}.restoring")
    shutil.copyfile(restored, staged)
    staged.chmod(0o600)
    for suffix in ("-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    staged.replace(live)


def _place_copy(restored: Path, force: bool, say: Say) -> None:
    target = connections[DEFAULT_DB_ALIAS]
    if force and database.holds_data(target):
        say("Emptying the target database (--force)...")
        database.drop_everything(target)
    call_command("migrate", verbosity=0, interactive=False)
    with database.sqlite_alias(restored, "madad_backup_source") as source:
        say("Copying the rows into the database...")
        database.copy_rows(source, target, progress=_progress(say))


def _place_files(restored: Path, live: Path) -> None:
    aside = live.with_name(f".{live.name}.replaced")
    if aside.exists():
        shutil.rmtree(aside)
    if live.exists():
        live.rename(aside)
    if restored.is_dir():
        restored.rename(live)
    else:
        live.mkdir(mode=0o700, parents=True)
    if aside.exists():
        shutil.rmtree(aside)


# --- drill -------------------------------------------------------------------------------------
def drill(
    source: Path | None = None,
    *,
    identity: Path | None = None,
    requested_by: User | None = None,
    say: Say = _quiet,
) -> BackupRun:
    """Opens the newest backup (or `source`) in a throwaway folder, makes every check a restore
    makes, and records the result. A failed drill is recorded too, with its reason."""
    run = BackupRun(kind=BackupRun.Kind.DRILL, started_at=timezone.now(), requested_by=requested_by)
    try:
        if source is None:
            newest = backups()
            if not newest:
                raise Invalid(f"There is no backup in {backup_dir()} to drill.")
            source = newest[0]
        run.file = source.name
        with _private_folder(Path(settings.VAR_DIR) / "tmp") as folder:
            opened = open_backup(source, keys.identity_path(identity), folder, say)
    except Invalid as refusal:
        _finish(run, ok=False, detail=refusal.message)
        return run
    _finish(
        run, ok=True, file=source.name, size=source.stat().st_size, detail="; ".join(opened.checks)
    )
    return run


def _finish(run: BackupRun, *, ok: bool, detail: str, file: str = "", size: int = 0) -> None:
    run.finished_at = timezone.now()
    run.ok = ok
    run.detail = detail[:1000]
    run.file = file or run.file
    run.size = size or run.size
    with transaction.atomic():
        run.save()
        audit_record(
            action=f"backup.{run.kind}.{'succeeded' if ok else 'failed'}",
            actor=run.requested_by,
            obj=run,
        )
