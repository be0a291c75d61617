"""A small hand-built catalog and validator shared by the identifier table and Event
settings tests, so they do not depend on the shipped catalog's exact contents.

No tests here; the other modules import from it.
"""

from __future__ import annotations

from idsync.core.catalog import (
    Catalog,
    CustomIdentifierKind,
    DestinationConstraints,
    DestinationField,
    DestinationSpec,
    IdentifierSpec,
    ValueKind,
)
from idsync.core.findings import Area, Finding, Severity
from idsync.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Setup, Strategy

FACEBOOK = "personas-facebook-custom-audiences"
ITERABLE = "iterable"
CRITEO = "actions-criteo-audiences"
FACEBOOK_KEYS_SOURCE = (
    "https://github.com/segmentio/action-destinations/blob/main/packages/"
    "destination-actions/src/destinations/facebook-custom-audiences/sync/constants.ts"
)


def small_catalog() -> Catalog:
    return Catalog(
        identifiers=(
            IdentifierSpec(
                id="user_id",
                name="User ID",
                description="userId of calls",
                kind=ValueKind.EXTERNAL_ID,
            ),
            IdentifierSpec(
                id="email", name="Email", description="traits.email", kind=ValueKind.EMAIL
            ),
            IdentifierSpec(
                id="anonymous_id",
                name="Anonymous ID",
                description="anonymousId",
                kind=ValueKind.EXTERNAL_ID,
            ),
            IdentifierSpec(
                id="ios.idfa",
                name="iOS IDFA",
                description="advertisingId",
                kind=ValueKind.MOBILE_AD_ID,
                mobile_ad_id=True,
            ),
            IdentifierSpec(
                id="android.idfa",
                name="Android advertising ID",
                description="advertisingId",
                kind=ValueKind.MOBILE_AD_ID,
                mobile_ad_id=True,
            ),
            IdentifierSpec(
                id="braze_id",
                name="Braze ID",
                description="legacy default",
                kind=ValueKind.EXTERNAL_ID,
                legacy=True,
            ),
        ),
        custom_identifier_kinds=(CustomIdentifierKind(name="phone", kind=ValueKind.PHONE),),
        destinations=(
            DestinationSpec(
                slug=FACEBOOK,
                name="Facebook Custom Audiences",
                identifier_mode="preset",
                keys_source=FACEBOOK_KEYS_SOURCE,
                preset_keys=(
                    DestinationField(
                        key="EXTERN_ID", label="External ID", kind=ValueKind.EXTERNAL_ID
                    ),
                    DestinationField(
                        key="EMAIL",
                        label="Email",
                        description="Hashed email",
                        kind=ValueKind.EMAIL,
                    ),
                    DestinationField(key="PHONE", label="Phone", kind=ValueKind.PHONE),
                    DestinationField(
                        key="MADID", label="Mobile advertising ID", kind=ValueKind.MOBILE_AD_ID
                    ),
                ),
                supports_mobile_ids=True,
                default_identifiers=("email", "ios.idfa", "android.idfa"),
                default_strategy=Strategy.ALL,
                constraints=DestinationConstraints(
                    notes=("Profiles need an email or a mobile advertising ID to be matched.",)
                ),
            ),
            DestinationSpec(
                slug=ITERABLE,
                name="Iterable",
                known_fields=(
                    DestinationField(key="email", kind=ValueKind.EMAIL),
                    DestinationField(key="userId", kind=ValueKind.EXTERNAL_ID),
                ),
                default_strategy=Strategy.LAST,
            ),
            DestinationSpec(
                slug=CRITEO,
                name="Criteo Audiences",
                known_fields=(DestinationField(key="email", kind=ValueKind.EMAIL),),
            ),
        ),
    )


def small_validator(catalog: Catalog):  # type: ignore[no-untyped-def]
    """The few rules these tests need, written out plainly."""

    def validate(doc: IdSyncDocument) -> list[Finding]:
        findings: list[Finding] = []
        if doc.setup is not Setup.CUSTOMIZED:
            return findings
        if not doc.identifiers:
            findings.append(
                Finding(
                    code="T103",
                    severity=Severity.ERROR,
                    message="No identifier rows. Add one or choose Default Setup.",
                    area=Area.IDENTIFIERS,
                    field="identifiers",
                )
            )
        spec = catalog.destination(doc.destination.slug) if doc.destination else None
        all_rows = 0
        for index, row in enumerate(doc.identifiers):
            ident = catalog.identifier(row.segment)
            if ident is not None and ident.mobile_ad_id and not doc.send_mobile_ids:
                findings.append(
                    Finding(
                        code="T109",
                        severity=Severity.ERROR,
                        message=f"{row.segment} needs Send Mobile IDs. Turn it on.",
                        area=Area.IDENTIFIERS,
                        row=index,
                        field="segment",
                    )
                )
            if row.strategy is Strategy.ALL:
                all_rows += 1
                if all_rows > 3:
                    findings.append(
                        Finding(
                            code="T101",
                            severity=Severity.ERROR,
                            message="More than three rows use All. Change this one.",
                            area=Area.IDENTIFIERS,
                            row=index,
                            field="strategy",
                        )
                    )
            if spec is not None and spec.identifier_mode == "preset":
                if row.destination not in spec.accepted_keys():
                    findings.append(
                        Finding(
                            code="T110",
                            severity=Severity.ERROR,
                            message=f"{row.destination or 'Empty'} is not a {spec.name} key.",
                            area=Area.IDENTIFIERS,
                            row=index,
                            field="destination",
                        )
                    )
            elif row.destination and row.destination not in (
                {field.key for field in spec.known_fields} if spec else set()
            ):
                findings.append(
                    Finding(
                        code="T301",
                        severity=Severity.WARNING,
                        message=f"{row.destination} is not a known field. Check the spelling.",
                        area=Area.IDENTIFIERS,
                        row=index,
                        field="destination",
                    )
                )
        return findings

    return validate


def facebook_document(*rows: IdentifierRow, send_mobile_ids: bool = False) -> IdSyncDocument:
    return IdSyncDocument(
        name="Spring promo",
        destination=DestinationRef(slug=FACEBOOK, name="Facebook Custom Audiences"),
        setup=Setup.CUSTOMIZED,
        send_mobile_ids=send_mobile_ids,
        custom_identifiers=("phone",),
        identifiers=rows,
    )


def realistic_facebook_rows() -> tuple[IdentifierRow, ...]:
    return (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),
        IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL),
        IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL),
    )


def with_google(catalog: Catalog) -> Catalog:
    """The small catalog plus a Google-like entry whose key list Segment does not publish."""
    google = DestinationSpec(
        slug="google",
        name="Google Ads Remarketing Lists",
        identifier_mode="preset",
        preset_keys=(
            DestinationField(key="email", label="Email", kind=ValueKind.EMAIL),
            DestinationField(key="phone", label="Phone", kind=ValueKind.PHONE),
            DestinationField(
                key="mobile_advertising_id", label="Mobile ID", kind=ValueKind.MOBILE_AD_ID
            ),
        ),
        supports_mobile_ids=True,
        default_identifiers=("email", "ios.idfa", "android.idfa"),
        constraints=DestinationConstraints(
            matcher_identifiers=("email", "ios.idfa", "android.idfa"),
            max_extra_identifiers=1,
            extra_identifier_field="phone",
        ),
    )
    return catalog.replace(destinations=(*catalog.destinations, google))
