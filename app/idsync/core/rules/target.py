"""The audience or journey step the configuration belongs to (IDS201, IDS308)."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.findings import Finding
from idsync.core.model import AudienceTarget
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import clip, id_problems

# (document field, value, words, where to find it, whether free text such as a name is allowed)
_Field = tuple[str, str, str, str, bool]


def _target_fields(ctx: RuleContext) -> list[_Field]:
    target = ctx.doc.target
    space = (
        "target.space_id", target.space_id, "space id",
        "Enter the Engage space id, or pick the space when connected",
        False,
    )
    if isinstance(target, AudienceTarget):
        return [
            space,
            (
                "target.audience_id", target.audience_id, "audience id",
                "Enter the audience id, or pick the audience when connected",
                False,
            ),
        ]
    return [
        space,
        (
            "target.journey_id", target.journey_id, "journey id",
            "Enter the id of the journey",
            False,
        ),
        (
            "target.step", target.step, "journey step",
            "Enter the id or name of the journey step that sends to the destination",
            True,
        ),
    ]


def check_target(ctx: RuleContext) -> Iterator[Finding]:
    # Journeys cannot be pushed (IDS904), so their ids matter to whoever sets the step up.
    need = (
        "it is needed to push this configuration"
        if isinstance(ctx.doc.target, AudienceTarget)
        else "it tells whoever sets up the journey step where this configuration goes"
    )
    for field, value, words, where, free_text in _target_fields(ctx):
        if not value:
            yield make_finding(
                "IDS308",
                f"The {words} is empty; {need}. {where}.",
                field=field,
            )
            continue
        problems = id_problems(value, free_text=free_text)
        if problems:
            yield make_finding(
                "IDS201",
                f"The {words} '{clip(value)}' {problems}. Copy the {words} again from the "
                f"Segment app without extra characters.",
                field=field,
            )
