"""``idsync history``: the versions kept at each save, export and push."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.output import EXIT_OK, EXIT_UNREADABLE, PROG, error, out, out_bytes, report
from app.core.wording import plural
from app.storage.documents import DocumentError, dump_document, read_document


def run_history(args: argparse.Namespace) -> int:
    from app.storage.damage import StateFile, damaged_entries_note, take_reports
    from app.storage.history import HistoryError, HistoryStore
    from app.storage.leftovers import remove_stale_leftovers

    number: int | None = None
    if args.show is not None:
        try:
            number = int(args.show)
        except ValueError:
            number = 0
        if number < 1:
            error(f"history --show: {args.show!r} is not a version number (1 = newest)")
            return EXIT_UNREADABLE
    try:
        store = HistoryStore()
    except OSError as exc:
        error(f"history: the history folder cannot be used: {exc.strerror or exc}")
        return EXIT_UNREADABLE
    remove_stale_leftovers()
    if args.file and not args.all:
        try:
            doc = read_document(args.file)
        except DocumentError as exc:
            report(str(exc))
            return EXIT_UNREADABLE
        entries = store.entries_for(doc, Path(args.file))
        scope = f"{args.file}'s document"
    else:
        entries = store.entries()
        scope = "any document"
    damaged = take_reports(StateFile.HISTORY)
    if damaged:
        error(f"history: {damaged_entries_note(len(damaged))}")
    if number is not None:
        if number > len(entries):
            error(
                f"history --show: there is no version {number}: {plural(len(entries), 'version')} "
                f"of {scope} (see `{PROG} history`)"
            )
            return EXIT_UNREADABLE
        try:
            shown = store.load(entries[number - 1])
        except HistoryError as exc:
            error(f"history: {exc}")
            return EXIT_UNREADABLE
        out_bytes(dump_document(shown))
        return EXIT_OK
    if not entries:
        error(f"no history of {scope} yet: versions are kept as you save, export and push")
        return EXIT_OK
    for index, entry in enumerate(entries, start=1):
        when = entry.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        detail = entry.detail or (str(entry.source_path) if entry.source_path else "")
        out(f"{index:>3}  {when}  {entry.event.value:<6}  {entry.where}  {detail}".rstrip())
    return EXIT_OK
