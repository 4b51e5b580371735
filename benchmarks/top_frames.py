"""The top frames of a py-spy profile in its collapsed ("raw") format.

    python benchmarks/top_frames.py PROFILE.txt [--under app/] [--count 25]

Skips the samples taken while importing or starting the app. Prints, for each function, the
share of samples in which it is on the stack (inclusive) and at the top of it (self), most
inclusive first; ``--under`` keeps functions whose file path contains that text (default: the
app's own code, plus SQLAlchemy, Jinja2 and the framework).
"""

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--under", action="append", help="keep only frames whose file contains this")
    parser.add_argument("--count", type=int, default=25)
    args = parser.parse_args()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in args.profile.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if not stack:
            continue
        if "<module>" in stack or "TestClient.__enter__" in stack:
            continue  # importing and starting the app, not serving requests
        weight = int(samples)
        total += weight
        names = []
        for frame in stack.split(";"):
            match = FRAME.match(frame)
            if match is None:
                continue
            names.append(f"{match['function']} ({_short(match['file'])})")
        for name in set(names):
            inclusive[name] += weight
        if names:
            own[names[-1]] += weight
    keep = args.under or ["(app/", "sqlalchemy", "jinja2", "fastapi", "starlette", "babel", "pydantic"]
    print(f"{total} samples; inclusive% self%  function (file)")
    shown = 0
    for name, weight in inclusive.most_common():
        if not any(part in name for part in keep):
            continue
        print(f"{100 * weight / total:6.1f} {100 * own[name] / total:6.1f}  {name}")
        shown += 1
        if shown == args.count:
            break
    return 0


def _short(path: str) -> str:
    for marker in ("site-packages/", "wt-speed/", "main/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


if __name__ == "__main__":
    sys.exit(main())
