"""Organisers' pages on the benchmark data set, for one organiser signed in.

    python benchmarks/organiser_pages.py [--requests 30] [--postgres]

Builds the data set (benchmarks/load_data.py: 30 stops, 3,000 companies, 10,000 registrations,
and a first stop with a full B2B day of 720 meetings) in a throw-away database (SQLite in a
temporary folder by default; ``--postgres`` creates and drops a uniquely named database on
127.0.0.1:5432, user postgres), signs in as the organiser, sends sequential GETs through the ASGI
app and prints each page's p50 and p95 against the target (p50 under 150 ms). The meetings grid
is measured twice, the clock set to 10:00 (Rome): the day before the stop, and on its day, when
it also holds an attendance form for each meeting (each checked to be there, or not, first).
"""

import argparse
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import clock
from app.accounts.models import User
from app.accounts.service import Signer
from app.db import make_engine
from app.stops.models import Stop
from app.web import SESSION_COOKIE
from benchmarks.in_process import (
    SECRET,
    app_on,
    known_facts,
    percentile,
    prepare,
    throwaway_database,
    timed,
)
from benchmarks.load_data import ORGANISER_EMAIL

TARGET_P50_MS = 150.0
# (name, path, the day measured on as days from the stop's, or None for today)
PAGES = [
    ("dashboard", "/manage", None),
    ("registrations table", "/manage/stops/{stop}/registrations", None),
    ("meetings grid", "/manage/stops/{stop}/meetings", -1),
    ("meetings grid, its day", "/manage/stops/{stop}/meetings", 0),
    ("results", "/manage/results", None),
]
ATTENDANCE_FORM = '/attendance" class="inline-form"'
ATTENDANCE_CLOSED = 'id="attendance-closed"'


def organiser_cookie(database_url: str) -> str:
    engine = make_engine(database_url)
    try:
        with Session(engine) as db_session:
            organiser = db_session.exec(select(User).where(User.email == ORGANISER_EMAIL)).first()
            assert organiser is not None
            return Signer(SECRET).session_cookie(organiser)
    finally:
        engine.dispose()


@contextmanager
def on_day(database_url: str, stop_id: int, days: int) -> Iterator[None]:
    """The app's clock at 10:00 (Rome) ``days`` after the stop's day, for the pages built inside."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as db_session:
            stop = db_session.get(Stop, stop_id)
            assert stop is not None
            day = stop.stop_date + timedelta(days=days)
            moment = datetime.combine(day, time(10), tzinfo=clock.ROME).astimezone(UTC)
    finally:
        engine.dispose()
    clock.set_source(lambda: moment)
    try:
        yield
    finally:
        clock.set_source(None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL database")
    parser.add_argument("--database", help="a database filled before by --build-only")
    parser.add_argument("--build-only", metavar="URL", help="fill this empty database and stop")
    parser.add_argument("--page", help="only the pages whose name contains this")
    args = parser.parse_args()
    args.facts = {"first_stop_id": 0}
    if args.database:
        args.facts["first_stop_id"] = known_facts(args.database)["first_stop_id"]
    if args.build_only:
        print(prepare(args.build_only, busy_first_stop=True))
        return 0
    if args.database:
        return measure(args.database, args.facts, args)
    with throwaway_database(postgres=args.postgres) as database_url:
        print("Preparing the data set...", flush=True)
        facts = prepare(database_url, busy_first_stop=True)
        print("Data set:", {k: v for k, v in facts.items() if not k.endswith("_id")}, flush=True)
        return measure(database_url, facts, args)


def measure(database_url: str, facts: dict[str, int], args: argparse.Namespace) -> int:
    cookie = organiser_cookie(database_url)
    missed = 0
    with TestClient(app_on(database_url)) as client:
        client.cookies.set(SESSION_COOKIE, cookie)
        print(f"\n{'page':24} {'p50':>8} {'p95':>8} {'cpu p50':>8}  target p50 < {TARGET_P50_MS:.0f} ms")
        for name, path, days in PAGES:
            if args.page and args.page not in name:
                continue
            stop_id = facts["first_stop_id"]
            url = path.format(stop=stop_id)
            with on_day(database_url, stop_id, days) if days is not None else nullcontext():
                if days is not None:
                    check_attendance(client.get(url, follow_redirects=False), on_its_day=days >= 0, name=name)
                wall, cpu = timed(client, url, args.requests)
            p50 = statistics.median(wall)
            verdict = "met" if p50 < TARGET_P50_MS else "MISSED"
            missed += p50 >= TARGET_P50_MS
            p95, cpu50 = percentile(wall, 0.95), statistics.median(cpu)
            print(f"{name:24} {p50:>6.1f}ms {p95:>6.1f}ms {cpu50:>6.1f}ms  {verdict}", flush=True)
    return 1 if missed else 0


def check_attendance(response: Response, on_its_day: bool, name: str) -> None:
    """The meetings page measured is the one meant: with its attendance forms on the day, without
    them before."""
    if response.status_code != 200:
        raise SystemExit(f"{name}: GET {response.url} answered {response.status_code}, nothing measured")
    page = response.text
    forms = page.count(ATTENDANCE_FORM)
    if on_its_day and (forms == 0 or ATTENDANCE_CLOSED in page):
        raise SystemExit(f"{name}: no attendance forms on the stop's day, nothing measured")
    if not on_its_day and forms:
        raise SystemExit(f"{name}: {forms} attendance forms before the stop's day, nothing measured")


if __name__ == "__main__":
    sys.exit(main())
