"""Small pieces of English shared by the CLI and the window."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 row``, ``3 rows``: the count and a noun that takes a plain -s."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
