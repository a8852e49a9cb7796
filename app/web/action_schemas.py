"""The JSON API's action bodies in the OpenAPI document: one schema per kind of action,
built from the rules' own action types (`app/rules/action_types.py`), as a union told
apart by `kind`, so `/docs` shows what each action's body holds."""

from __future__ import annotations

import copy
from functools import cache
from typing import Annotated, Any

from fastapi import FastAPI
from pydantic import Field, TypeAdapter

from app.rules.action_types import Action

REF = "#/components/schemas/{model}"
TURN = {
    "type": "integer",
    "minimum": 1,
    "title": "Turn",
    "description": "The turn the action is given for (optional): if that turn has ended "
    "meanwhile, the action is refused (409) rather than applied to the next.",
}


@cache
def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    """(the request body's schema, the component schemas it refers to)."""
    adapter: TypeAdapter[Action] = TypeAdapter(Annotated[Action, Field(discriminator="kind")])
    schema = adapter.json_schema(ref_template=REF)
    components: dict[str, Any] = schema.pop("$defs")
    for definition in components.values():
        # The kind names the action: it is required, never defaulted.
        definition["properties"]["kind"].pop("default", None)
        definition["required"] = ["kind", *definition.get("required", [])]
        definition["properties"]["turn"] = TURN
    return schema, components


def action_body() -> dict[str, Any]:
    """The `openapi_extra` of the actions route: its request body."""
    schema, _ = _schemas()
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": copy.deepcopy(schema)}},
        }
    }


def path_parameters(*names: str) -> list[dict[str, Any]]:
    """The OpenAPI entries of a route's path parameters that its function reads from the
    request rather than taking as arguments (as FastAPI would document them)."""
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "title": name.replace("_", " ").title()},
        }
        for name in names
    ]


def batch_body(most: int) -> dict[str, Any]:
    """The `openapi_extra` of the batch route: a list of actions, applied in order."""
    schema, _ = _schemas()
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "title": "ActionBatch",
                        "required": ["actions"],
                        "properties": {
                            "actions": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": most,
                                "items": copy.deepcopy(schema),
                                "description": "Applied in order, each on its own: one "
                                "refused action does not stop the others.",
                            }
                        },
                    }
                }
            },
        }
    }


def install(app: FastAPI) -> None:
    """Add the action schemas to the app's OpenAPI components (once, when it is built)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            _, components = _schemas()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(copy.deepcopy(components))
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]
