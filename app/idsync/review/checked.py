"""A document file read through the bounded reader and checked, findings with their lines."""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

from idsync.core.catalog import Catalog
from idsync.core.findings import Finding, Severity
from idsync.core.model import IdSyncDocument
from idsync.core.positions import DocumentPositions, document_positions
from idsync.core.wording import plural
from idsync.review.selection import RuleSelection
from idsync.storage.bounded import MAX_DOCUMENT_BYTES, decode_utf8
from idsync.storage.document_text import os_reason, too_big
from idsync.storage.documents import DocumentError, parse_document, read_document_bytes

if TYPE_CHECKING:
    import multiprocessing.context

DOCUMENT_SUFFIX: Final = ".json"
STDIN: Final = "-"
"""The path that stands for standard input, and how every output names it (as ruff)."""
_STDIN_CHUNK: Final = 1024 * 1024
PARALLEL_FROM: Final = 400
"""Below this many files, starting worker processes costs more than it saves."""
CHUNK: Final = 256
"""Most files handed to a worker at a time. The pool queues one chunk beyond those being
checked, so a worker that finishes may wait (about half a millisecond) for the parent to
hand it the next: chunks of a few milliseconds' work keep those waits rare."""
IN_FLIGHT: Final = 3
"""Chunks per worker submitted ahead of the one being read."""


MAX_FINDINGS_PER_FILE: Final = 200
"""Findings kept (and shown, in every output) per file; the rest are only counted. A
document of thousands of rows can have a finding on each, and nobody reads past the first
screens: this keeps a 5 MB document's check, its output and its report small."""

_NO_POSITIONS: Final = DocumentPositions()
_EVERY_RULE: Final = RuleSelection()
T = TypeVar("T")


@dataclass(frozen=True)
class CheckedFile:
    """One file: its document and findings (with lines), or why it could not be read."""

    path: str
    document: IdSyncDocument | None = None
    findings: tuple[Finding, ...] = ()
    error: DocumentError | None = None
    positions: DocumentPositions = field(default_factory=DocumentPositions)
    modified: float | None = None
    """The file's modification time (seconds since the epoch) when it was read."""
    omitted: tuple[int, int, int] = (0, 0, 0)
    """Errors, warnings and notes found beyond :data:`MAX_FINDINGS_PER_FILE`: counted
    (in :meth:`count` too), not kept."""

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def omitted_count(self) -> int:
        return sum(self.omitted)

    def omitted_note(self) -> str:
        """``and 800 more findings not shown (12 errors, 788 warnings)``; '' if none."""
        if not self.omitted_count:
            return ""
        errors, warnings, notes = self.omitted
        parts = [plural(errors, "error"), plural(warnings, "warning"), plural(notes, "note")]
        counts = ", ".join(part for part, n in zip(parts, self.omitted, strict=True) if n)
        noun = "finding" if self.omitted_count == 1 else "findings"
        return f"and {self.omitted_count} more {noun} not shown ({counts})"

    def without_notes(self) -> CheckedFile:
        """The same result with its info findings left out (``check -q``)."""
        if not self.notes:
            return self
        kept = tuple(f for f in self.findings if f.severity is not Severity.INFO)
        return replace(self, findings=kept, omitted=(*self.omitted[:2], 0))

    def without_document(self) -> CheckedFile:
        """The same result with only what a report line needs: a folder of thousands is
        reported as it is read, and its documents are not kept."""
        return replace(self, document=None, positions=_NO_POSITIONS)

    def count(self, severity: Severity) -> int:
        """Every finding of ``severity``, the omitted ones too."""
        return self.counts()[severity.rank]

    def counts(self) -> tuple[int, int, int]:
        """Errors, warnings and notes, the omitted ones too, counted in one pass."""
        counts = list(self.omitted)
        for finding in self.findings:
            counts[finding.severity.rank] += 1
        return counts[0], counts[1], counts[2]

    @property
    def errors(self) -> int:
        return self.counts()[0]

    @property
    def warnings(self) -> int:
        return self.counts()[1]

    @property
    def notes(self) -> int:
        return self.counts()[2]


def read_located(path: Path | str) -> tuple[IdSyncDocument, DocumentPositions]:
    """The document at ``path`` and where its rows and fields are; DocumentError if not."""
    data = read_document_bytes(path)
    document = parse_document(data, str(path))
    # parse_document decoded the same bytes already, so this cannot fail.
    return document, document_positions(decode_utf8(data))


def check_file(
    path: Path | str,
    catalog: Catalog,
    *,
    quiet: bool = False,
    with_mtime: bool = True,
    selection: RuleSelection = _EVERY_RULE,
) -> CheckedFile:
    """Read and check ``path``; ``quiet`` leaves out info findings, ``selection`` the
    rules not selected; ``with_mtime`` notes when the file was changed (the workspace
    shows it; a folder check does not need it)."""
    source = str(path)
    modified = _mtime(path) if with_mtime else None
    try:
        document, positions = read_located(path)
    except DocumentError as error:
        return CheckedFile(source, error=error, modified=modified)
    return _checked(source, document, positions, catalog, quiet, selection, modified)


