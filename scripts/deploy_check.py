"""The README's deployment, followed word for word on one machine, then checked as an operator
would. Run by scripts/deploy-check (which makes the PostgreSQL database); see README.md,
"The deploy check".

1. The `sh deploy` blocks of README.md's deploy section run in bash, with /etc/madad,
   /var/lib/madad, /srv/madad, the database address and madad.example.org replaced by this
   run's own.
2. Two app servers and one task worker start from deploy/systemd's Environment and ExecStart
   lines; Caddy from deploy/Caddyfile, with its internal authority, on 127.0.0.1.
3. The checks: systemd accepts the units; the first administrator's invitation, password and
   two-factor enrolment through Caddy; the session and an API token on either server; a chain
   check queued from the web runs on the worker; Urdu on both servers; a server without static
   files fails /healthz; a SIGTERM during concurrent writes leaves whole records and a sound
   chain; a lockout reached on one server holds on the other and revokes the token.

Everything listens on 127.0.0.1 and every wait is bounded. Exits non-zero on the first check
that fails, saying which.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import configparser
import hashlib
import hmac
import json
import os
import re
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SITE = "madad.localhost"  # RFC 6761: a .localhost name is this machine
ADMIN_EMAIL = "admin@example.org"
WRITES = 200  # concurrent invitations when an app server is told to stop
ADMIN_PASSWORD = "deploy-check correct horse battery"  # noqa: S105 (a throwaway database's)
started = time.monotonic()


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"deploy-check [{time.monotonic() - started:5.1f}s] {message}", flush=True)


def expect(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def found(match: re.Match[str] | None, message: str) -> re.Match[str]:
    if match is None:
        raise CheckFailed(message)
    return match


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# A .localhost name resolves to this machine (RFC 6761); the C library here does not know it.
_getaddrinfo = socket.getaddrinfo


def _local_names(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if isinstance(host, str) and host.endswith(".localhost"):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _local_names


# --- 1. the README's commands ------------------------------------------------------------------
def readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Deploying on PostgreSQL", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```sh deploy\n(.*?)^```", section, flags=re.S | re.M)
    expect(blocks, "README.md's deploy section has no `sh deploy` blocks")
    return blocks


def run_readme(replacements: dict[str, str], env: dict[str, str], log: Path) -> str:
    script = "\n".join(readme_blocks())
    for old, new in replacements.items():
        script = script.replace(old, new)
    say(f"running the README's {len(readme_blocks())} deploy blocks")
    done = subprocess.run(  # noqa: S603
        ["/bin/bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    log.write_text(done.stdout + done.stderr)
    expect(done.returncode == 0, f"the README's deploy commands failed:\n{done.stderr[-3000:]}")
    return done.stdout


def env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


# --- 2. the units, Caddy -----------------------------------------------------------------------
def unit(name: str, replacements: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """A unit's own Environment= values and ExecStart= command, paths replaced."""
    text = (ROOT / "deploy" / "systemd" / name).read_text()
    for old, new in replacements.items():
        text = text.replace(old, new)
    parsed = configparser.ConfigParser(interpolation=None, strict=False)
    parsed.optionxform = str  # type: ignore[assignment,method-assign]
    parsed.read_string(text)
    service = parsed["Service"]
    environment = dict(
        item.split("=", 1) for item in shlex.split(service.get("Environment", "")) if "=" in item
    )
    return environment, shlex.split(service["ExecStart"])


def systemd_verify(replacements: dict[str, str], work: Path) -> None:
    folder = work / "units"
    folder.mkdir()
    for source in sorted((ROOT / "deploy" / "systemd").iterdir()):
        text = source.read_text()
        for old, new in replacements.items():
            text = text.replace(old, new)
        (folder / source.name).write_text(text)
    names = [str(path) for path in sorted(folder.iterdir())]
    done = subprocess.run(  # noqa: S603
        [
            shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze",
            "verify",
            "--man=no",
            *names,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    complaints = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        # the user madad exists on a server, not here
        if line.strip() and "Couldn't process aliases" not in line and "User" not in line
    ]
    expect(not complaints, "systemd-analyze verify:\n" + "\n".join(complaints))


class Processes:
    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        process = self.running.pop(name)
        process.send_signal(sig)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name, timeout=20)

    def tail(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-2500:]}"
            for path in sorted(self.logs.glob("*.log"))
        )


