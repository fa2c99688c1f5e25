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
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from instance import BIN, drop_database, environment, free_port, gunicorn, log, manage, recreate_database, wait_until_up

# Every response must not be a server error; beyond that, the conformance checks that hold for this API:
# content types and headers as the schema declares them, and bodies valid against the declared schemas.
CHECKS = "not_a_server_error,content_type_conformance,response_headers_conformance,response_schema_conformance"


# One worker: requests one at a time, so SQLite never refuses a write for a lock.
GUNICORN_OPTIONS = ("--workers", "1", "--timeout", "60", "--error-logfile", "-")
DATABASE_MARK = "fuzz"  # FUZZ_DATABASE_URL must name a database with it in its name: the run drops it


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
    postgresql = database_url.startswith("postgres")
    port = free_port()
    env = environment(database_url, collected_static=False)
    log_path = report_dir / "server.log"
    started = time.monotonic()
    try:
        if postgresql:
            recreate_database(database_url, DATABASE_MARK)
        log(f"a throwaway database ({database_url.split('://')[0]}), migrated, with the demo")
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "load_demo", "--with-accounts")
        token = manage(env, "drf_create_token", "demo-admin").split()[2]
        base = f"http://127.0.0.1:{port}"
        with gunicorn(env, port, log_path, GUNICORN_OPTIONS):
            wait_until_up(f"{base}/api/schema/?format=json", {"Authorization": f"Token {token}"})
            log(f"serving on {base} ({time.monotonic() - started:.0f} s to set up)")
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
        errors = server_errors(log_path)
        if errors:
            print(f"\nfuzz: the server logged {len(errors)} distinct error(s):\n")
            for error in errors:
                print(error[-3000:], end="\n\n")
        log(f"finished in {time.monotonic() - started:.0f} s; schemathesis exit code {result.returncode}")
        return result.returncode or (1 if errors else 0)
    finally:
        if postgresql:
            drop_database(database_url, DATABASE_MARK)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