def check_stdin(
    catalog: Catalog, *, quiet: bool = False, selection: RuleSelection = _EVERY_RULE
) -> CheckedFile:
    """Standard input read (bounded as a file is) and checked, named :data:`STDIN`."""
    try:
        data = read_stdin_bytes()
        document = parse_document(data, STDIN)
    except DocumentError as error:
        return CheckedFile(STDIN, error=error)
    positions = document_positions(decode_utf8(data))
    return _checked(STDIN, document, positions, catalog, quiet, selection, None)


def read_stdin_bytes() -> bytes:
    """All of standard input, at most :data:`MAX_DOCUMENT_BYTES`: a larger stream is
    refused once the limit is passed, without reading the rest."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise DocumentError(STDIN, "there is no standard input to read.")
    chunks: list[bytes] = []
    total = 0
    try:
        while total <= MAX_DOCUMENT_BYTES:
            chunk = stream.read(min(_STDIN_CHUNK, MAX_DOCUMENT_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise DocumentError(STDIN, os_reason(error, writing=False)) from None
    except ValueError:  # closed
        raise DocumentError(STDIN, "there is no standard input to read.") from None
    if total > MAX_DOCUMENT_BYTES:
        raise too_big(STDIN, None)
    return b"".join(chunks)


def _checked(
    source: str,
    document: IdSyncDocument,
    positions: DocumentPositions,
    catalog: Catalog,
    quiet: bool,
    selection: RuleSelection,
    modified: float | None,
) -> CheckedFile:
    from idsync.core.rules import validate

    chosen = selection.keep(validate(document, catalog, notes=not quiet))
    findings, omitted = capped(chosen)
    return CheckedFile(
        source,
        document=document,
        findings=tuple(positions.locate(findings)),
        positions=positions,
        modified=modified,
        omitted=omitted,
    )


def _check_one(
    path: str, catalog: Catalog, quiet: bool, selection: RuleSelection
) -> CheckedFile:
    if path == STDIN:
        return check_stdin(catalog, quiet=quiet, selection=selection)
    return check_file(path, catalog, quiet=quiet, with_mtime=False, selection=selection)


def capped(
    findings: list[Finding], limit: int = MAX_FINDINGS_PER_FILE
) -> tuple[list[Finding], tuple[int, int, int]]:
    """At most ``limit`` findings, the most severe first chosen, kept in their order; and
    how many of each severity were left out."""
    if len(findings) <= limit:
        return findings, (0, 0, 0)
    by_rank: tuple[list[int], list[int], list[int]] = ([], [], [])
    for index, finding in enumerate(findings):
        by_rank[finding.severity.rank].append(index)
    chosen: list[int] = []
    left_out = [0, 0, 0]
    for rank, indexes in enumerate(by_rank):
        room = max(0, limit - len(chosen))
        chosen += indexes[:room]
        left_out[rank] = len(indexes) - min(room, len(indexes))
    chosen.sort()
    return [findings[i] for i in chosen], (left_out[0], left_out[1], left_out[2])


def check_files(
    paths: Sequence[str],
    catalog: Catalog,
    *,
    quiet: bool = False,
    jobs: int = 0,
    keep_documents: bool = False,
    selection: RuleSelection = _EVERY_RULE,
) -> Iterator[CheckedFile]:
    """Each file read and checked, in the order given, as soon as it is done.

    ``jobs`` worker processes share the work of a long list (0: one per core, 1: none);
    the results come back in order and without their documents, which only
    ``keep_documents`` (the HTML report) keeps, in this process. :data:`STDIN` among
    ``paths`` is standard input.
    """
    if keep_documents:
        for path in paths:
            yield _check_one(path, catalog, quiet, selection)
        return
    for results in check_rendered(
        paths, catalog, _without_documents, quiet=quiet, jobs=jobs, selection=selection
    ):
        yield from results


def check_rendered(
    paths: Sequence[str],
    catalog: Catalog,
    render: Callable[[Iterable[CheckedFile]], T],
    *,
    quiet: bool = False,
    jobs: int = 0,
    selection: RuleSelection = _EVERY_RULE,
) -> Iterator[T]:
    """``render`` of the results of consecutive runs of the files, in the order given,
    each as soon as it is done: one file at a time in this process, a chunk at a time
    from workers (as for :func:`check_files`). Standard input (:data:`STDIN`) is read
    here, in its place among the files, never by a worker.

    With workers, ``render`` runs in them and only what it returns comes back: a caller
    that prints lines gets a few strings per chunk instead of findings to unpickle,
    which cost the parent more than printing them. ``render`` must be a module-level
    function (a fresh worker receives it by name). It is handed each result as it is
    made and goes through them once, so a worker holds one document at a time, not a
    chunk's.
    """
    start = 0
    for index, path in enumerate(paths):
        if path == STDIN:
            yield from _rendered_files(
                paths[start:index], catalog, render, quiet, jobs, selection
            )
            yield render([check_stdin(catalog, quiet=quiet, selection=selection)])
            start = index + 1
    yield from _rendered_files(paths[start:], catalog, render, quiet, jobs, selection)


def _rendered_files(
    paths: Sequence[str],
    catalog: Catalog,
    render: Callable[[Iterable[CheckedFile]], T],
    quiet: bool,
    jobs: int,
    selection: RuleSelection,
) -> Iterator[T]:
    def alone(path: str) -> CheckedFile:
        return check_file(path, catalog, quiet=quiet, with_mtime=False, selection=selection)

    workers = _cores() if jobs <= 0 else jobs
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        for path in paths:
            yield render([alone(path)])
        return
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_process_context(),
            initializer=_start_worker,
            initargs=(catalog,),
        ) as pool:
            # Smaller chunks for a shorter list, so that each worker gets several.
            size = min(CHUNK, -(-len(paths) // (workers * 4)))
            chunks = (paths[start : start + size] for start in range(0, len(paths), size))
            pending: deque[tuple[int, Future[T]]] = deque()
            # A few chunks per worker in flight keeps every worker busy, while results a
            # slow reader has not taken yet never pile up: memory stays flat.
            def submit(chunk: Sequence[str]) -> None:
                pending.append(
                    (len(chunk), pool.submit(_check_chunk, chunk, quiet, selection, render))
                )

            for chunk in islice(chunks, workers * IN_FLIGHT):
                submit(chunk)
            while pending:
                count, future = pending.popleft()
                rendered = future.result()
                for chunk in islice(chunks, 1):
                    submit(chunk)
                yield rendered
                done += count
    except (BrokenProcessPool, OSError):
        # Workers that cannot start or die (a sandbox without fork, memory pressure) cost
        # speed, never results: the rest is checked here, in order.
        for path in paths[done:]:
            yield render([alone(path)])


_WORKER_CATALOG: Catalog | None = None


def _process_context() -> multiprocessing.context.BaseContext:
    """Fork where it is safe (POSIX, and no other thread that a fork would copy mid-work);
    otherwise start fresh interpreters."""
    import multiprocessing  # only for a folder large enough to share: it slows a start

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _cores() -> int:
    """The processors this process may run on (a container may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _start_worker(catalog: Catalog) -> None:
    # Each worker checks against the caller's catalog (inherited when forked, sent when
    # the worker starts fresh), never a different one.
    global _WORKER_CATALOG
    _WORKER_CATALOG = catalog


def _check_chunk(
    paths: Sequence[str],
    quiet: bool,
    selection: RuleSelection,
    render: Callable[[Iterable[CheckedFile]], T],
) -> T:
    catalog = _WORKER_CATALOG
    assert catalog is not None, "the worker was started without its catalog"
    return render(
        check_file(path, catalog, quiet=quiet, with_mtime=False, selection=selection)
        for path in paths
    )


def _without_documents(results: Iterable[CheckedFile]) -> list[CheckedFile]:
    return [result.without_document() for result in results]


def document_files(folder: Path | str) -> Iterator[Path]:
    """Every ``*.json`` under ``folder`` and its subfolders, in a stable order; hidden
    folders (.git, .venv) and hidden files are never documents."""
    return map(Path, _document_paths(str(folder)))


def expand_paths(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """The files named by ``paths`` (folders searched, :data:`STDIN` kept), each once;
    and what was missing."""
    files: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            if STDIN not in seen:
                seen.add(STDIN)
                files.append(STDIN)
            continue
        if os.path.isdir(raw):
            found = _document_paths(raw)
            if not found:
                problems.append(f"{raw}: no .json files in this folder")
        elif os.path.exists(raw):
            found = [raw]
        else:
            problems.append(f"{raw}: no such file or folder")
            continue
        # One folder's files are distinct already; the same file named twice (or found
        # through two arguments) is checked once.
        base = os.path.normcase(os.path.abspath(raw))
        inside = os.path.join(base, "")  # base and a separator: joined once, not per file
        for candidate in found:
            rest = candidate[len(raw) :].lstrip("/" + os.sep)
            key = inside + os.path.normcase(rest) if rest else base
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files, problems


def _document_paths(folder: str) -> list[str]:
    """:func:`document_files` as strings (a folder of thousands is listed before the
    first file is checked)."""
    found: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        inside = os.path.join(root, "")  # what os.path.join puts before each name
        found.extend(
            inside + name
            for name in sorted(names)
            if name.lower().endswith(DOCUMENT_SUFFIX) and not name.startswith(".")
        )
    return found


def _mtime(path: Path | str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def reviewed_folder(paths: Sequence[str]) -> Path | None:
    """The folder the paths given to ``check`` share (a folder itself, a file's parent,
    the current folder for :data:`STDIN`); None when there are none or they share none.
    A report shows its paths relative to it; the settings file is looked for from it."""
    folders = [
        os.path.abspath(
            "." if path == STDIN
            else path if os.path.isdir(path)
            else os.path.dirname(path) or "."
        )
        for path in paths
    ]
    if not folders:
        return None
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # different drives on Windows
        return None
