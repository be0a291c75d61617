"""Small pieces of English shared by the CLI and the window."""

from __future__ import annotations

from app.core.catalog import DestinationSpec
from app.core.model import Strategy


def plural(count: int, noun: str) -> str:
    """``1 row``, ``3 rows``: the count and a noun that takes a plain -s."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def join_and(parts: tuple[str, ...] | list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def default_setup_sends(spec: DestinationSpec | None) -> str:
    """What Default Setup sends, in words: the catalog's identifiers and strategy."""
    if spec is None:
        return "the last or all values of email and user_id, depending on the destination"
    names = join_and(spec.default_identifiers)
    if spec.default_strategy is Strategy.ALL:
        return f"all values of {names} to {spec.name}, one event per value"
    return f"the last added {names} values to {spec.name}"
