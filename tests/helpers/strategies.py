"""Hypothesis strategies built from the document model, shared by storage and CLI tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from idsync.core.model import (
    AudienceTarget,
    DestinationKind,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Setup,
    Strategy,
)

# Any text a person could type, including non-ASCII, quotes, newlines and control characters
# (hypothesis leaves out lone surrogates, which no editor produces).
texts = st.text(max_size=24)
identifier_like = st.sampled_from(["email", "user_id", "ios.idfa", "phone", "EMAIL", ""]) | texts

rows = st.builds(
    IdentifierRow,
    segment=identifier_like,
    destination=identifier_like,
    strategy=st.sampled_from(Strategy),
)
targets = st.one_of(
    st.builds(AudienceTarget, space_id=texts, audience_id=texts),
    st.builds(JourneyTarget, space_id=texts, journey_id=texts, step=texts),
)
destinations = st.none() | st.builds(
    DestinationRef,
    slug=identifier_like,
    name=texts,
    kind=st.sampled_from(DestinationKind),
    instance_id=texts,
)
documents = st.builds(
    IdSyncDocument,
    name=texts,
    notes=texts,
    target=targets,
    destination=destinations,
    setup=st.sampled_from(Setup),
    send_mobile_ids=st.booleans(),
    custom_identifiers=st.lists(identifier_like, max_size=4).map(tuple),
    identifiers=st.lists(rows, max_size=7).map(tuple),
)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts
json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@st.composite
def damaged_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document as JSON with one value replaced by arbitrary JSON: reaches deep
    into validation, where purely random JSON rarely gets past the header."""
    data: dict[str, Any] = draw(documents).to_json_data()
    container: dict[str, Any] = data
    if data["identifiers"] and draw(st.booleans()):
        container = draw(st.sampled_from(data["identifiers"]))
    elif draw(st.booleans()):
        container = data["target"]
    key = draw(st.sampled_from([*container, "unexpected"]))
    container[key] = draw(json_values)
    return data
