"""Configuration fails loudly: production without a secret does not start, and production as
configured passes Django's deployment checks. Each case runs `madad` in a fresh process, since
settings are read once per process."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.test import Client
from pyrage import x25519

MADAD = str(Path(sys.executable).with_name("madad"))
REQUIRED = ["MADAD_SECRET_KEY", "MADAD_FIELD_KEYS", "MADAD_BLIND_INDEX_KEY", "MADAD_ALLOWED_HOSTS"]


def _production() -> dict[str, str]:
    return {
        "MADAD_MODE": "production",
        "MADAD_SECRET_KEY": secrets.token_urlsafe(50),
        "MADAD_FIELD_KEYS": Fernet.generate_key().decode(),
        "MADAD_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "MADAD_ALLOWED_HOSTS": "madad.example.org",
        "MADAD_BACKUP_RECIPIENTS": ",".join(
            str(x25519.Identity.generate().to_public()) for _ in range(2)
        ),
    }


def _env(var_dir: Path, settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without any Madad setting or database URL, plus these.
    (DJANGO_ALLOW_ASYNC_UNSAFE is set while browser tests run in this process; a deployment
    never has it.)"""
    dropped = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MADAD_") and k not in dropped}
    env["MADAD_VAR_DIR"] = str(var_dir)
    env.update(settings)
    return env


