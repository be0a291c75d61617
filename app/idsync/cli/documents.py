"""The document commands: export, schema, catalog, rules and preview."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

from idsync.cli.common import load_catalog_or_none, validate
from idsync.cli.output import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_UNREADABLE,
    PROG,
    error,
    out,
    out_bytes,
    report,
)
from idsync.cli.review import finding_line
from idsync.core.api_mapping import NotPushable
from idsync.core.catalog import Catalog
from idsync.core.model import IdSyncDocument, document_json_schema
from idsync.core.wording import catalog_tags, plural
from idsync.review.checked import read_located
from idsync.storage.documents import DocumentError, read_document, write_export
from idsync.storage.exports import ExportKind, body_text, record_export


def run_export(args: argparse.Namespace) -> int:
    try:
        doc, positions = read_located(args.file)
    except DocumentError as exc:
        report(str(exc))
        return EXIT_UNREADABLE
    kind = ExportKind(args.export_as)
    if kind is not ExportKind.DOCUMENT:
        catalog = load_catalog_or_none()
        if catalog is None:
            return EXIT_INTERNAL
        errors = [f for f in positions.locate(validate(doc, catalog)) if f.is_error]
        if errors and not args.force:
            report(
                f"{args.file}: cannot export {args.export_as}: the document has "
                f"{plural(len(errors), 'error')} that Segment would reject or that break "
                f"the limits; fix them (see `{PROG} check {args.file}`) or pass --force"
            )
            for finding in errors:
                report(finding_line(args.file, finding))
            return EXIT_FINDINGS
    try:
        data = body_text(kind, doc).encode("utf-8")
    except NotPushable as exc:
        report(f"{args.file}: cannot export {args.export_as}: {exc}")
        return EXIT_FINDINGS
    if args.output:
        try:
            write_export(args.output, data)
        except DocumentError as exc:
            report(str(exc))
            return EXIT_UNREADABLE
    else:
        out_bytes(data)
    keep_export(doc, kind, args.file, args.output)
    return EXIT_OK


def keep_export(doc: IdSyncDocument, kind: ExportKind, source: str, output: str | None) -> None:
    """Every export is kept in history, as the window keeps its exports; the export has
    happened, so a history that cannot keep it costs a warning, never the exit code."""
    # Seam "command": of this module's commands only export keeps history (sqlite3).
    from idsync.storage.history import HistoryEvent, HistoryStore, not_kept_message

    try:
        record_export(HistoryStore(), doc, kind, source_path=source, written_to=output)
    except (OSError, UnicodeEncodeError) as exc:
        error(f"warning: {not_kept_message(HistoryEvent.EXPORT, exc)}")


def run_schema(args: argparse.Namespace) -> int:
    out(json.dumps(document_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def run_preview(args: argparse.Namespace) -> int:
    # Seam "command": of this module's commands only preview needs these.
    from idsync.core.preview import preview_in_catalog
    from idsync.storage.profiles import ProfileLoadError, read_profile

    try:
        doc = read_document(args.file)
    except DocumentError as exc:
        report(str(exc))
        return EXIT_UNREADABLE
    try:
        identities = read_profile(Path(args.profile))
    except ProfileLoadError as exc:
        report(f"{args.profile}: {exc.reason}")
        return EXIT_UNREADABLE
    catalog = load_catalog_or_none()
    if catalog is None:
        return EXIT_INTERNAL
    result = preview_in_catalog(doc, identities, catalog)
    out(result.render_text().rstrip("\n"))
    return EXIT_OK


def run_catalog(args: argparse.Namespace) -> int:
    catalog = load_catalog_or_none()
    if catalog is None:
        return EXIT_INTERNAL
    sections = [args.section] if args.section else ["destinations", "identifiers"]
    if args.format == "json":
        data = catalog.to_json_data()
        out(json.dumps({name: data[name] for name in sections}, indent=2, ensure_ascii=False))
        return EXIT_OK
    for index, section in enumerate(sections):
        if len(sections) > 1:
            if index:
                out("")
            out(f"{section.capitalize()}:")
        lines = (
            destination_lines(catalog) if section == "destinations" else identifier_lines(catalog)
        )
        for line in lines:
            out(line)
    return EXIT_OK


def destination_lines(catalog: Catalog) -> Iterator[str]:
    width = max((len(spec.slug) for spec in catalog.destinations), default=0)
    for spec in catalog.destinations:
        details = [spec.kind.value]
        if spec.segment_slug is None:
            details.append("not in Segment's catalog")
        if spec.identifier_mode == "preset":
            details.append("keys: " + ", ".join(spec.accepted_keys()))
        if spec.supports_mobile_ids:
            details.append("mobile IDs")
        details.extend(catalog_tags(spec))
        yield f"{spec.slug:<{width}}  {spec.name} ({'; '.join(details)})"


def identifier_lines(catalog: Catalog) -> Iterator[str]:
    width = max((len(spec.id) for spec in catalog.identifiers), default=0)
    for spec in catalog.identifiers:
        flags = [
            flag
            for flag, on in (("mobile ad ID", spec.mobile_ad_id), ("legacy", spec.legacy))
            if on
        ]
        suffix = f" [{', '.join(flags)}]" if flags else ""
        yield f"{spec.id:<{width}}  {spec.description}{suffix}"


def run_rules(args: argparse.Namespace) -> int:
    # Seam "command": of this module's commands only rules needs the rule table.
    from idsync.core.rules import RULES

    infos = sorted(RULES.values(), key=lambda info: info.code)
    if args.format == "json":
        out(json.dumps([info.to_json() for info in infos], indent=2, ensure_ascii=False))
        return EXIT_OK
    name_width = max((len(info.name) for info in infos), default=0)
    basis_width = max((len(info.basis) for info in infos), default=0)
    for info in infos:
        out(
            f"{info.code}  {info.severity.value:<7}  {info.basis:<{basis_width}}  "
            f"{info.name:<{name_width}}  {info.summary}"
        )
        out(f"{'':6}  source: {info.source}")
    return EXIT_OK