def wait_for(what: str, probe, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline, last = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        try:
            if probe():
                return
        except (requests.RequestException, OSError, CheckFailed) as error:
            last = error
        time.sleep(0.5)
    raise CheckFailed(f"{what}: not ready after {seconds:.0f} s (last: {last})")


# --- 3. HTTP as a browser and a client would -------------------------------------------------
def totp_now(secret: str) -> str:
    """RFC 6238, as an authenticator app computes it: 30 s steps, 6 digits, SHA-1."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def csrf(page: requests.Response) -> str:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    return found(token, f"no CSRF token on {page.url} ({page.status_code})").group(1)


class Server:
    """One app server asked directly, as Caddy asks it: over plain http on the private hop,
    with the site's Host and X-Forwarded-Proto."""

    def __init__(self, name: str, port: int) -> None:
        self.name, self.base = name, f"http://127.0.0.1:{port}"

    def get(self, path: str, headers: dict[str, str] | None = None) -> requests.Response:
        return requests.get(
            self.base + path, headers=self._headers(headers), allow_redirects=False, timeout=30
        )

    def post(self, path: str, headers: dict[str, str] | None = None, **body) -> requests.Response:  # type: ignore[no-untyped-def]
        return requests.post(
            self.base + path,
            headers=self._headers(headers),
            allow_redirects=False,
            timeout=30,
            **body,
        )

    @staticmethod
    def _headers(headers: dict[str, str] | None) -> dict[str, str]:
        return {"Host": SITE, "X-Forwarded-Proto": "https", **(headers or {})}


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


def first_administrator(site: str, link: str, root_cert: str) -> requests.Session:
    """Invitation, own password, first sign-in, two-factor enrolment: all through Caddy."""
    browser = requests.Session()
    browser.verify = root_cert
    browser.trust_env = False  # REQUESTS_CA_BUNDLE would replace the authority given here
    page = browser.get(link, timeout=30)
    expect(page.status_code == 200, f"the invitation link answered {page.status_code}")
    done = browser.post(
        link,
        data={
            "csrfmiddlewaretoken": csrf(page),
            "password1": ADMIN_PASSWORD,
            "password2": ADMIN_PASSWORD,
        },
        headers={"Referer": link},
        timeout=30,
    )
    expect(done.status_code == 200 and "/accounts/login/" in done.url, "password not accepted")
    login = done
    enrol = browser.post(
        login.url,
        data={
            "csrfmiddlewaretoken": csrf(login),
            "login": ADMIN_EMAIL,
            "password": ADMIN_PASSWORD,
        },
        headers={"Referer": login.url},
        timeout=30,
    )
    expect("/accounts/2fa/totp/activate" in enrol.url, f"no enrolment after sign-in: {enrol.url}")
    secret = found(re.search(r'id="totp-secret">([A-Z2-7]+)<', enrol.text), "no key shown")
    again = browser.get(enrol.url, timeout=30)
    expect(
        f'id="totp-secret">{secret.group(1)}<' in again.text,
        "reloading the enrolment page changed the key",
    )
    home = browser.post(
        enrol.url,
        data={"csrfmiddlewaretoken": csrf(again), "code": totp_now(secret.group(1))},
        headers={"Referer": enrol.url},
        timeout=30,
    )
    expect(
        home.status_code == 200 and "/accounts/2fa/recovery-codes/" in home.url,
        f"enrolment failed: {home.status_code} at {home.url}\n{home.text[:3000]}",
    )
    browser.totp_secret = secret.group(1)  # type: ignore[attr-defined]
    return browser


def madad_shell(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603
        [str(BIN / "madad"), "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    expect(done.returncode == 0, f"madad shell failed: {done.stderr[-2000:]}")
    return done.stdout.strip()


# --- the whole run -------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    options = parser.parse_args()
    # timeout(1) stops a run that overstays with SIGTERM: stop the servers on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("deploy-check: stopped (SIGTERM)"))
    work = Path(tempfile.mkdtemp(prefix="madad-deploy-check-"))
    processes = Processes(work)
    try:
        check(work, options.database_url, processes)
    except CheckFailed as failed:
        say(f"FAILED: {failed}")
        print(processes.tail(), file=sys.stderr)
        return 1
    finally:
        processes.stop_all()
        if not options.keep:
            subprocess.run(["rm", "-rf", str(work)], check=False)  # noqa: S603, S607
    say("passed")
    return 0


def check(work: Path, database_url: str, processes: Processes) -> None:
    ports = {name: free_port() for name in ("a", "b", "bare", "https", "http", "admin")}
    site_url = f"https://{SITE}:{ports['https']}"
    replacements = {
        "/etc/madad": str(work / "etc"),
        "/var/lib/madad": str(work / "var"),
        "/srv/madad": str(ROOT),
        "postgres://madad@db.internal:5432/madad": database_url,
        "https://madad.example.org": site_url,
        "madad.example.org": SITE,
    }
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MADAD_", "DJANGO_")) and k != "DATABASE_URL"
    }
    clean["PATH"] = f"{BIN}:{clean.get('PATH', '/usr/bin:/bin')}"

    output = run_readme(replacements, clean, work / "readme.log")
    link = found(
        re.search(r"https://\S+/accounts/invitation/\S+/", output),
        "`madad users create --first-administrator` printed no invitation link",
    )
    settings = clean | env_file(work / "etc" / "madad.env")
    say("systemd-analyze verify on deploy/systemd")
    systemd_verify(replacements, work)

    def start_web(name: str, port: int, extra: dict[str, str] | None = None) -> None:
        environment, command = unit("madad-web@.service", replacements)
        bound = {k: v.replace("%i", f"127.0.0.1:{port}") for k, v in environment.items()}
        processes.start(f"web-{name}", command, settings | bound | (extra or {}))

    for name in ("a", "b"):
        start_web(name, ports[name])
    _, worker = unit("madad-worker.service", replacements)
    processes.start("worker", worker, settings)
    # A server of a machine where collectstatic was not run: its own empty MADAD_VAR_DIR.
    bare_var = work / "bare-var"
    start_web("bare", ports["bare"], {"MADAD_VAR_DIR": str(bare_var)})
    caddy_env = clean | {
        "MADAD_SITE": f"{SITE}:{ports['https']}",
        "MADAD_UPSTREAMS": f"127.0.0.1:{ports['a']} 127.0.0.1:{ports['b']}",
        "MADAD_HTTP_PORT": str(ports["http"]),
        "MADAD_HTTPS_PORT": str(ports["https"]),
        "MADAD_CADDY_ADMIN": f"127.0.0.1:{ports['admin']}",
        "XDG_DATA_HOME": str(work / "caddy-data"),
        "XDG_CONFIG_HOME": str(work / "caddy-config"),
        "HOME": str(work),
    }
    caddy = [
        "caddy",
        "run",
        "--config",
        str(ROOT / "deploy" / "Caddyfile"),
        "--adapter",
        "caddyfile",
    ]
    processes.start("caddy", caddy, caddy_env)
    a, b, bare = Server("a", ports["a"]), Server("b", ports["b"]), Server("bare", ports["bare"])
    for server in (a, b):
        wait_for(f"app server {server.name}", lambda s=server: s.get("/healthz").status_code == 200)
    root_cert = str(work / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt")
    wait_for(
        "Caddy over TLS",
        lambda: requests.get(f"{site_url}/healthz", verify=root_cert, timeout=5).status_code == 200,
    )
    say("two app servers, a worker and Caddy are up")

    plain = requests.get(
        f"http://127.0.0.1:{ports['http']}/public/",
        headers={"Host": SITE},
        allow_redirects=False,
        timeout=10,
    )
    expect(
        plain.status_code in (301, 308) and plain.headers["Location"].startswith("https://"),
        f"plain http is not sent to https: {plain.status_code}",
    )

    wait_for("the unbuilt server's health check", lambda: bare.get("/healthz").status_code == 503)
    health = bare.get("/healthz").json()
    expect(
        any(problem.startswith("static files") for problem in health["problems"]),
        f"/healthz of a server without static files says {health}",
    )
    say("a server without its static files fails /healthz (503)")

    browser = first_administrator(site_url, link.group(0), root_cert)
    say("the first administrator set a password and enrolled two-factor sign-in through Caddy")
    session_cookie = cookie_header(browser)
    for server in (a, b):
        page = server.get("/", headers={"Cookie": session_cookie})
        expect(
            page.status_code == 200 and ADMIN_EMAIL in page.text,
            f"the session does not work on server {server.name} ({page.status_code})",
        )
    issued = a.post(
        "/api/v1/auth/token",
        json={
            "email": ADMIN_EMAIL,
            "password": ADMIN_PASSWORD,
            "totp": totp_now(browser.totp_secret),
        },  # type: ignore[attr-defined]
    )
    expect(
        issued.status_code == 200, f"no API token from server a: {issued.status_code} {issued.text}"
    )
    bearer = {"Authorization": f"Bearer {issued.json()['token']}"}
    me = b.get("/api/v1/auth/me", headers=bearer)
    expect(me.status_code == 200 and me.json()["email"] == ADMIN_EMAIL, "the token fails on b")
    say("the session and a token from one server work on the other")

    audit_page = browser.get(f"{site_url}/audit/", timeout=30)
    queued = browser.post(
        f"{site_url}/audit/verify/",
        data={"csrfmiddlewaretoken": csrf(audit_page)},
        headers={"Referer": f"{site_url}/audit/"},
        timeout=30,
    )
    expect(queued.status_code == 200, f"queueing a chain check answered {queued.status_code}")
    probe = (
        "from django_tasks_db.models import DBTaskResult; "
        "print(DBTaskResult.objects.filter(task_path='madad.audit.tasks.audit_chain_verify')"
        ".values_list('status', flat=True).first())"
    )

    def chain_check_done() -> bool:
        status = madad_shell(probe, settings)
        expect(status.endswith("SUCCESSFUL"), f"the chain check's task is {status!r}")
        return True

    wait_for("the queued chain check", chain_check_done, 90)
    say("a chain check queued from the web ran on the worker")

    catalogue = (ROOT / "src" / "madad" / "locale" / "ur" / "LC_MESSAGES" / "django.po").read_text()
    urdu_title = found(re.search(r'msgid "Sign out"\nmsgstr "([^"]+)"', catalogue), "no Urdu")
    for server in (a, b):
        page = server.get("/", headers={"Cookie": f"{session_cookie}; django_language=ur"})
        expect(
            'dir="rtl"' in page.text and urdu_title.group(1) in page.text,
            f"server {server.name} does not answer in Urdu",
        )
    say("Urdu pages are translated on both servers")

    sigterm_during_writes(a, browser, session_cookie, processes, settings)
    start_web("a", ports["a"])
    wait_for("app server a again", lambda: a.get("/healthz").status_code == 200)

    lockout_across_servers(a, b, bearer, browser.totp_secret)  # type: ignore[attr-defined]
    say("a lockout reached on both servers holds on each and revoked the token")


def sigterm_during_writes(
    a: Server,
    browser: requests.Session,
    session_cookie: str,
    processes: Processes,
    settings: dict[str, str],
) -> None:
    form = a.get("/users/new/", headers={"Cookie": session_cookie})
    token = csrf(form)
    headers = {"Cookie": session_cookie, "Referer": f"https://{SITE}/users/new/"}

    def invite(number: int) -> int:
        try:
            answer = a.post(
                "/users/new/",
                headers=headers,
                data={
                    "csrfmiddlewaretoken": token,
                    "full_name": f"Colleague {number} (deploy check)",
                    "email": f"colleague{number}@example.org",
                    "role": "coordinator",
                },
            )
        except requests.RequestException:
            return 0
        return answer.status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        answers = [pool.submit(invite, number) for number in range(WRITES)]
        # the signal lands in the middle: some writes answered, others in hand or waiting
        wait_for("the first writes", lambda: sum(answer.done() for answer in answers) >= 20, 60)
        code = processes.stop("web-a")
        results = [answer.result() for answer in answers]
    expect(code == 0, f"server a did not stop cleanly on SIGTERM (exit {code})")
    written = sum(1 for status in results if status in (200, 302))
    outcome = json.loads(
        madad_shell(
            "import json; from madad.accounts.models import User; "
            "from madad.core.models import AuditEvent; from madad.core.audit import audit_verify; "
            "users = User.objects.filter(email__startswith='colleague'); "
            "ids = {str(pk) for pk in users.values_list('pk', flat=True)}; "
            "invited = set(AuditEvent.objects.filter(action='user.created', object_id__in=ids)"
            ".values_list('object_id', flat=True)); "
            "report = audit_verify(); "
            "print(json.dumps({'users': len(ids), 'audited': len(invited), "
            "'intact': report.intact, 'checked': report.checked}))",
            settings,
        ).splitlines()[-1]
    )
    expect(outcome["intact"], f"the audit chain is broken after SIGTERM: {outcome}")
    expect(
        outcome["users"] == outcome["audited"] and outcome["users"] >= written,
        f"SIGTERM left writes without their audit event: {outcome}, {written} answered",
    )
    say(
        f"SIGTERM during {WRITES} concurrent writes: {written} answered, {outcome['users']} whole "
        f"records each with its audit event, chain of {outcome['checked']} events sound"
    )


def lockout_across_servers(a: Server, b: Server, bearer: dict[str, str], secret: str) -> None:
    for attempt in range(6):
        server = (a, b)[attempt % 2]
        wrong = server.post(
            "/api/v1/auth/token",
            json={"email": ADMIN_EMAIL, "password": f"wrong {attempt}", "totp": totp_now(secret)},
        )
        expect(wrong.status_code == 401, f"a wrong password answered {wrong.status_code}")
    for server in (a, b):
        right = server.post(
            "/api/v1/auth/token",
            json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "totp": totp_now(secret)},
        )
        expect(
            right.status_code == 423 and right.json()["error"]["code"] == "locked",
            f"server {server.name} let a locked account in: {right.status_code} {right.text}",
        )
        expect(
            server.get("/api/v1/auth/me", headers=bearer).status_code == 401,
            f"the locked account's token still works on server {server.name}",
        )


if __name__ == "__main__":
    sys.exit(main())