def _madad(var_dir: Path, settings: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [MADAD, *args],
        env=_env(var_dir, settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _python(var_dir: Path, settings: dict[str, str], code: str) -> Any:
    """Runs `code` with Django set up; it prints one JSON value, which is returned."""
    env = _env(var_dir, settings) | {"DJANGO_SETTINGS_MODULE": "madad.settings"}
    command = [sys.executable, "-c", "import django; django.setup()\n" + code]
    done = subprocess.run(  # noqa: S603
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- production refuses to start without its settings -------------------------------------
@pytest.mark.parametrize("missing", REQUIRED)
def test_production_stops_with_the_name_of_a_missing_setting(tmp_path: Path, missing: str) -> None:
    settings = _production()
    del settings[missing]
    done = _madad(tmp_path, settings, "check")
    assert done.returncode != 0
    assert f"{missing} is not set" in done.stderr


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_treats_a_blank_setting_as_missing(tmp_path: Path, missing: str) -> None:
    done = _madad(tmp_path, _production() | {missing: "   "}, "check")
    assert done.returncode != 0
    assert f"{missing} is not set" in done.stderr


def test_production_never_writes_development_secrets(tmp_path: Path) -> None:
    settings = _production()
    del settings["MADAD_SECRET_KEY"]
    _madad(tmp_path, settings, "check")
    assert not (tmp_path / "dev-secrets.json").exists()


@pytest.mark.parametrize("mode", ["production", "development"])
def test_two_factor_can_only_be_switched_off_in_demo_mode(tmp_path: Path, mode: str) -> None:
    settings = _production() if mode == "production" else {"MADAD_MODE": mode}
    done = _madad(tmp_path, settings | {"MADAD_REQUIRE_MFA": "false"}, "check")
    assert done.returncode != 0
    assert "MADAD_REQUIRE_MFA=false is only allowed in demo mode" in done.stderr


def test_demo_mode_may_switch_two_factor_off(tmp_path: Path) -> None:
    done = _madad(tmp_path, {"MADAD_MODE": "demo", "MADAD_REQUIRE_MFA": "false"}, "check")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MADAD_DEBUG", "true", "MADAD_DEBUG cannot be true in production"),
        ("MADAD_MODE", "staging", "MADAD_MODE must be one of"),
        ("MADAD_LOCKOUT_ATTEMPTS", "six", "MADAD_LOCKOUT_ATTEMPTS must be a whole number"),
        ("MADAD_REQUIRE_MFA", "perhaps", "MADAD_REQUIRE_MFA must be true or false"),
        ("MADAD_SSL_REDIRECT", "false", "MADAD_SSL_REDIRECT is no longer read"),
    ],
)
def test_production_refuses_a_setting_it_cannot_read(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    done = _madad(tmp_path, _production() | {name: value}, "check")
    assert done.returncode != 0
    assert message in done.stderr


# --- production as configured ------------------------------------------------------------------
def test_production_passes_the_deployment_checks_without_a_warning(tmp_path: Path) -> None:
    done = _madad(tmp_path, _production(), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_a_weak_secret_key_at_start_up(tmp_path: Path) -> None:
    done = _madad(tmp_path, _production() | {"MADAD_SECRET_KEY": "short"}, "check")
    assert done.returncode != 0
    assert "MADAD_SECRET_KEY is weaker than Django needs: at least 50 characters" in done.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MADAD_FIELD_KEYS", "notakey", "MADAD_FIELD_KEYS: key 1 of 1 is not a valid Fernet key"),
        ("MADAD_BLIND_INDEX_KEY", "x", "MADAD_BLIND_INDEX_KEY is shorter than 32 bytes"),
    ],
)
def test_production_does_not_start_with_a_key_that_cannot_protect_data(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    """Not only `check --deploy`: any command, the app servers included, stops at start-up."""
    done = _madad(tmp_path, _production() | {name: value}, "migrate", "--check")
    assert done.returncode != 0
    assert message in done.stderr
    assert "madad keys generate" in done.stderr


# --- madad keys generate -------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["production", "development", "demo"])
def test_keys_generate_works_before_any_secret_is_set_and_writes_nothing(
    tmp_path: Path, mode: str
) -> None:
    done = _madad(tmp_path, {"MADAD_MODE": mode}, "keys", "generate")
    assert done.returncode == 0, done.stderr
    values = dict(line.split("=", 1) for line in done.stdout.splitlines())
    assert sorted(values) == ["MADAD_BLIND_INDEX_KEY", "MADAD_FIELD_KEYS", "MADAD_SECRET_KEY"]
    assert list(tmp_path.iterdir()) == []  # no var/dev-secrets.json, nothing at all
    # what it prints is what production starts with
    checked = _madad(
        tmp_path, _production() | values, "check", "--deploy", "--fail-level", "WARNING"
    )
    assert checked.returncode == 0, checked.stderr


def test_keys_generate_makes_new_secrets_each_time(tmp_path: Path) -> None:
    first, second = (_madad(tmp_path, {}, "keys", "generate").stdout for _ in range(2))
    assert set(first.splitlines()).isdisjoint(second.splitlines())


def test_keys_generate_prints_one_field_key_for_a_rotation(tmp_path: Path) -> None:
    done = _madad(tmp_path, {"MADAD_MODE": "production"}, "keys", "generate", "--field-key")
    assert done.returncode == 0, done.stderr
    Fernet(done.stdout.strip().encode())  # a usable key, nothing else


def test_production_cookies_and_transport_are_secure(tmp_path: Path) -> None:
    values = _python(
        tmp_path,
        _production(),
        """
import json
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in [
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "DEBUG"]}))
""",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "DEBUG": False,
    }


def test_production_redirects_to_https_and_sends_hsts(tmp_path: Path) -> None:
    answers = _python(
        tmp_path,
        _production(),
        """
import json
from django.test import Client
client = Client(HTTP_HOST="madad.example.org")
plain = client.get("/public/")
secure = client.get("/healthz", secure=True)
print(json.dumps({"plain": [plain.status_code, plain.get("Location", "")],
                  "secure": [secure.get("Strict-Transport-Security", ""),
                             secure.get("Content-Security-Policy", "")]}))
""",
    )
    assert answers["plain"] == [301, "https://madad.example.org/public/"]
    hsts, csp = answers["secure"]
    assert hsts.startswith("max-age=31536000")
    assert "default-src 'self'" in csp


def test_production_health_checks_are_answered_over_the_private_hop(tmp_path: Path) -> None:
    """The proxy asks each app server's /healthz directly, over plain http: no redirect. A
    server without collected static files answers 503, naming them (every page would be 500)."""
    answer = _python(
        tmp_path,
        _production(),
        """
import json
from django.test import Client
response = Client(HTTP_HOST="madad.example.org").get("/healthz")
print(json.dumps([response.status_code, response.json()]))
""",
    )
    assert answer[0] == 503
    assert answer[1]["problems"] == [
        "static files: no manifest; run `madad collectstatic --no-input` and restart"
    ]


def test_production_is_healthy_once_the_static_files_are_collected(tmp_path: Path) -> None:
    collected = _madad(tmp_path, _production(), "collectstatic", "--no-input", "-v", "0")
    assert collected.returncode == 0, collected.stderr
    answer = _python(
        tmp_path,
        _production(),
        """
import json
from django.test import Client
response = Client(HTTP_HOST="madad.example.org").get("/healthz")
print(json.dumps([response.status_code, response.json()]))
""",
    )
    assert answer == [200, {"status": "ok"}]


def test_production_refuses_a_host_it_was_not_given(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    status = _python(
        tmp_path,
        _production(),
        """
import json
from django.test import Client
print(json.dumps(Client(HTTP_HOST="evil.example.com").get("/healthz", secure=True).status_code))
""",
    )
    assert status == 400


# --- databases -----------------------------------------------------------------------------------
def test_a_database_url_selects_postgresql(tmp_path: Path) -> None:
    database = _python(
        tmp_path,
        {
            "DATABASE_URL": "postgres://madad:s3cret@db.internal:5433/madad_prod",
        },
        """
import json
from django.conf import settings as s
d = s.DATABASES["default"]
print(json.dumps({k: d[k] for k in ["ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT",
                                    "CONN_MAX_AGE", "CONN_HEALTH_CHECKS"]}))
""",
    )
    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "madad_prod",
        "USER": "madad",
        "PASSWORD": "s3cret",
        "HOST": "db.internal",
        "PORT": 5433,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def test_without_a_database_url_sqlite_queues_its_writers(tmp_path: Path) -> None:
    database = _python(
        tmp_path,
        {"MADAD_SQLITE_PATH": str(tmp_path / "x.sqlite3")},
        """
import json
from django.conf import settings as s
print(json.dumps(s.DATABASES["default"]))
""",
    )
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "x.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] == 20
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


# --- every response, in this process ------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/api/v1/docs", "/api/v1/openapi.json", "/nowhere/"]
)
def test_every_response_carries_a_policy_allowing_no_other_origin(
    client: Client, path: str
) -> None:
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    sources = {s for value in directives.values() for s in value.split()}
    assert sources <= {"'self'", "'none'", "data:"}, sources


# --- keys that cannot protect anything ---------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MADAD_FIELD_KEYS", "notakey", "MADAD_FIELD_KEYS: key 1 of 1 is not a valid Fernet key"),
        ("MADAD_BLIND_INDEX_KEY", "x", "MADAD_BLIND_INDEX_KEY is shorter than 32 bytes"),
        ("MADAD_BACKUP_RECIPIENTS", "", "MADAD_BACKUP_RECIPIENTS is not set"),
        ("MADAD_BACKUP_RECIPIENTS", "age1nope", "is not an age public key"),
    ],
)
def test_the_deployment_checks_refuse_a_key_that_cannot_protect_data(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    done = _madad(tmp_path, _production() | {name: value}, "check", "--deploy")
    assert done.returncode != 0
    assert message in done.stderr


def test_the_deployment_checks_name_a_bad_older_field_key(tmp_path: Path) -> None:
    keys = f"{Fernet.generate_key().decode()},notakey"
    done = _madad(tmp_path, _production() | {"MADAD_FIELD_KEYS": keys}, "check", "--deploy")
    assert done.returncode != 0
    assert "MADAD_FIELD_KEYS: key 2 of 2 is not a valid Fernet key" in done.stderr


# --- files only Madad's user may read ----------------------------------------------------------
def test_a_new_sqlite_database_and_var_are_madads_alone(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    done = _madad(var_dir, {"MADAD_MODE": "development"}, "migrate", "-v0")
    assert done.returncode == 0, done.stderr[-3000:]
    database = var_dir / "madad.sqlite3"
    assert oct(var_dir.stat().st_mode & 0o777) == oct(0o700)
    assert oct(database.stat().st_mode & 0o777) == oct(0o600)
    assert database.stat().st_size > 0  # migrated: SQLite wrote into the file made for it
    modes = _python(
        var_dir,
        {"MADAD_MODE": "development"},
        """
import json, os
from django.db import connection
with connection.cursor() as cursor:  # open: SQLite keeps its -wal and -shm files meanwhile
    cursor.execute("SELECT count(*) FROM django_migrations")
    name = connection.settings_dict["NAME"]
    print(json.dumps({suffix: oct(os.stat(name + suffix).st_mode & 0o777)
                      for suffix in ("-wal", "-shm") if os.path.exists(name + suffix)}))
""",
    )
    assert modes == {"-wal": oct(0o600), "-shm": oct(0o600)}


def test_an_existing_database_open_to_others_is_narrowed(tmp_path: Path) -> None:
    database = tmp_path / "madad.sqlite3"
    database.touch()
    database.chmod(0o644)
    mode = _python(
        tmp_path,
        {"MADAD_MODE": "development"},
        f"import json, os; print(json.dumps(oct(os.stat({str(database)!r}).st_mode & 0o777)))",
    )
    assert mode == oct(0o600)
