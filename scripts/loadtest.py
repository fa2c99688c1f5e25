#!/usr/bin/env python3
"""`make loadtest`: the production setup under a mixed load, with PostgreSQL restarted in the middle.

1. A database of its own on the local PostgreSQL (LOAD_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/parkadmin_load; dropped and created), migrated, with the demo and its accounts.
2. The app as `make serve` runs it: collectstatic, then gunicorn with DEBUG off (plain HTTP on loopback).
3. LOAD_READERS (24) users, each signed in through the login form with their own session, read pages and the API;
   LOAD_WRITERS (3) scripts, each with an API token, create enterprise problems and note every id acknowledged
   with 201. For LOAD_SECONDS (60).
4. At LOAD_RESTART_AT (30 s) PostgreSQL is restarted (`pg_ctlcluster ... restart -m fast`): every connection is cut.
5. Then: no error later than LOAD_GRACE_SECONDS (10) after the restart ended, every acknowledged write is in the
   database, and the figures: latency p50/p95/max, requests per second, errors before, around and after the restart.

Exit status 0 only if both promises hold. LOAD_RESTART_AT=0 runs the load without the restart (a baseline).
LOAD_REPORT=path writes the figures as JSON. Needs root (or the postgres user) for pg_ctlcluster; touches nothing
but its own database, its own gunicorn and the restart.
Not run by CI: it restarts the machine's PostgreSQL.
"""

from __future__ import annotations

import datetime
import http.client
import http.cookiejar
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

from instance import (
    database_name,
    drop_database,
    environment,
    free_port,
    gunicorn,
    log,
    manage,
    recreate_database,
    wait_until_up,
)

DATABASE_MARK = "load"  # LOAD_DATABASE_URL must name a database with it in its name: the run drops it
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/parkadmin_load")
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
RESTART_AT = float(os.environ.get("LOAD_RESTART_AT", "30"))
GRACE = float(os.environ.get("LOAD_GRACE_SECONDS", "10"))
READERS = int(os.environ.get("LOAD_READERS", "24"))
WRITERS = int(os.environ.get("LOAD_WRITERS", "3"))
WORKERS = int(os.environ.get("LOAD_WORKERS", os.environ.get("WEB_CONCURRENCY", "4")))
THINK = float(os.environ.get("LOAD_THINK_MS", "100")) / 1000
PASSWORD = "parkadmin-demo"
READER_ACCOUNTS = ("demo-admin", "demo-staff", "demo-official")

# What people open, and what scripts read (weights: dashboard and lists most).
PAGES = [
    ("/", 4),
    ("/enterprises/", 3),
    ("/enterprises/{enterprise}/", 2),
    ("/enterprises/service-requests/", 2),
    ("/projects/", 2),
    ("/projects/board/", 1),
    ("/projects/{project}/", 1),
    ("/indicators/", 2),
    ("/indicators/fiscal_revenue/", 1),
    ("/indicators/values/", 1),
    ("/my-work/", 1),
    ("/history/", 1),
    ("/dashboard/screen/", 1),
    ("/enterprises/?q=科技&export=csv", 1),
    ("/api/enterprises/", 2),
    ("/api/service-requests/?ordering=-raised_on", 2),
    ("/api/projects/", 1),
    ("/api/indicators/fiscal_revenue/series/", 1),
    ("/api/dashboard/?year=2019", 1),
]


@dataclass
class Sample:
    at: float  # seconds since the load started, when the request was sent
    seconds: float
    kind: str  # page, api, write
    path: str
    status: int  # 0: no answer (connection refused, reset, timed out)
    error: str = ""

    @property
    def failed(self) -> bool:
        # NoRedirect turns a redirect into an HTTPError(3xx): a reader sent to the login page lost its session.
        return self.status == 0 or self.status >= 300


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to count (a lost session sends readers to the login page), not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


def restart_postgresql() -> tuple[float, float]:
    """Restart the local cluster, cutting every connection; returns when it began and ended (monotonic)."""
    version = sorted(os.listdir("/etc/postgresql"))[0]
    began = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return began, time.monotonic()


