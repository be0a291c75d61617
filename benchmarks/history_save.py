"""A history save and a listing of one document's versions in a store of 10,000 entries,
against writing one entry-sized file atomically (what a save cost before the database:
one fsynced file), measured in the same run.

The store is built as a long-used one was before the database: a JSON file per entry in
a folder per document, which the first use imports (timed too, once).

    .venv/bin/python benchmarks/history_save.py [--entries 10000] [--keys 100] [--rounds 30]
"""

from __future__ import annotations

import argparse
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

from figures import absolute_figure, ratio_figure, report

from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)
from idsync.storage.atomic import atomic_write_bytes
from idsync.storage.history import HistoryStore, history_key
from tests.helpers.history import write_legacy_entry

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


def build_legacy(folder: Path, entries: int, keys: int) -> tuple[IdSyncDocument, Path]:
    """``keys`` documents (a tenth of them also kept under their file's key, as a draft
    saved before it had ids), ``entries`` entry files in all."""
    sources = [Path("/bench/docs") / f"sync-{n}.json" for n in range(keys)]
    drafts = max(1, keys // 10)
    kinds = [(n, True) for n in range(keys - drafts)] + [(n, False) for n in range(drafts)]
    per_key = max(1, entries // len(kinds))
    for number, (n, connected) in enumerate(kinds):
        doc = document(n, connected=connected)
        key = history_key(doc, sources[n])
        for copy in range(per_key):
            write_legacy_entry(
                folder / f"key-{number}", doc, key=key, source_path=str(sources[n]),
                when=START + timedelta(minutes=copy, microseconds=number),
                detail=f"version {copy}",
            )
    return document(0), sources[0]


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
        doc, source = build_legacy(root / "history", args.entries, args.keys)
        built = time.perf_counter() - start
        store = HistoryStore(root / "history.sqlite3", legacy=root / "history")
        start = time.perf_counter()
        total = len(store.entries())  # the first use imports the JSON-entry store
        imported = time.perf_counter() - start
        store.entries_for(doc, source)  # warm-up
        mine = store.entries_for(doc, source)
        sample = store.entry_json(mine[0])
        counter = iter(range(1_000_000))
        beside = root / "baseline"
        beside.mkdir()
        os.sync()  # what building the store left unwritten is not paid by either side

        def write_one() -> None:
            atomic_write_bytes(beside / f"bench-{next(counter)}.json", sample, private=True)

        def save_one() -> None:
            n = next(counter)
            store.record(document(0, name=f"Sync 0 v{n}"), "save", source_path=source)

        base, saves = [], []
        for _ in range(args.rounds):  # interleaved, so drift hits both alike
            base.append(median_ms(write_one, 1))
            saves.append(median_ms(save_one, 1))
        listings = [median_ms(lambda: store.entries_for(doc, source), 1)
                    for _ in range(args.rounds)]
        everything = median_ms(store.entries, max(3, args.rounds // 5))
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(f"history, {total} entries over {args.keys} keys (median of {args.rounds}, ms)")
    print(f"  (JSON-entry store written in {built:.1f} s; imported into the database in "
          f"{imported:.2f} s, once)")
    report(ratio_figure("history_save.py", "record a new version", "ms", saves,
                        "write one entry file atomically", base, 2))
    report(absolute_figure("history_save.py", f"list one document ({len(mine)} versions)",
                           "ms", listings, 50))
    report(absolute_figure("history_save.py", f"list every document ({total} versions)",
                           "ms", [everything], None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
