"""One load run, in its own process: N concurrent keep-alive clients for D seconds.

    python benchmarks/load_driver.py URL --concurrency 50 --duration 10 [--method POST --body-template JSON]
        [--header 'Name: value'] [--warmup 2]

Prints one JSON line: requests, errors, rps, p50, p95, p99 (milliseconds), status counts.
A POST body template may contain {n}, replaced by a unique number per request, and {vat},
a valid Italian VAT number derived from it. The clients use aiohttp: httpx's async pool spends
more CPU per request than the servers under test at 50 connections, so it would measure the
client rather than the app.
"""

import argparse
import asyncio
import json
import statistics
import time
from collections import Counter

import aiohttp
from stdnum import luhn


def vat_for(n: int) -> str:
    base = f"{(n * 7919) % 10_000_000:07d}" + "001"
    return base + luhn.calc_check_digit(base)


async def run(args: argparse.Namespace) -> dict[str, object]:
    headers = dict(h.split(": ", 1) for h in args.header)
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors = 0
    counter = iter(range(args.start, 10**9))
    async with aiohttp.ClientSession(
        connector=connector,
        headers=headers,
        timeout=aiohttp.ClientTimeout(total=30),
        cookie_jar=aiohttp.DummyCookieJar(),
    ) as client:

        async def one() -> tuple[int, float]:
            n = next(counter)
            started = time.perf_counter()
            if args.method == "POST":
                body = args.body_template.replace("{n}", str(n)).replace("{vat}", vat_for(n))
                request = client.post(args.url, data=body, headers={"content-type": "application/json"})
            else:
                request = client.get(args.url)
            async with request as response:
                await response.read()
            return response.status, time.perf_counter() - started

        warm_until = time.perf_counter() + args.warmup
        while time.perf_counter() < warm_until:
            await asyncio.gather(*(one() for _ in range(args.concurrency)))

        deadline = time.perf_counter() + args.duration

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                try:
                    status, seconds = await one()
                except (aiohttp.ClientError, TimeoutError):
                    errors += 1
                    continue
                statuses[status] += 1
                latencies.append(seconds)
                if status >= 400 and status not in args.ok_status:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1) if latencies else 0.0
        )

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body-template", default="")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--start", type=int, default=1)
    parser.add_argument("--ok-status", type=int, action="append", default=[])
    print(json.dumps(asyncio.run(run(parser.parse_args()))))


if __name__ == "__main__":
    main()