class Client:
    """One user of the site: a session of their own (cookies), requests timed."""

    def __init__(self, base: str, samples: list[Sample], lock: threading.Lock, started: float):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.samples, self.lock, self.started = samples, lock, started
        self.headers: dict[str, str] = {}

    def request(self, kind: str, path: str, data: bytes | None = None, headers: dict | None = None, record=True):
        url = self.base + urllib.parse.quote(path, safe="/?=&%:")
        request = urllib.request.Request(url, data=data, headers={**self.headers, **(headers or {})})
        sent = time.monotonic()
        status, body, error = 0, b"", ""
        try:
            with self.opener.open(request, timeout=30) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as answer:
            status, body = answer.code, answer.read()
            error = body[:200].decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, http.client.HTTPException) as failure:
            error = repr(failure)[:200]
        if record:
            sample = Sample(sent - self.started, time.monotonic() - sent, kind, path.split("?")[0], status, error)
            with self.lock:
                self.samples.append(sample)
        return status, body

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def log_in(self, username: str) -> None:
        status, page = self.request("page", "/accounts/login/", record=False)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page answered {status}")
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
        ).encode()
        status, _body = self.request(
            "page",
            "/accounts/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + "/accounts/login/"},
            record=False,
        )
        if status != 302 or not self.cookie("sessionid"):
            raise RuntimeError(f"{username} could not log in ({status})")

    def use_token(self, username: str) -> None:
        form = urllib.parse.urlencode({"username": username, "password": PASSWORD}).encode()
        status, body = self.request("api", "/api/auth/token/", form, record=False)
        if status != 200:
            raise RuntimeError(f"no token for {username} ({status})")
        self.headers = {"Authorization": f"Token {json.loads(body)['token']}"}


def reader(client: Client, stop: threading.Event, ids: dict, rng: random.Random) -> None:
    paths, weights = zip(*PAGES, strict=True)
    while not stop.is_set():
        path = rng.choices(paths, weights)[0].format(
            enterprise=rng.choice(ids["enterprises"]), project=rng.choice(ids["projects"])
        )
        client.request("api" if path.startswith("/api/") else "page", path)
        stop.wait(rng.uniform(0, 2 * THINK))


def writer(client: Client, stop: threading.Event, ids: dict, acknowledged: list, rng: random.Random, name: str):
    number = 0
    while not stop.is_set():
        number += 1
        title = f"负载测试 {name}-{number}"
        body = json.dumps(
            {
                "enterprise": rng.choice(ids["enterprises"]),
                "title": title,
                "category": rng.choice(["financing", "land", "labour", "approval", "other"]),
                "raised_on": datetime.date.today().isoformat(),
                "description": "load test",
            }
        ).encode()
        status, answer = client.request("write", "/api/service-requests/", body, {"Content-Type": "application/json"})
        if status == 201:
            acknowledged.append((json.loads(answer)["id"], title))
        stop.wait(rng.uniform(0, 4 * THINK))


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples: list[Sample]) -> dict:
    seconds = [s.seconds for s in samples if not s.failed]
    return {
        "requests": len(samples),
        "errors": sum(s.failed for s in samples),
        "p50_ms": round(percentile(seconds, 0.50) * 1000),
        "p95_ms": round(percentile(seconds, 0.95) * 1000),
        "max_ms": round(max(seconds, default=0) * 1000),
    }


def main() -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = environment(DATABASE_URL, collected_static=True)
    server_log = Path(os.environ.get("LOAD_SERVER_LOG", f"/tmp/parkadmin-loadtest-{port}.log"))
    recreate_database(DATABASE_URL, DATABASE_MARK)
    try:
        # As `make serve` runs it: collected static files, sync workers, the same timeout.
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "load_demo", "--with-accounts")
        log(f"database {database_name(DATABASE_URL, DATABASE_MARK)}: created, migrated, demo loaded")
        gunicorn_options = ("--workers", str(WORKERS), "--timeout", "120", "--error-logfile", "-")
        with gunicorn(env, port, server_log, gunicorn_options):
            wait_until_up(base + "/accounts/login/")
            return run(base, server_log)
    finally:
        if os.environ.get("LOAD_KEEP_DATABASE") != "1":
            drop_database(DATABASE_URL, DATABASE_MARK)


