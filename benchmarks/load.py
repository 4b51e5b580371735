"""Load benchmark: Roadshow on PostgreSQL with 2 workers against the framework's ceiling.

    python benchmarks/load.py [--concurrency 50] [--duration 10] [--no-cache] [--keep]
        [--driver auto|wrk|aiohttp]

Creates a throw-away PostgreSQL database (127.0.0.1:5432, user postgres), migrates, seeds and
fills it with a realistic data set (benchmarks/load_data.py), starts `roadshow serve --workers 2`
and a bare FastAPI app under the same uvicorn settings, then drives each target from a separate
process with 50 keep-alive connections. The GETs are driven by wrk when it is installed (Debian's
``wrk``: what the targets were set with; one thread, a 2-second warm-up, the JSON line of
benchmarks/wrk_report.lua), else by benchmarks/load_driver.py (aiohttp), which spends about
1.3 ms of CPU per request on the same 2 cores as the servers: a lower ceiling and higher
latencies. The registration POSTs, each with a new company, always use load_driver.py. Each GET
must first answer 200 to one untimed request (wrk counts a redirect as a success). Prints, per
target, its driver, requests per second, p50/p95/p99 latency, errors, and the ratio to the bare
endpoint when the same driver measured both; then checks that no stop holds more confirmed or
held registrations than its capacity.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.accounts.service import Signer
from app.db import make_engine, session_scope
from benchmarks.in_process import prepare
from benchmarks.load_data import ORGANISER_EMAIL, ORGANISER_PASSWORD

ADMIN_DSN = os.environ.get("ROADSHOW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "load-benchmark-secret-" + "x" * 20
OVER_CAPACITY = """
    SELECT s.id, s.capacity, count(r.id) FROM stop s
    JOIN registration r ON r.stop_id = s.id AND r.status IN ('pending', 'confirmed')
    GROUP BY s.id, s.capacity HAVING count(r.id) > s.capacity
