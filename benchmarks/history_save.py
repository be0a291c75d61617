"""A history save and a listing of one document's versions in a store of 10,000 entries,
against writing one entry-sized file atomically, measured in the same run.

    .venv/bin/python benchmarks/history_save.py [--entries 10000] [--keys 100] [--rounds 30]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("IDSYNC_HOME", tempfile.mkdtemp(prefix="idsync-bench-"))

from app.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)
from app.storage.atomic import atomic_write_text
from app.storage.history import HistoryStore
from app.storage.history_index import INDEX_NAME, SOURCES_NAME, USAGE_NAME

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
ROWS = (("email", "email"), ("user_id", "external_id"), ("phone", "phone"))


def document(number: int, *, connected: bool = True, name: str = "") -> IdSyncDocument:
    return IdSyncDocument(
        name=name or f"Sync {number}",
        target=AudienceTarget(space_id="spa_bench", audience_id=f"aud_{number}")
        if connected
        else AudienceTarget(),
        destination=DestinationRef(slug="iterable", name="Iterable", instance_id="dst_1"),
        identifiers=tuple(
            IdentifierRow(segment=segment, destination=destination, strategy=Strategy.LAST)
            for segment, destination in ROWS
        ),
    )


def build(root: Path, entries: int, keys: int) -> tuple[HistoryStore, IdSyncDocument, Path]:
    """``keys`` documents (a tenth of them also kept under their file's key, as a draft
    saved before it had ids), ``entries`` entries in all: one recorded per key through
    the store, the rest written as copies of it (what a long-used store holds)."""
    store = HistoryStore(root)
    sources = [Path("/bench/docs") / f"sync-{n}.json" for n in range(keys)]
    drafts = max(1, keys // 10)
    firsts = [
        store.record(document(n), "save", source_path=sources[n]) for n in range(keys - drafts)
    ] + [
        store.record(document(n, connected=False), "save", source_path=sources[n])
        for n in range(drafts)
    ]
    per_key = entries // len(firsts)
    for number, first in enumerate(firsts):
        envelope = json.loads(first.path.read_text(encoding="utf-8"))
        for copy in range(1, per_key):
            when = START + timedelta(minutes=copy, microseconds=number)
            envelope["recorded_at"] = when.isoformat(timespec="microseconds")
            envelope["detail"] = f"version {copy}"
            name = f"{when.strftime('%Y%m%dT%H%M%S.%fZ')}-save.json"
            (first.path.parent / name).write_text(json.dumps(envelope, indent=2))
    for first in firsts:
        (first.path.parent / INDEX_NAME).unlink(missing_ok=True)
    (root / USAGE_NAME).unlink(missing_ok=True)
    (root / SOURCES_NAME).unlink(missing_ok=True)
    return store, document(0), sources[0]


def median_ms(action: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="idsync-history-bench-"))
    try:
        start = time.perf_counter()
        store, doc, source = build(root, args.entries, args.keys)
        built = time.perf_counter() - start
        start = time.perf_counter()
        total = len(store.entries())  # builds every index (as the first use after upgrade)
        indexed = time.perf_counter() - start
        store.entries_for(doc, source)  # warm-up
        mine = store.entries_for(doc, source)
        sample = mine[0].path
        text = sample.read_text(encoding="utf-8")
        counter = iter(range(1_000_000))
        # The baseline writes into a folder of its own holding as many files as the
        # document's folder: written into the document's folder, its files would change
        # that folder under every measured save (a save notices, and lists it again).
        beside = root / "baseline"
        beside.mkdir()
        for n in range(len(mine)):
            (beside / f"filler-{n}.json").write_text(text, encoding="utf-8")
        os.sync()  # what building the store left unwritten is not paid by either side

        def write_one() -> None:
            atomic_write_text(beside / f"bench-{next(counter)}.json", text, private=True)

        def save_one() -> None:
            n = next(counter)
            store.record(document(0, name=f"Sync 0 v{n}"), "save", source_path=source)

        base, saves = [], []
        for _ in range(args.rounds):  # interleaved, so drift hits both alike
            base.append(median_ms(write_one, 1))
            saves.append(median_ms(save_one, 1))
        listing = median_ms(lambda: store.entries_for(doc, source), args.rounds)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    baseline, save = statistics.median(base), statistics.median(saves)
    print(f"history, {total} entries over {args.keys} keys (median of {args.rounds}, ms)")
    print(f"  (store written in {built:.1f} s; every index built from it in {indexed:.2f} s,"
          " once)")
    print(f"  write one entry file atomically      {baseline:7.2f} ms   1.00x")
    print(f"  record a new version                 {save:7.2f} ms   {save / baseline:5.2f}x"
          f"   (<= 2x: {'met' if save <= 2 * baseline else 'NOT met'})")
    print(f"  list one document ({len(mine):>3} versions)    {listing:7.2f} ms"
          f"            (<= 50 ms: {'met' if listing <= 50 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