def run(base: str, server_log: Path) -> int:
    import psycopg2

    with closing(psycopg2.connect(DATABASE_URL)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id FROM enterprises_enterprise ORDER BY id")
        ids = {"enterprises": [row[0] for row in cursor.fetchall()]}
        cursor.execute("SELECT id FROM projects_project ORDER BY id")
        ids["projects"] = [row[0] for row in cursor.fetchall()]
    samples: list[Sample] = []
    lock = threading.Lock()
    acknowledged: list[tuple[int, str]] = []
    stop = threading.Event()
    readers, writers = [], []
    for number in range(READERS):
        client = Client(base, samples, lock, 0.0)
        client.log_in(READER_ACCOUNTS[number % len(READER_ACCOUNTS)])
        readers.append(client)
    for _number in range(WRITERS):
        client = Client(base, samples, lock, 0.0)
        client.use_token("demo-staff")
        writers.append(client)
    log(f"{READERS} readers signed in, {WRITERS} writers with tokens; {SECONDS:.0f} s of load on {WORKERS} workers")
    started = time.monotonic()
    threads = []
    for number, client in enumerate(readers):
        client.started = started
        threads.append(threading.Thread(target=reader, args=(client, stop, ids, random.Random(number)), daemon=True))
    for number, client in enumerate(writers):
        client.started = started
        args = (client, stop, ids, acknowledged, random.Random(1000 + number), f"w{number}")
        threads.append(threading.Thread(target=writer, args=args, daemon=True))
    for thread in threads:
        thread.start()
    if 0 < RESTART_AT < SECONDS:
        time.sleep(max(0.0, RESTART_AT - (time.monotonic() - started)))
        log(f"restarting PostgreSQL at {time.monotonic() - started:.1f} s")
        began, ended = restart_postgresql()
        restart = (began - started, ended - started)
        log(f"PostgreSQL back at {restart[1]:.1f} s (restart took {restart[1] - restart[0]:.1f} s)")
    else:  # LOAD_RESTART_AT=0: the load alone, as a baseline
        restart = (SECONDS, SECONDS)
    time.sleep(max(0.0, SECONDS - (time.monotonic() - started)))
    stop.set()
    for thread in threads:
        thread.join(timeout=40)
    elapsed = time.monotonic() - started
    return report(samples, acknowledged, restart, elapsed, server_log)


def report(samples, acknowledged, restart, elapsed, server_log: Path) -> int:
    import psycopg2

    began, ended = restart
    before = [s for s in samples if s.at < began]
    around = [s for s in samples if began <= s.at <= ended + GRACE]
    after = [s for s in samples if s.at > ended + GRACE]
    late_errors = [s for s in after if s.failed]
    ids = [number for number, _title in acknowledged]
    with closing(psycopg2.connect(DATABASE_URL)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, title FROM enterprises_servicerequest WHERE id = ANY(%s)", [ids])
        stored = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM enterprises_servicerequest WHERE title LIKE %s", ["负载测试 %"])
        written = cursor.fetchone()[0]
    missing = [(number, title) for number, title in acknowledged if stored.get(number) != title]
    figures = {
        "duration_s": round(elapsed, 1),
        "readers": READERS,
        "writers": WRITERS,
        "gunicorn_workers": WORKERS,
        "restart_s": [round(began, 1), round(ended, 1)],
        "requests_per_s": round(len(samples) / elapsed, 1),
        "all": summary(samples),
        "pages": summary([s for s in samples if s.kind == "page"]),
        "api_reads": summary([s for s in samples if s.kind == "api"]),
        "writes": summary([s for s in samples if s.kind == "write"]),
        "errors_before_restart": sum(s.failed for s in before),
        "errors_within_grace": sum(s.failed for s in around),
        "errors_after_grace": len(late_errors),
        "error_statuses": dict(sorted(_count(s.status for s in samples if s.failed).items())),
        "last_error_after_restart_s": round(max((s.at - ended for s in samples if s.failed), default=0), 1),
        "writes_acknowledged": len(acknowledged),
        "writes_in_database": written,
        "acknowledged_missing": len(missing),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if os.environ.get("LOAD_REPORT"):
        Path(os.environ["LOAD_REPORT"]).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    for sample in late_errors[:10]:
        log(f"late error: {asdict(sample)}")
    for number, title in missing[:10]:
        log(f"acknowledged but missing: {number} {title}")
    tracebacks = server_log.read_text(errors="replace").count("Traceback") if server_log.exists() else 0
    log(f"server log {server_log}: {tracebacks} traceback(s)")
    ok = not late_errors and not missing and acknowledged
    log("PASS" if ok else "FAIL")
    return 0 if ok else 1


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


if __name__ == "__main__":
    sys.exit(main())
