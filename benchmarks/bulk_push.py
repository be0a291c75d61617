"""How close a bulk push comes to the fastest the rate limit allows.

Starts the sandbox with a scaled-down limit (default 10 requests per 2 seconds, the
shape of Segment's 50 per minute), pushes one template to N new audiences through the
real client and limiter, and prints the elapsed time next to the theoretical minimum
(the first window's requests go at once, each further window's one period later).

    .venv/bin/python benchmarks/bulk_push.py [--configs 30] [--limit 10] [--period 2]

Exits 1 if any request was answered 429 or the run took more than --tolerance times the
minimum plus one period, so it can gate CI if wanted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from figures import absolute_figure, ratio_figure, report

from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)
from idsync.push.engine import PushEngine
from idsync.push.outcome import Status, Target
from idsync.segment.client import SegmentClient
from idsync.segment.ratelimit import RateLimiter, minimum_duration
from idsync.segment.sandbox import Sandbox
from idsync.segment.sandbox.state import EXAMPLE_SPACE

TEMPLATE_ROWS = (
    IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),
    IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=30)
    parser.add_argument("--limit", type=int, default=10, help="requests per period")
    parser.add_argument("--period", type=float, default=2.0, help="seconds")
    parser.add_argument("--tolerance", type=float, default=1.15)
    args = parser.parse_args(argv)
    # Nothing of the app's state should land in the real home.
    os.environ.setdefault("IDSYNC_HOME", tempfile.mkdtemp(prefix="idsync-bench-"))

    with Sandbox() as sandbox:
        audiences = [
            sandbox.state.add_audience(EXAMPLE_SPACE, f"Benchmark {i}") for i in range(args.configs)
        ]
        sandbox.set_rate_limit(args.limit, args.period)
        items = [
            Target(
                audience,
                IdSyncDocument(
                    target=AudienceTarget(space_id=EXAMPLE_SPACE, audience_id=audience),
                    destination=DestinationRef(
                        slug="personas-facebook-custom-audiences",
                        instance_id="dst_example_facebook",
                    ),
                    identifiers=TEMPLATE_ROWS,
                ),
            )
            for audience in audiences
        ]
        limiter = RateLimiter(args.limit, args.period)
        with SegmentClient(sandbox.token, base_url=sandbox.url, limiter=limiter) as client:
            pushed = PushEngine(client).run(items, apply=True)
        rejected = sandbox.count(status=429)

    minimum = minimum_duration(pushed.requests, args.limit, args.period)
    ratio = pushed.elapsed_seconds / minimum if minimum else float("nan")
    print(f"configs applied   {pushed.count(Status.APPLIED)}/{args.configs}")
    print(f"requests          {pushed.requests} (429 answers: {rejected})")
    print(f"limit             {args.limit} per {args.period:g} s")
    print(f"elapsed           {pushed.elapsed_seconds:.2f} s")
    print(f"minimum allowed   {minimum:.2f} s")
    print(f"elapsed/minimum   {ratio:.3f}")
    print(f"limiter waited    {limiter.waited_seconds:.2f} s in {limiter.waits} waits")
    too_slow = pushed.elapsed_seconds > minimum * args.tolerance + args.period
    ok = rejected == 0 and pushed.count(Status.APPLIED) == args.configs and not too_slow
    # At least 95 % of the allowed rate: elapsed at most 1/0.95 of the minimum.
    report(ratio_figure("bulk_push.py", "bulk push elapsed", "s", [pushed.elapsed_seconds],
                        "minimum the limit allows", [minimum], round(1 / 0.95, 3)))
    report(absolute_figure("bulk_push.py", "answers 429", "", [float(rejected)], 0))
    print("result            " + ("ok" if ok else "NOT OK"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
