"""Profile API ``external_ids`` data for the sample-profile and strategy-preview tests."""

from __future__ import annotations

from typing import Any


def item(kind: str, value: object, created_at: object, **extra: Any) -> dict[str, Any]:
    return {
        "id": value,
        "type": kind,
        "source_id": "src1",
        "collection": "users",
        "created_at": created_at,
        "encoding": "none",
        "first_message_id": "msg-1",
        **extra,
    }


def response(*items: dict[str, Any], has_more: bool = False) -> dict[str, Any]:
    return {"data": list(items), "cursor": {"url": "/v1/x", "has_more": has_more, "next": ""}}
