"""The fields Segment's Public API SDK marks as required in the models the sandbox
answers with, and a checker for them.

Taken from segmentio/public-api-sdk-typescript, commit 3780bc607 (OpenAPI 73.2.0): a
field is required when its model declares it without ``?``. Read a model with
``GIT_DIR=…/segmentio+public-api-sdk-typescript/repo git show HEAD:model/<file>.ts``.

Per model: ``required`` fields; ``objects`` maps a field to the model of its object value
(checked when present and not null), ``items`` a field to the model of its array items,
``maps`` lists fields whose value is an object keyed by id.
"""

from __future__ import annotations

from typing import Any

MODELS: dict[str, dict[str, Any]] = {
    # model/paginationOutput.ts
    "PaginationOutput": {
        "required": ["current"],
    },
    # model/space.ts
    "Space": {
        "required": ["id", "slug", "name"],
    },
    # model/listSpacesAlphaOutput.ts
    "ListSpacesAlphaOutput": {
        "required": ["spaces", "pagination"],
        "items": {"spaces": "Space"},
        "objects": {"pagination": "PaginationOutput"},
    },
    # model/audienceComputeCadence.ts
    "AudienceComputeCadence": {
        "required": ["type"],
    },
    # model/audienceDefinition.ts
    "AudienceDefinition": {
        "required": ["query"],
    },
    # model/audienceSummaryWithAudienceTypeAndLookback.ts
    "AudienceSummaryWithAudienceTypeAndLookback": {
        "required": [
            "computeCadence",
            "id",
            "spaceId",
            "name",
            "key",
            "enabled",
            "definition",
            "createdBy",
            "updatedBy",
            "createdAt",
            "updatedAt",
            "audienceType",
        ],
        "objects": {"computeCadence": "AudienceComputeCadence", "definition": "AudienceDefinition"},
    },
    # model/listAudiencesAlphaOutput.ts
    "ListAudiencesAlphaOutput": {
        "required": ["audiences", "pagination"],
        "items": {"audiences": "AudienceSummaryWithAudienceTypeAndLookback"},
        "objects": {"pagination": "PaginationOutput"},
    },
    # model/iDSyncConfigurationInput.ts
    "IDSyncConfigurationInput": {
        "required": ["externalId", "strategy"],
    },
    # model/metadata.ts
    "Metadata": {
        "required": ["id", "name", "slug"],
    },
    # model/simpleDestination.ts
    "SimpleDestination": {
        "required": [
            "id",
            "sourceId",
            "enabled",
            "createdAt",
            "updatedAt",
            "settings",
            "destinationId",
        ],
        "objects": {"metadata": "Metadata"},
        "items": {"idSyncConfiguration": "IDSyncConfigurationInput"},
    },
    # model/listDestinationsFromAudienceAlphaOutput.ts
    "ListDestinationsFromAudienceAlphaOutput": {
        "required": ["connections"],
        "items": {"connections": "SimpleDestination"},
        "objects": {"pagination": "PaginationOutput"},
    },
    # model/connection.ts
    "Connection": {
        "required": ["id"],
    },
    # model/destination.ts
    "Destination": {
        "required": ["id"],
    },
    # model/addDestinationToAudienceAlphaOutput.ts
    "AddDestinationToAudienceAlphaOutput": {
        "required": ["connection", "idSyncConfiguration"],
        "objects": {"connection": "Connection"},
        "items": {"idSyncConfiguration": "IDSyncConfigurationInput"},
    },
    # model/updateDestinationForAudienceAlphaOutput.ts
    "UpdateDestinationForAudienceAlphaOutput": {
        "required": ["destination"],
        "objects": {"destination": "Destination"},
        "items": {"idSyncConfiguration": "IDSyncConfigurationInput"},
    },
    # model/removeDestinationFromAudienceAlphaOutput.ts
    "RemoveDestinationFromAudienceAlphaOutput": {
        "required": ["status"],
    },
    # model/listSupportedDestinationsFromAudienceAlphaOutput.ts
    "ListSupportedDestinationsFromAudienceAlphaOutput": {
        "required": ["destinations"],
        "maps": ["destinations"],
        "objects": {"pagination": "PaginationOutput"},
    },
    # model/logosBeta.ts
    "LogosBeta": {
        "required": ["default"],
    },
    # model/destinationMetadataV1.ts
    "DestinationMetadataV1": {
        "required": [
            "id",
            "name",
            "description",
            "slug",
            "logos",
            "options",
            "status",
            "previousNames",
            "categories",
            "website",
            "components",
            "supportedFeatures",
            "supportedMethods",
            "supportedPlatforms",
            "actions",
            "presets",
        ],
        "objects": {"logos": "LogosBeta"},
    },
    # model/destinationV1.ts
    "DestinationV1": {
        "required": ["id", "enabled", "metadata", "sourceId", "settings"],
        "objects": {"metadata": "DestinationMetadataV1"},
    },
    # model/listDestinationsV1Output.ts
    "ListDestinationsV1Output": {
        "required": ["destinations", "pagination"],
        "items": {"destinations": "DestinationV1"},
        "objects": {"pagination": "PaginationOutput"},
    },
    # model/requestError.ts
    "RequestError": {
        "required": ["type"],
    },
    # model/requestErrorEnvelope.ts
    "RequestErrorEnvelope": {
        "required": ["errors"],
        "items": {"errors": "RequestError"},
    },
}


def missing_fields(value: Any, model: str, where: str = "data") -> list[str]:
    """Every required field of ``model`` (and of its nested models) absent from ``value``."""
    spec = MODELS[model]
    if not isinstance(value, dict):
        return [f"{where} is not an object ({model})"]
    missing = [f"{where}.{name}" for name in spec["required"] if name not in value]
    for name, inner in spec.get("objects", {}).items():
        if value.get(name) is not None:
            missing += missing_fields(value[name], inner, f"{where}.{name}")
    for name, inner in spec.get("items", {}).items():
        items = value.get(name)
        if items is None:
            continue
        if not isinstance(items, list):
            missing.append(f"{where}.{name} is not an array")
            continue
        for index, item in enumerate(items):
            missing += missing_fields(item, inner, f"{where}.{name}[{index}]")
    for name in spec.get("maps", []):
        if not isinstance(value.get(name), dict):
            missing.append(f"{where}.{name} is not an object keyed by id")
    return missing
