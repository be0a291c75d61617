"""The audience or journey step the configuration belongs to (IDS201, IDS308)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from idsync.core.findings import Finding
from idsync.core.model import AudienceTarget
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import clip, id_problems

# (the target's field, words, where to find it, whether free text such as a name is
# allowed): the same for every document, so made once.
_Field = tuple[str, str, str, bool]
_SPACE: Final[_Field] = (
    "space_id", "space id", "Enter the Engage space id, or pick the space when connected", False
)
_AUDIENCE: Final[tuple[_Field, ...]] = (
    _SPACE,
    (
        "audience_id", "audience id",
        "Enter the audience id, or pick the audience when connected", False,
    ),
)
_JOURNEY: Final[tuple[_Field, ...]] = (
    _SPACE,
    ("journey_id", "journey id", "Enter the id of the journey", False),
    (
        "step", "journey step",
        "Enter the id or name of the journey step that sends to the destination", True,
    ),
)


def check_target(ctx: RuleContext) -> Iterator[Finding]:
    # Journeys cannot be pushed (IDS904), so their ids matter to whoever sets the step up.
    target = ctx.doc.target
    audience = isinstance(target, AudienceTarget)
    need = (
        "it is needed to push this configuration"
        if audience
        else "it tells whoever sets up the journey step where this configuration goes"
    )
    for name, words, where, free_text in _AUDIENCE if audience else _JOURNEY:
        value: str = getattr(target, name)
        if not value:
            yield make_finding(
                "IDS308",
                f"The {words} is empty; {need}. {where}.",
                field=f"target.{name}",
            )
            continue
        problems = id_problems(value, free_text=free_text)
        if problems:
            yield make_finding(
                "IDS201",
                f"The {words} '{clip(value)}' {problems}. Copy the {words} again from the "
                f"Segment app without extra characters.",
                field=f"target.{name}",
            )
