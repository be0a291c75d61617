"""``idsync history``: the versions kept at each save, export and push; ``idsync history
export`` writes one as a readable JSON file."""

from __future__ import annotations

import argparse
from pathlib import Path

from idsync.cli.output import EXIT_OK, EXIT_UNREADABLE, PROG, error, out, out_bytes, report
from idsync.core.wording import plural
from idsync.storage.damage import StateFile, damaged_entries_note, take_reports
from idsync.storage.documents import DocumentError, dump_document, read_document, write_export
from idsync.storage.history import HistoryEntry, HistoryError, HistoryStore
from idsync.storage.leftovers import remove_stale_leftovers


class _Refused(Exception):
    """Said on stderr already; the command ends with exit 2."""


def run_history(args: argparse.Namespace) -> int:
    number = None if args.show is None else _version_number("history --show", args.show)
    if number == 0:
        return EXIT_UNREADABLE
    try:
        store, entries, scope = _listing(args)
    except _Refused:
        return EXIT_UNREADABLE
    if number is not None:
        try:
            shown = _chosen(entries, number, scope, "history --show")
            out_bytes(dump_document(store.load(shown)))
        except _Refused:
            return EXIT_UNREADABLE
        except HistoryError as exc:
            error(f"history: {exc}")
            return EXIT_UNREADABLE
        return EXIT_OK
    if not entries:
        error(f"no history of {scope} yet: versions are kept as you save, export and push")
        return EXIT_OK
    for index, entry in enumerate(entries, start=1):
        when = entry.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        detail = entry.detail or (str(entry.source_path) if entry.source_path else "")
        out(f"{index:>3}  {when}  {entry.event.value:<6}  {entry.where}  {detail}".rstrip())
    return EXIT_OK


def run_history_export(args: argparse.Namespace) -> int:
    command = "history export"
    number = _version_number(command, args.number)
    if number == 0:
        return EXIT_UNREADABLE
    try:
        store, entries, scope = _listing(args)
        data = store.entry_json(_chosen(entries, number, scope, command))
    except _Refused:
        return EXIT_UNREADABLE
    except HistoryError as exc:
        error(f"{command}: {exc}")
        return EXIT_UNREADABLE
    if args.output is None:
        out_bytes(data)
        return EXIT_OK
    try:
        write_export(args.output, data)
    except DocumentError as exc:
        report(str(exc))
        return EXIT_UNREADABLE
    error(f"version {number} of {scope} written to {args.output}")
    return EXIT_OK


def _version_number(command: str, text: str) -> int:
    """The 1-based version number; 0 (said on stderr) when ``text`` is not one."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        error(f"{command}: {text!r} is not a version number (1 = newest)")
        return 0
    return number


def _listing(args: argparse.Namespace) -> tuple[HistoryStore, list[HistoryEntry], str]:
    """The store, the versions FILE (or --all) asks for, and how to name them."""
    remove_stale_leftovers()
    try:
        store = HistoryStore()
        if args.file and not args.all:
            try:
                doc = read_document(args.file)
            except DocumentError as exc:
                report(str(exc))
                raise _Refused from None
            entries = store.entries_for(doc, Path(args.file))
            scope = f"{args.file}'s document"
        else:
            entries = store.entries()
            scope = "any document"
    except OSError as exc:
        error(f"history: the history cannot be used: {exc.strerror or exc}")
        raise _Refused from None
    damaged = take_reports(StateFile.HISTORY)
    if damaged:
        error(f"history: {damaged_entries_note(len(damaged))}")
    return store, entries, scope


def _chosen(entries: list[HistoryEntry], number: int, scope: str, command: str) -> HistoryEntry:
    if number > len(entries):
        error(
            f"{command}: there is no version {number}: {plural(len(entries), 'version')} "
            f"of {scope} (see `{PROG} history`)"
        )
        raise _Refused
    return entries[number - 1]
