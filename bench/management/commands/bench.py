"""`manage.py bench --scale 1,10`: how fast the pages, exports and imports are on synthetic zones of each size.

For each scale the benchmark works in a database of its own (PostgreSQL: `parkadmin_bench_s<scale>` on the server
of `--database-url`; SQLite: `parkadmin_bench_s<scale>.sqlite3` beside the given file, by default under bench/),
never in the configured one. It creates and migrates that database, fills it with `generate_sample_data` (unless
the same scale and seed are already there), then measures in child processes running the production settings
(DEBUG off) against it:

- the pages and API lists of `bench.scenarios` through Django's test client, signed in as a superuser: warm-up
  requests, then `--repeat` timed ones; the median and 95th percentile of the server time, the number of queries
  and the time spent in them (`sql_ms`); beside each list, the Django admin changelist of the same model, page
  size, filter and order;
- CSV and XLSX exports of all enterprises and all enterprise-years: rows per second and the peak memory of the
  process (one process per export);
- `import_data enterprise-years` of 10,000 new rows (rolled back afterwards): validated rows per second.

It prints a table and writes the results as JSON (`--output`, default bench/results.json).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.measure import Worker, database_label, row_counts
from bench.scenarios import EXPORT_CHOICES
from parkadmin.databases import ensure_database, manage, refresh_statistics

DEFAULT_SEED = 42


# --- where ------------------------------------------------------------------------------------------------------


def postgres_reachable(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        import psycopg2

        psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres", connect_timeout=2).close()
    except Exception:
        return False
    return True


def default_database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if postgres_reachable():
        return "postgres://postgres@127.0.0.1:5432/postgres"
    return f"sqlite:///{Path(settings.BASE_DIR) / 'bench' / 'parkadmin_bench.sqlite3'}"


def scale_tag(scale: float) -> str:
    return f"s{scale:g}".replace(".", "_")


def bench_database_url(base_url: str, scale: float) -> str:
    """The benchmark's own database for `scale`, on the server (or in the folder) of `base_url`."""
    parts = urlsplit(base_url)
    name = f"parkadmin_bench_{scale_tag(scale)}"
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        folder = path.parent if parts.path not in ("", "/", "/:memory:") else Path(settings.BASE_DIR) / "bench"
        return f"sqlite:///{folder.resolve() / (name + '.sqlite3')}"
    if parts.scheme.startswith(("postgres", "pgsql")):
        return parts._replace(path="/" + name).geturl()
    raise CommandError(f"The benchmark runs on PostgreSQL or SQLite, not {parts.scheme}.")