"""
PUBLIC_TARGET_RATIO = 0.40
P99_TARGET_MS = 100.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 180  # a busy machine takes a while to start two workers
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


WRK_REPORT = ROOT / "benchmarks" / "wrk_report.lua"
WARMUP_SECONDS = 2


def drive_wrk(url: str, args: argparse.Namespace, headers: list[str]) -> dict[str, object]:
    command = ["wrk", "--threads", "1", "--connections", str(args.concurrency), "--timeout", "30s"]
    for header in headers:
        command += ["--header", header]
    subprocess.run([*command, "--duration", f"{WARMUP_SECONDS}s", url], capture_output=True, check=True)
    done = subprocess.run(
        [*command, "--duration", f"{args.duration:g}s", "--script", str(WRK_REPORT), url],
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def require_ok(url: str, headers: list[str]) -> None:
    """One untimed GET, redirects not followed, must answer 200: wrk counts a 3xx as a success, so a
    rejected session cookie would otherwise measure the redirect to the sign-in page."""
    pairs = {name.strip(): value.strip() for name, _, value in (h.partition(":") for h in headers)}
    answer = httpx.get(url, headers=pairs, follow_redirects=False, timeout=30)
    if answer.status_code != 200:
        raise SystemExit(f"GET {url} answered {answer.status_code}, not 200: nothing measured")


def drive(url: str, args: argparse.Namespace, headers: list[str], *post: str) -> dict[str, object]:
    """One target's run: a GET with ``headers``, or with ``post`` (load_driver.py's options) a POST.
    The report names the driver that made it."""
    if not post:
        require_ok(url, headers)
    if args.driver == "wrk" and not post:
        return {**drive_wrk(url, args, headers), "driver": "wrk"}
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "load_driver.py"),
        url,
        "--concurrency",
        str(args.concurrency),
        "--duration",
        str(args.duration),
        *(option for header in headers for option in ("--header", header)),
        *post,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return {**report, "driver": "aiohttp"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="serve every public page fresh (ROADSHOW_PUBLIC_CACHE_SECONDS=0)",
    )
    parser.add_argument(
        "--driver",
        choices=["auto", "wrk", "aiohttp"],
        default="auto",
        help="what drives the GETs: wrk (auto, when installed) or benchmarks/load_driver.py",
    )
    args = parser.parse_args()
    if args.driver == "auto":
        args.driver = "wrk" if shutil.which("wrk") else "aiohttp"
    elif args.driver == "wrk" and shutil.which("wrk") is None:
        parser.error("--driver wrk: wrk is not installed (apt-get install -y wrk)")

    name = f"roadshow_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    database_url = ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    servers: list[subprocess.Popen[bytes]] = []
    try:
        print(f"Preparing {name}: migrate, seed, populate...", flush=True)
        facts = prepare(database_url)
        engine = make_engine(database_url)
        print("Data set:", {k: v for k, v in facts.items() if not k.endswith("_id")}, flush=True)
        print(f"GETs driven by {args.driver}; registrations by load_driver.py (aiohttp)", flush=True)

        env = {
            **os.environ,
            "ROADSHOW_DATABASE_URL": database_url,
            "ROADSHOW_SECRET_KEY": SECRET,
            "ROADSHOW_ENVIRONMENT": "production",
            "ROADSHOW_BASE_URL": "http://127.0.0.1",
        }
        if args.no_cache:
            env["ROADSHOW_PUBLIC_CACHE_SECONDS"] = "0"
        app_port, bare_port = free_port(), free_port()
        roadshow = [sys.executable, "-m", "app.cli", "serve", "--port", str(app_port), "--workers", "2"]
        bare = [
            sys.executable,
            "-m",
            "uvicorn",
            "benchmarks.bare_app:app",
            "--port",
            str(bare_port),
            "--workers",
            "2",
            "--no-access-log",
        ]
        servers += [start(roadshow, env), start(bare, env)]
        app_url, bare_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}"
        wait_until_up(app_url + "/healthz")
        wait_until_up(bare_url + "/")

        token = httpx.post(
            app_url + "/api/auth/token", data={"username": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}
        ).json()["access_token"]
        with session_scope(engine, write=False) as db_session:
            from app.accounts.models import User

            company_user = db_session.get(User, facts["company_user_id"])
            assert company_user is not None
            company_cookie = Signer(SECRET).session_cookie(company_user)
            consul_user = db_session.get(User, facts["consul_user_id"])
            assert consul_user is not None
            consul_cookie = Signer(SECRET).session_cookie(consul_user)
        stop_id = facts["first_stop_id"]
        registration_body = json.dumps(
            {
                "company": {
                    "name": "Azienda nuova {n}",
                    "vat_number": "{vat}",
                    "email": "new{n}@bench.example.org",
                    "province": "MI",
                    "sector": "mechanics",
                },
                "attendees": 1,
                "countries": [],
            }
        )
        # (label, URL, headers, load_driver.py options that make it a POST)
        targets: list[tuple[str, str, list[str], list[str]]] = [
            ("bare FastAPI endpoint (ceiling)", bare_url + "/", [], []),
            ("calendar page GET /", app_url + "/", [], []),
            ("stop page GET /stops/{id}", f"{app_url}/stops/{stop_id}", [], []),
            ("GET /api/stops", app_url + "/api/stops", [], []),
            (
                "personal agenda GET /my/stops/{id}/agenda",
                f"{app_url}/my/stops/{stop_id}/agenda",
                [f"Cookie: roadshow_session={company_cookie}"],
                [],
            ),
            (
                "consul day GET /consul/stops/{id}/agenda",
                f"{app_url}/consul/stops/{stop_id}/agenda",
                [f"Cookie: roadshow_session={consul_cookie}"],
                [],
            ),
            (
                "registration POST /api/stops/{id}/registrations",
                f"{app_url}/api/stops/{stop_id + 1}/registrations",
                [f"Authorization: Bearer {token}"],
                ["--method", "POST", "--body-template", registration_body, "--warmup", "0"],
            ),
        ]
        results = []
        for label, url, headers, post in targets:
            result = drive(url, args, headers, *post)
            results.append((label, result))
            print(f"  measured {label}: {result['rps']} req/s", flush=True)
        ceiling = results[0][1]
        print()
        columns = (
            ("driver", 7),
            ("req/s", 8),
            ("ratio", 6),
            ("p50", 8),
            ("p95", 8),
            ("p99", 8),
            ("errors", 7),
        )
        print(f"{'target':52} " + " ".join(f"{name:>{width}}" for name, width in columns))
        for label, r in results:
            # A ratio only compares runs of the same driver: the POSTs' aiohttp against wrk's ceiling
            # would divide two different clients' costs.
            comparable = r["driver"] == ceiling["driver"] and float(ceiling["rps"]) > 0  # type: ignore[arg-type]
            ratio = f"{float(r['rps']) / float(ceiling['rps']):.2f}" if comparable else "-"  # type: ignore[arg-type]
            print(
                f"{label:52} {r['driver']:>7} {r['rps']:>8} {ratio:>6} {r['p50']:>6}ms {r['p95']:>6}ms "
                f"{r['p99']:>6}ms {r['errors']:>7}  {r['statuses']}"
            )
        with session_scope(engine, write=False) as db_session:
            over = db_session.exec(text(OVER_CAPACITY)).all()  # type: ignore[call-overload]
        print()
        print("Stops over capacity after the run:", len(over))
        engine.dispose()
        return 0
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        if not args.keep:
            with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
