"""A throwaway instance of the app, as `make fuzz` (scripts/fuzz.py) and `make loadtest` (scripts/loadtest.py) run it:
a database of its own, the environment of a production run on loopback, manage.py, and gunicorn on a free port,
stopped with everything it started however the run ends.

Every message and exit names the script that failed (`fuzz: …`, `loadtest: …`).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCRIPT = Path(sys.argv[0]).stem
STOP_SECONDS = 20  # for gunicorn to finish its requests and stop its workers


def log(message: str) -> None:
    print(f"{SCRIPT}: {message}", flush=True)


def fail(message: str):
    sys.exit(f"{SCRIPT}: {message}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url: str, *, collected_static: bool) -> dict[str, str]:
    """The instance's environment: ours without any DJANGO_ setting or DATABASE_URL, then DEBUG off, plain HTTP on
    loopback, a secret key of its own and only errors logged. Without `collectstatic` (`collected_static` False),
    static files are served as they are, since the manifest storage of DEBUG off would find no manifest."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    if not collected_static:
        env["DJANGO_PLAIN_STATIC"] = "1"
    return env


def manage(env: dict, *args: str) -> str:
    """`manage.py ARGS` in the instance's environment; its output, or the run ends with what it said."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# --- A PostgreSQL database of its own -----------------------------------------------------------------------------


def database_name(url: str, must_contain: str) -> str:
    """The database `url` names; it must contain `must_contain`, since the instance drops it."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name) or must_contain not in name:
        fail(f"the database URL must name a database with '{must_contain}' in its name (it is dropped)")
    return name


def _admin(url: str, must_contain: str, *statements: str) -> None:
    """DROP/CREATE DATABASE statements for the database `url` names, through the server's `postgres` database."""
    import psycopg2
    from psycopg2 import sql

    name = sql.Identifier(database_name(url, must_contain))
    connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True  # DROP/CREATE DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(sql.SQL(statement).format(name))
    finally:
        connection.close()


def recreate_database(url: str, must_contain: str) -> None:
    _admin(url, must_contain, "DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {}")


def drop_database(url: str, must_contain: str) -> None:
    _admin(url, must_contain, "DROP DATABASE IF EXISTS {} WITH (FORCE)")


# --- gunicorn -----------------------------------------------------------------------------------------------------


@contextmanager
def gunicorn(env: dict, port: int, server_log: Path, options: tuple[str, ...]) -> Iterator[subprocess.Popen]:
    """gunicorn serving the app on 127.0.0.1:`port`, its output in `server_log`; on leaving, it and its workers are
    stopped (SIGTERM to its process group, SIGKILL if they outlive `STOP_SECONDS`)."""
    with server_log.open("w") as output:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "parkadmin.wsgi", "--bind", f"127.0.0.1:{port}", *options],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own: the workers are stopped with it
        )
    try:
        yield server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def wait_until_up(url: str, headers: dict | None = None, seconds: float = 60) -> None:
    """Until `url` answers 200, or the run ends after `seconds`."""
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(url, headers=headers or {})
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.5)
    fail(f"the server did not answer {url} within {seconds:.0f} s")
