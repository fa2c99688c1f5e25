#!/usr/bin/env python3
"""`make fuzz`: schemathesis against the REST API of a throwaway instance; any server error fails the run.

Steps: a temporary folder with a new SQLite database (or FUZZ_DATABASE_URL, a PostgreSQL database this script
may drop and create), migrate, the demo with its accounts, an API token for demo-admin, gunicorn on a free
loopback port with DEBUG off, then `schemathesis run` on /api/schema/ with the token, bounded in examples per
operation and in time. The server is stopped and the temporary files removed however the run ends.

Environment: FUZZ_MAX_EXAMPLES (default 25 per operation), FUZZ_MAX_SECONDS (default 600), FUZZ_SEED (default
20201028, for reproducible runs), FUZZ_CHECKS (default: the checks this API passes, see CHECKS),
FUZZ_DATABASE_URL (default: SQLite in the temporary folder), FUZZ_REPORT_DIR (keep the JUnit report and the
server log there).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Every response must not be a server error; beyond that, the conformance checks that hold for this API:
# content types and headers as the schema declares them, and bodies valid against the declared schemas.
CHECKS = "not_a_server_error,content_type_conformance,response_headers_conformance,response_schema_conformance"


# One worker: requests one at a time, so SQLite never refuses a write for a lock.
GUNICORN_OPTIONS = ("--workers", "1", "--timeout", "60", "--error-logfile", "-")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"fuzz: manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def wait_until_up(url: str, token: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    sys.exit(f"fuzz: the server did not answer {url} within {seconds:.0f} s")


def fresh_postgresql(url: str) -> None:
    """Drop and create the database FUZZ_DATABASE_URL names (through the server's `postgres` database)."""
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    if not re.fullmatch(r"[A-Za-z0-9_]+", name) or "fuzz" not in name:
        sys.exit("fuzz: FUZZ_DATABASE_URL must name a database with 'fuzz' in its name (it is dropped)")
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def server_errors(log: Path) -> list[str]:
    """The tracebacks the server logged, one per distinct last line."""
    text = log.read_text(errors="replace") if log.exists() else ""
    seen, found = set(), []
    for block in re.split(r"\n(?=Internal Server Error:|ERROR )", text):
        if "Traceback" not in block:
            continue
        last = block.strip().splitlines()[-1]
        if last not in seen:
            seen.add(last)
            found.append(block.strip())
    return found


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="parkadmin-fuzz-"))
    report_dir = Path(os.environ.get("FUZZ_REPORT_DIR") or work / "report")
    report_dir.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("FUZZ_DATABASE_URL") or f"sqlite:///{work / 'fuzz.sqlite3'}"
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_PLAIN_STATIC": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    server = None
    log = report_dir / "server.log"
    started = time.monotonic()
    try:
        if database_url.startswith("postgres"):
            fresh_postgresql(database_url)
        print(f"fuzz: a throwaway database ({database_url.split('://')[0]}), migrated, with the demo")
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "load_demo", "--with-accounts")
        token = manage(env, "drf_create_token", "demo-admin").split()[2]
        base = f"http://127.0.0.1:{port}"
        with log.open("w") as server_log:
            server = subprocess.Popen(
                [str(BIN / "gunicorn"), "parkadmin.wsgi", "--bind", f"127.0.0.1:{port}", *GUNICORN_OPTIONS],
                cwd=ROOT,
                env=env,
                stdout=server_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_up(f"{base}/api/schema/?format=json", token)
        print(f"fuzz: serving on {base} ({time.monotonic() - started:.0f} s to set up)")
        command = [
            str(BIN / "schemathesis"),
            "run",
            f"{base}/api/schema/?format=json",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            os.environ.get("FUZZ_CHECKS", CHECKS),
            "--max-examples",
            os.environ.get("FUZZ_MAX_EXAMPLES", "25"),
            "--max-time",
            os.environ.get("FUZZ_MAX_SECONDS", "600"),
            "--seed",
            os.environ.get("FUZZ_SEED", "20201028"),
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--suppress-health-check",
            "too_slow,filter_too_much",
            "--report",
            "junit",
            "--report-dir",
            str(report_dir),
        ]
        result = subprocess.run(command, cwd=work, check=False)
        errors = server_errors(log)
        if errors:
            print(f"\nfuzz: the server logged {len(errors)} distinct error(s):\n")
            for error in errors:
                print(error[-3000:], end="\n\n")
        print(f"fuzz: finished in {time.monotonic() - started:.0f} s; schemathesis exit code {result.returncode}")
        return result.returncode or (1 if errors else 0)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if database_url.startswith("postgres"):
            subprocess.run(
                [sys.executable, "-c", _DROP, database_url], cwd=ROOT, check=False, capture_output=True, text=True
            )
        shutil.rmtree(work, ignore_errors=True)


_DROP = """
import sys, psycopg2
from psycopg2 import sql
url = sys.argv[1]
name = url.rsplit("/", 1)[1].split("?")[0]
admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
admin.autocommit = True
admin.cursor().execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
"""


if __name__ == "__main__":
    sys.exit(main())
