"""What the window asks of every step page, declared once."""

from __future__ import annotations

from typing import Protocol

from idsync.core.findings import Finding


class StepPage(Protocol):
    """A page of the editor's stack (Target, Destination, Event settings, Review).

    The window checks each page against this when it builds its pages (mypy), instead of
    looking methods up by name at run time.
    """

    def focus_finding(self, finding: Finding) -> bool | None:
        """Bring the control ``finding`` is about into view and focus it. False when the
        page cannot show it (e.g. a row that no longer exists); None says nothing."""
        ...
