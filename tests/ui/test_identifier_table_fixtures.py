"""A small hand-built catalog and validator shared by the identifier table and Event
settings tests, so they do not depend on the shipped catalog's exact contents.

No tests here; the other modules import from it.
"""

from __future__ import annotations

from app.core.catalog import (
    Catalog,
    DestinationConstraints,
    DestinationSpec,
    IdentifierSpec,
    PresetKey,
)
from app.core.findings import Area, Finding, Severity
from app.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Setup, Strategy

FACEBOOK = "facebook-custom-audiences"
ITERABLE = "iterable"
CRITEO = "criteo-audiences"


def small_catalog() -> Catalog:
    return Catalog(
        identifiers=(
            IdentifierSpec(id="user_id", name="User ID", description="userId of calls"),
            IdentifierSpec(id="email", name="Email", description="traits.email"),
            IdentifierSpec(id="anonymous_id", name="Anonymous ID", description="anonymousId"),
            IdentifierSpec(
                id="ios.idfa", name="iOS IDFA", description="advertisingId", mobile_ad_id=True
            ),
            IdentifierSpec(
                id="android.idfa",
                name="Android advertising ID",
                description="advertisingId",
                mobile_ad_id=True,
            ),
            IdentifierSpec(
                id="braze_id", name="Braze ID", description="legacy default", legacy=True
            ),
        ),
        destinations=(
            DestinationSpec(
                slug=FACEBOOK,
                name="Facebook Custom Audiences",
                identifier_mode="preset",
                preset_keys=(
                    PresetKey(key="EXTERN_ID", label="External ID", suggested_segment=("user_id",)),
                    PresetKey(
                        key="EMAIL",
                        label="Email",
                        description="Hashed email",
                        suggested_segment=("email",),
                    ),
                    PresetKey(key="PHONE", label="Phone"),
                    PresetKey(
                        key="MADID",
                        label="Mobile advertising ID",
                        suggested_segment=("ios.idfa", "android.idfa"),
                    ),
                ),
                supports_mobile_ids=True,
                default_strategy=Strategy.ALL,
                constraints=DestinationConstraints(
                    notes=("Profiles need an email or a mobile advertising ID to be matched.",)
                ),
            ),
            DestinationSpec(
                slug=ITERABLE,
                name="Iterable",
                known_fields=("email", "userId"),
                default_strategy=Strategy.LAST,
            ),
            DestinationSpec(slug=CRITEO, name="Criteo Audiences", known_fields=("email",)),
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
            elif row.destination and row.destination not in (spec.known_fields if spec else ()):
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
