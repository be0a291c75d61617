"""Where the rules' facts come from: one constant per source, cited by the rule table.

docs/sources.md quotes the sentence each rule rests on. ``HOUSE`` marks the app's own
hygiene rules, which Segment does not state; they warn and never refuse a config unless
the API would reject the result.
"""

from __future__ import annotations

from typing import Final

HOUSE: Final = "house"

ID_SYNC_DOC: Final = "https://segment.com/docs/engage/trait-activation/id-sync/"
"""Segment's ID Sync page: three All identifiers, Send Mobile IDs, new data only, no
resync, Audience Exit, the dropdown destinations, traits written to profiles."""

GOOGLE_REMARKETING_DOC: Final = (
    "https://segment.com/docs/connections/destinations/catalog/adwords-remarketing-lists/"
)
"""Email or mobile device ID as the list's matcher; one more identifier, mapped to phone."""

IDENTITY_RESOLUTION_SETTINGS_DOC: Final = (
    "https://segment.com/docs/unify/identity-resolution/identity-resolution-settings/"
)
"""Which identifiers are defaults only in legacy spaces."""

_SDK: Final = "https://github.com/segmentio/public-api-sdk-typescript/blob/master/"

API_CREATE_INPUT: Final = _SDK + "model/addDestinationToAudienceAlphaInput.ts"
"""At most five idSyncConfiguration items; what Default Setup sends when it is omitted."""

API_ID_SYNC_ENTRY: Final = _SDK + "model/iDSyncConfigurationInput.ts"
"""externalId is required; the three strategies; all sends one event per value."""

API_ACTIVATIONS: Final = _SDK + "api/activationsApi.ts"
"""The audience endpoints; there is none for journeys."""

FACEBOOK_TRAIT_KEYS: Final = (
    "https://segment.com/docs/connections/destinations/catalog/"
    "personas-facebook-custom-audiences/#additional-traits-matching"
)
"""The 13 Facebook keys of the classic destination (EMAIL, MADID, FN, … COUNTRY), and
email or a mobile device ID as the identifiers Facebook requires. On an Actions
destination the keys come from the catalog: what its default mappings read."""