def parse_scales(text: str) -> list[float]:
    try:
        scales = [float(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise CommandError(f"--scale takes numbers separated by commas, not {text!r}.") from error
    if not scales or any(scale <= 0 for scale in scales):
        raise CommandError("Every scale must be more than 0.")
    return scales


# --- the table --------------------------------------------------------------------------------------------------


def table(runs: list[dict], notes: dict[tuple[float, str], str]) -> str:
    header = [
        "name",
        "median ms",
        "p95 ms",
        "queries",
        "SQL ms",
        "rows/s",
        "peak MB",
        "baseline",
        "base ms",
        "base q",
        "note",
    ]
    lines = []
    for run in runs:
        lines.append("")
        lines.append(f"scale {run['scale']:g}: " + ", ".join(f"{k} {v:,}" for k, v in run["rows"].items()))
        body = [header]
        for m in run["measurements"]:
            base = m.get("baseline") or {}
            body.append(
                [
                    m["name"],
                    _cell(m["median_ms"]),
                    _cell(m["p95_ms"]),
                    _cell(m["queries"]),
                    _cell(m["sql_ms"]),
                    _cell(m["rows_per_s"]),
                    _cell(m["peak_mem_mb"]),
                    base.get("name", ""),
                    _cell(base.get("median_ms")),
                    _cell(base.get("queries")),
                    notes.get((run["scale"], m["name"]), ""),
                ]
            )
        widths = [max(len(str(row[i])) for row in body) for i in range(len(header))]
        for number, row in enumerate(body):
            lines.append(
                "  ".join(
                    str(cell).ljust(width) if i in (0, 7, 10) else str(cell).rjust(width)
                    for i, (cell, width) in enumerate(zip(row, widths, strict=True))
                ).rstrip()
            )
            if number == 0:
                lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 100_000 else f"{value:,.0f}"
    return f"{value:,}"


# --- the command ------------------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Benchmark the dashboard, the lists, the API, exports and imports on synthetic zones (1 = a realistic zone), "
        "each in a database of its own; prints a table and writes bench/results.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="1,10", help="Comma-separated scales (default 1,10).")
        parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page (default 20).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed of the sample data (default 42).")
        parser.add_argument(
            "--database-url",
            help="Server (PostgreSQL) or folder (SQLite) of the benchmark's databases; default: DATABASE_URL, else "
            "PostgreSQL at 127.0.0.1:5432 if it answers, else SQLite under bench/.",
        )
        parser.add_argument("--output", default="bench/results.json", help="Where to write the JSON results.")
        parser.add_argument("--skip-exports", action="store_true", help="Measure pages only.")
        # Internal: a child process measuring inside one benchmark database.
        parser.add_argument("--worker", choices=["pages", "export", "import"], help="(internal)")
        parser.add_argument("--what", default="", help="(internal) the export to measure")
        parser.add_argument("--result", help="(internal) where a worker writes its measurements")

    def handle(self, *args, **options):
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1.")
        if options["worker"]:
            return self.work(options)
        scales = parse_scales(options["scale"])
        base_url = options["database_url"] or default_database_url()
        output = Path(options["output"])
        if not output.is_absolute():
            output = Path(settings.BASE_DIR) / output
        runs, notes, database = [], {}, ""
        for scale in scales:
            url = bench_database_url(base_url, scale)
            self.stdout.write(self.style.MIGRATE_HEADING(f"Scale {scale:g}: {redact(url)}"))
            started = time.perf_counter()
            if ensure_database(url):
                self.stdout.write("  created the database")
            if manage(["migrate", "--no-input", "--verbosity", "0"], url).returncode:
                raise CommandError(f"Could not migrate {redact(url)}.")
            generate = ["generate_sample_data", "--scale", f"{scale:g}", "--seed", str(options["seed"]), "--replace"]
            if manage(generate, url).returncode:
                raise CommandError(f"Could not generate the sample data in {redact(url)}.")
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            self.stdout.write(f"  data ready in {time.perf_counter() - started:.0f} s; measuring (load average {load})")
            common = ["--scale", f"{scale:g}", "--repeat", str(options["repeat"])]
            pages = self.child(["--worker", "pages", *common], url)
            database = pages["database"]
            measurements = pages["measurements"]
            if not options["skip_exports"]:
                for what in EXPORT_CHOICES:
                    measurements += self.child(["--worker", "export", "--what", what, *common], url)["measurements"]
                measurements += self.child(["--worker", "import", *common], url)["measurements"]
            for m in measurements:
                notes[(scale, m["name"])] = m.pop("note", "")
            shown = int(scale) if scale.is_integer() else scale
            runs.append({"scale": shown, "rows": pages["rows"], "measurements": measurements})
        result = {"database": database, "runs": runs}
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(table(runs, notes))
        self.stdout.write("")
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(
            f"{database}; {os.cpu_count()} CPUs, {memory_gb():.0f} GB, Python {platform.python_version()}; "
            f"load average at the end {load}. Written to {output}"
        )

    def child(self, args: list[str], url: str) -> dict:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            result_path = handle.name
        try:
            done = manage(["bench", *args, "--result", result_path], url)
            if done.returncode:
                raise CommandError(f"The benchmark step {' '.join(args)} failed.")
            return json.loads(Path(result_path).read_text(encoding="utf-8"))
        finally:
            os.unlink(result_path)

    def work(self, options) -> None:
        scale = float(options["scale"])
        worker = Worker(options["repeat"], self.stdout)
        result: dict = {}
        if options["worker"] == "pages":
            # A steady state, as autovacuum leaves it: earlier runs' rolled-back imports leave dead rows behind.
            refresh_statistics()
            result["rows"] = row_counts()
            result["database"] = database_label()
            measurements = worker.pages()
        elif options["worker"] == "export":
            measurements = [worker.export(options["what"])]
        else:
            measurements = [worker.import_rows(scale)]
        result["measurements"] = [{**m.as_json(), "note": m.note} for m in measurements]
        Path(options["result"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def memory_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        return 0.0


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Run it as `manage.py bench`.")
