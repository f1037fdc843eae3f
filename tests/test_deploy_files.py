"""What an operator copies stays true: every setting Madad reads is in the README, the
README links only what the repository holds, the systemd units start what exists, gunicorn's
settings follow the machine, and an offered option has its library. scripts/deploy-check runs
the README's deploy commands themselves (in .ci/run)."""

from __future__ import annotations

import configparser
import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
UNITS = ROOT / "deploy" / "systemd"


def test_every_setting_madad_reads_is_documented_in_the_readme() -> None:
    read = set()
    for path in (ROOT / "src" / "madad").rglob("*.py"):
        read |= set(re.findall(r"\"((?:MADAD_[A-Z_]+)|DATABASE_URL)\"", path.read_text()))
    assert len(read) > 40
    assert sorted(name for name in read if f"`{name}`" not in README) == []


def test_the_readme_links_only_what_the_repository_holds() -> None:
    targets = re.findall(r"\]\(([^)#\s]+)\)", README)
    local = [target for target in targets if not re.match(r"[a-z]+:", target)]
    assert sorted(target for target in local if not (ROOT / target).exists()) == []
    assert "../" not in README  # nothing outside the repository, such as ../shared/


def _service(name: str) -> configparser.SectionProxy:
    parsed = configparser.ConfigParser(interpolation=None, strict=False)
    parsed.read_string((UNITS / name).read_text())
    return parsed["Service"]


@pytest.mark.parametrize(
    "name",
    [
        "madad-web@.service",
        "madad-worker.service",
        "madad-backup.service",
        "madad-audit-verify.service",
        "madad-sharing-expire.service",
    ],
)
def test_each_unit_starts_a_command_of_this_checkout_with_the_shared_settings(name: str) -> None:
    service = _service(name)
    command = shlex.split(service["ExecStart"])
    program = Path(command[0].replace("/srv/madad", str(ROOT)))
    assert program.is_file() and os.access(program, os.X_OK), program
    assert service["EnvironmentFile"] == "/etc/madad/madad.env"
    assert service["User"] == "madad"
    assert service["UMask"] == "0077"  # what Madad writes is Madad's alone
    assert service["ReadWritePaths"] == "/var/lib/madad"


def test_every_unit_the_readme_enables_is_shipped() -> None:
    enabled = re.findall(r"systemctl enable --now ([^#\n]+)", README)
    names = {name for line in enabled for name in line.split()}
    assert names >= {
        "madad-worker",
        "madad-backup.timer",
        "madad-audit-verify.timer",
        "madad-sharing-expire.timer",
    }
    for name in names:
        template = re.sub(r"@.*", "@", name)
        shipped = {path.name.removesuffix(".service") for path in UNITS.iterdir()}
        assert template in shipped or name in shipped, name


def test_the_readme_has_deploy_blocks_that_the_deploy_check_runs() -> None:
    section = README.split("## Deploying on PostgreSQL", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```sh deploy\n(.*?)^```", section, flags=re.S | re.M)
    commands = "\n".join(blocks)
    for step in (
        "madad keys generate",
        "madad migrate --no-input",
        "madad i18n compile",
        "madad collectstatic --no-input",
        "madad check --deploy",
        "madad users create --first-administrator",
    ):
        assert step in commands
    assert "scripts/deploy-check" in (ROOT / ".ci" / "run").read_text()


# --- gunicorn's settings -------------------------------------------------------------------------
def _gunicorn_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, madad.gunicorn_config as c; "
        "print(json.dumps([c.bind, c.workers, c.control_socket, c.wsgi_app]))"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={k: v for k, v in os.environ.items() if not k.startswith("MADAD_")} | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_gunicorn_takes_two_workers_per_core_plus_one_and_a_socket_per_address(
    tmp_path: Path,
) -> None:
    import json

    answers = [
        json.loads(_gunicorn_config({"MADAD_VAR_DIR": str(tmp_path), "MADAD_BIND": address}).stdout)
        for address in ("127.0.0.1:8001", "127.0.0.1:8002")
    ]
    cores = len(os.sched_getaffinity(0))
    assert [answer[1] for answer in answers] == [2 * cores + 1] * 2
    assert [answer[0] for answer in answers] == [["127.0.0.1:8001"], ["127.0.0.1:8002"]]
    sockets = [Path(answer[2]) for answer in answers]
    assert sockets[0] != sockets[1]
    assert all(socket.parent == tmp_path / "run" for socket in sockets)
    assert answers[0][3] == "madad.wsgi:application"


@pytest.mark.parametrize("workers", ["0", "many", "-2"])
def test_gunicorn_refuses_a_worker_count_it_cannot_use(tmp_path: Path, workers: str) -> None:
    done = _gunicorn_config({"MADAD_VAR_DIR": str(tmp_path), "MADAD_WEB_WORKERS": workers})
    assert done.returncode != 0
    assert "MADAD_WEB_WORKERS must be a whole number of at least 1" in done.stderr


# --- options have their libraries ----------------------------------------------------------------
def test_the_redis_cache_madad_offers_has_its_client_installed() -> None:
    assert "redis==" in (ROOT / "requirements.txt").read_text()
    importlib.import_module("redis")


@pytest.mark.skipif(
    not os.environ.get("MADAD_TEST_REDIS_URL"),
    reason="needs a Redis server: .ci/run sets MADAD_TEST_REDIS_URL to the machine's",
)
def test_madad_runs_with_its_cache_on_redis(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MADAD_")}
    env |= {
        "MADAD_VAR_DIR": str(tmp_path),
        "MADAD_REDIS_URL": os.environ["MADAD_TEST_REDIS_URL"],
        "DJANGO_SETTINGS_MODULE": "madad.settings",
    }
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup(); from django.core.cache import cache, caches; "
        "cache.set('madad-test', 'ok', 10); "
        "print(cache.get('madad-test'), type(caches['default']).__name__)"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "RedisCache"]
