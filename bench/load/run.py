"""The bounded load run: a scratch PostgreSQL database, gunicorn and a task worker on 127.0.0.1, then
locust headless, then everything stopped and the database dropped.

    .venv/bin/python -m bench.load.run [--users 100] [--spawn-rate 20] [--time 60s]      # the mixed run
    .venv/bin/python -m bench.load.run --scenario deadline-day [--worker-class sync|gthread] [--time 5m]

The mixed scenario (bench/load/locustfile.py) is a crowd: --users people clicking every few seconds,
on 2 sync workers. The deadline-day scenario (bench/load/deadline_day.py) is the service's real
population in the last hours before a due date, with think times from how people use forms; its number
of users comes from the data (every force's SPOCs, every region's coordinators, the chief officers and
national staff), and gunicorn runs as docs/deployment.md recommends for 2 cores: sync workers by the
(2 x cores) + 1 formula, or --worker-class gthread with one process per core and --threads threads.

Needs PostgreSQL (MSOIC_LOAD_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres) and locust
(the dev extras). Prints a Markdown table of requests, failures, p50 and p95 per endpoint, writes it and
locust's CSV files under var/load/<time>/, and exits non-zero if any request failed. Not part of make test.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import os
import secrets
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.stack import BIN, Stack, free_port, start

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def admin_sql(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement.encode())


def health_answered(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/health/")
    return connection.getresponse().status == 200


def summary(stats_csv: Path) -> tuple[str, int]:
    """A Markdown table from locust's *_stats.csv, and the total failure count."""
    lines = [
        "| endpoint | requests | failures | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    failures = 0
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Type"] else "**all**"
            label = f"{row['Type']} {name}".strip()
            if row["Name"] == "Aggregated":
                label, failures = "**all requests**", int(row["Failure Count"])
            lines.append(
                f"| {label} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} "
                f"| {row['99%']} | {float(row['Max Response Time']):.0f} |"
            )
    return "\n".join(lines), failures


def users_in(data_file: Path) -> int:
    """The deadline-day population: one locust user per person in the data, plus the two who sign in."""
    import json

    data = json.loads(data_file.read_text())
    people = ("spocs", "coordinators", "report_readers", "national")
    return sum(len(data[kind]) for kind in people) + 2  # SignInUser.fixed_count


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", choices=["mixed", "deadline-day"], default="mixed")
    parser.add_argument(
        "--users", type=int, default=None, help="mixed: default 100; deadline day: from the data"
    )
    parser.add_argument("--spawn-rate", type=int, default=None, help="default 20 (mixed), 5 (deadline day)")
    parser.add_argument("--time", default=None, help="default 60s (mixed), 5m (deadline day)")
    parser.add_argument(
        "--worker-class", choices=["sync", "gthread"], default="sync", help="gunicorn's worker model"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="default 2 (mixed); deadline day: (2 x cores) + 1 sync, cores gthread",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    args = parser.parse_args()
    deadline_day = args.scenario == "deadline-day"
    cores = os.cpu_count() or 1
    if args.workers is None:
        if not deadline_day:
            args.workers = 2
        else:
            args.workers = 2 * cores + 1 if args.worker_class == "sync" else cores
    args.spawn_rate = args.spawn_rate or (5 if deadline_day else 20)
    args.time = args.time or ("5m" if deadline_day else "60s")
    # docs/deployment.md's msoic-web unit: the deadline-day run uses the recommended options.
    gunicorn_options: tuple[str, ...] = ("--timeout=60",)
    if deadline_day:
        gunicorn_options = (
            "--timeout=60",
            "--max-requests=2000",
            "--max-requests-jitter=200",
            f"--worker-class={args.worker_class}",
        )
        if args.worker_class == "gthread":
            gunicorn_options += (f"--threads={args.threads}",)

    admin_url = os.environ.get("MSOIC_LOAD_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"msoic_load_{datetime.now(UTC):%Y%m%d%H%M%S}_{secrets.token_hex(3)}"
    database_url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    out = ROOT / "var" / "load" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msoic.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SERVICE_BASE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(out / "static"),
        "DJANGO_MEDIA_ROOT": str(out / "media"),
        "DJANGO_EMAIL_BACKEND": "file",
        "DJANGO_EMAIL_FILE_PATH": str(out / "mail"),
        # Plain HTTP on loopback, as `make serve` does: no HTTPS redirect, no Secure-only cookies.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "MSOIC_LOAD_DATA": str(out / "data.json"),
        "PYTHONPATH": str(ROOT),
    }
    stack: Stack | None = None
    admin_sql(admin_url, f'CREATE DATABASE "{name}"')
    try:
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        print("setting up data ...", flush=True)
        subprocess.run(  # noqa: S603
            [sys.executable, str(HERE / "setup_data.py"), env["MSOIC_LOAD_DATA"], args.scenario],
            cwd=ROOT,
            env=env,
            check=True,
        )
        with (out / "gunicorn.log").open("wb") as web_log, (out / "worker.log").open("wb") as worker_log:
            stack = start(
                env=env,
                port=port,
                web_output=web_log,
                worker_output=worker_log,
                workers=args.workers,
                worker_interval=0.5,
                gunicorn_options=gunicorn_options,
            )
            stack.wait_until(lambda: health_answered(port), seconds=60, every=0.3)
            if args.users is None:
                args.users = users_in(Path(env["MSOIC_LOAD_DATA"])) if deadline_day else 100
            load_before = os.getloadavg()
            locustfile = "deadline_day.py" if deadline_day else "locustfile.py"
            print(
                f"locust: {args.users} users, {args.spawn_rate}/s, {args.time} against 127.0.0.1:{port}",
                flush=True,
            )
            subprocess.run(  # noqa: S603
                [str(BIN / "locust"), "-f", str(HERE / locustfile), "--headless",
                 "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time,
                 "--host", f"http://127.0.0.1:{port}", "--csv", str(out / "locust"), "--only-summary",
                 "--stop-timeout", "10", "--exit-code-on-error", "0"],
                cwd=ROOT, env=env, check=True,
            )  # fmt: skip
    finally:
        if stack is not None:
            stack.stop()
        admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    table, failures = summary(out / "locust_stats.csv")
    load_after = os.getloadavg()
    model = (
        f"{args.workers} gthread workers x {args.threads} threads"
        if args.worker_class == "gthread" and deadline_day
        else f"{args.workers} sync workers"
    )
    header = (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {cores} cores, scenario {args.scenario}, "
        f"gunicorn {model} + 1 db_worker, PostgreSQL on the same host; "
        f"{args.users} users, spawn {args.spawn_rate}/s, {args.time}; load average (1 min) "
        f"{load_before[0]:.1f} before the run, {load_after[0]:.1f} after"
    )
    (out / "summary.md").write_text(f"{header}\n\n{table}\n")
    print(f"\n{header}\n\n{table}\n\nfiles: {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
