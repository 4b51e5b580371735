"""In-process cost of the public pages with the cache off (what every signed-in visitor gets).

    python benchmarks/public_pages.py [--requests 200] [--postgres] [--database URL] [--profile NAME]

Builds the benchmark data set (benchmarks/load_data.py: 30 stops, 3,000 companies, 10,000
registrations) in a throw-away database, or uses ``--database``, filled before by
``--build-only URL``; then sends sequential GETs through the ASGI app and prints the median,
p95 and p99 milliseconds of each page, and the median CPU time.

To profile one page (the routes run in the thread pool, so a sampler of every thread):
    py-spy record --format raw -o calendar.txt -- python benchmarks/public_pages.py --page calendar
and read the collapsed stacks with benchmarks/top_frames.py.
"""

import argparse
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from app.web import SESSION_COOKIE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.in_process import (
    HEADER,
    app_on,
    known_facts,
    prepare,
    session_cookie,
    summary,
    throwaway_database,
    timed,
)

# (name, path, whose session): the public pages, then a company's agenda and a consul's day.
PAGES = [
    ("calendar", "/", None),
    ("api-stops", "/api/stops", None),
    ("stop-page", "/stops/{stop_id}", None),
    ("agenda", "/my/stops/{stop_id}/agenda", "company_user_id"),
    ("consul-day", "/consul/stops/{stop_id}/agenda", "consul_user_id"),
]


def measure(database_url: str, facts: dict[str, int], args: argparse.Namespace) -> None:
    with TestClient(app_on(database_url)) as client:
        print(f"{'page (cache off)':24} {HEADER}   ms, {args.requests} requests")
        for name, path, who in PAGES:
            if args.page and name != args.page:
                continue
            client.cookies.clear()
            if who is not None:
                client.cookies.set(SESSION_COOKIE, session_cookie(database_url, facts[who]))
            url = path.format(stop_id=facts["first_stop_id"])
            print(f"{name:24} {summary(timed(client, url, args.requests))}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL database")
    parser.add_argument("--database", help="an already filled database (see --build-only)")
    parser.add_argument("--build-only", metavar="URL", help="fill this empty database and stop")
    parser.add_argument("--page", choices=[name for name, _, _ in PAGES], help="only this page")
    args = parser.parse_args()
    if args.build_only:
        print(prepare(args.build_only))
        return 0
    if args.database:
        measure(args.database, known_facts(args.database), args)
        return 0
    with throwaway_database(postgres=args.postgres) as database_url:
        facts = prepare(database_url)
        measure(database_url, facts, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
