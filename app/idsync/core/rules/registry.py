"""Every check that ``validate`` runs, in one place. Adding a rule: write the check in its
family's module, give its codes a line in ``codes.RULES``, and list the check here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from idsync.core.findings import Finding
from idsync.core.rules import (
    constraints,
    destination,
    destination_keys,
    duplicates,
    identifiers,
    kinds,
    limits,
    mobile,
    names,
    push_notes,
    setup,
    target,
)
from idsync.core.rules.context import RuleContext

Check = Callable[[RuleContext], Iterable[Finding]]

CHECKS: Final[tuple[Check, ...]] = (
    limits.check_all_rows,
    limits.check_row_count,
    limits.check_has_rows,
    names.check_segment_names,
    names.check_destination_names,
    duplicates.check_duplicates,
    duplicates.check_shared_fields,
    mobile.check_send_mobile_ids,
    mobile.check_mobile_support,
    destination_keys.check_preset_keys,
    destination_keys.check_known_fields,
    destination_keys.check_empty_destination,
    kinds.check_field_kinds,
    constraints.check_matcher,
    constraints.check_extra_identifiers,
    constraints.check_extra_identifier_field,
    identifiers.check_identifier_types,
    target.check_target,
    destination.check_destination,
    destination.check_instance_id,
    push_notes.check_push_notes,
    push_notes.check_event_volume,
    setup.check_default_setup,
)

NOTE_CHECKS: Final[frozenset[Check]] = frozenset(
    {
        destination_keys.check_empty_destination,
        push_notes.check_push_notes,
        push_notes.check_event_volume,
        setup.check_default_setup,
    }
)
"""The checks whose every finding is a note (info): a validation that leaves notes out
(``idsync check --quiet``, on thousands of files) does not run them."""
