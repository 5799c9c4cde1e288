"""The API reference page: the OpenAPI description, read as a person would
read it, in the NHS.UK layout. Server-rendered, with no script of its own."""

import json
from dataclasses import dataclass

from django.shortcuts import render
from ninja.openapi.docs import DocsBase

SCHEMAS = "#/components/schemas/"
WHERE = {"path": "address", "query": "query string", "header": "header", "cookie": "cookie"}


@dataclass(frozen=True)
class Part:
    """A piece of a type's name; ``href`` when it names a schema on the page."""

    text: str
    href: str = ""


class Reference(DocsBase):
    def render_page(self, request, api, **kwargs):
        document = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "api/reference.jinja",
            {
                **reference(document),
                "openapi_url": self.get_openapi_url(api, kwargs),
                "breadcrumbs": [{"href": "/", "text": "Home"}],
            },
        )


def reference(document):
    return {
        "title": document["info"]["title"],
        "version": document["info"]["version"],
        "description": prose(document["info"].get("description", "")),
        "groups": _groups(document["paths"]),
        "schemas": [
            _schema(name, schema)
            for name, schema in sorted(document["components"]["schemas"].items())
        ],
    }


def prose(text):
    """Text with `code` in backticks, as (text, is_code) pieces."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(text.split("`")) if piece]


def anchor(name):
    return "schema-" + name


def type_of(schema):
    """A schema's type in words, as Parts: ``list of Error``, ``integer or null``."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(SCHEMAS)
        return [Part(name, "#" + anchor(name))]
    for combined in ("anyOf", "oneOf"):
        if combined in schema:
            parts = []
            for option in schema[combined]:
                parts += ([Part(" or ")] if parts else []) + type_of(option)
            return parts
    if "enum" in schema:
        return [Part("one of " + ", ".join(str(value) for value in schema["enum"]))]
    kind = schema.get("type", "any value")
    if kind == "array":
        return [Part("list of ")] + type_of(schema.get("items", {}))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return [Part("object of ")] + type_of(schema["additionalProperties"])
    return [Part(f"{kind} ({schema['format']})" if "format" in schema else kind)]


def limits_of(schema):
    """The constraints and default of a value, in words."""
    words = []
    for option in [schema, *schema.get("anyOf", [])]:
        for key, say in (
            ("minimum", "at least"),
            ("maximum", "at most"),
            ("minLength", "at least {} characters"),
            ("maxLength", "at most {} characters"),
        ):
            if key in option:
                words.append(say.format(option[key]) if "{}" in say else f"{say} {option[key]}")
    if schema.get("default") not in ("", None, []):
        words.append(f"default {json.dumps(schema['default'])}")
    return "; ".join(words)


def _groups(paths):
    groups = {}
    for path, operations in paths.items():
        for method, operation in operations.items():
            name = (operation.get("tags") or ["Other"])[0]
            groups.setdefault(name, []).append(_operation(path, method, operation))
    return [
        {"name": name, "id": "group-" + name.lower().replace(" ", "-"), "operations": found}
        for name, found in groups.items()
    ]


def _operation(path, method, operation):
    body = operation.get("requestBody", {}).get("content", {})
    return {
        "id": operation["operationId"],
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary") or f"{method.upper()} {path}",
        "description": prose(operation.get("description", "")),
        "parameters": [
            {
                "name": parameter["name"],
                "where": WHERE.get(parameter["in"], parameter["in"]),
                "type": type_of(parameter["schema"]),
                "required": parameter.get("required", False),
                "about": parameter.get("description", ""),
                "limits": limits_of(parameter["schema"]),
            }
            for parameter in operation.get("parameters", [])
        ],
        "body": [
            {"media_type": media_type, "type": type_of(content.get("schema", {}))}
            for media_type, content in body.items()
        ],
        "responses": [
            {
                "status": status,
                "about": prose(response.get("description", "")),
                "content": [
                    {"media_type": media_type, "type": type_of(content.get("schema", {}))}
                    for media_type, content in response.get("content", {}).items()
                ],
            }
            for status, response in operation["responses"].items()
        ],
    }


def _schema(name, schema):
    required = set(schema.get("required", []))
    return {
        "name": name,
        "id": anchor(name),
        "about": prose(schema.get("description", "")),
        "enum": [str(value) for value in schema.get("enum", [])],
        "fields": [
            {
                "name": field,
                "type": type_of(details),
                "required": field in required,
                "about": details.get("description", ""),
                "limits": limits_of(details),
            }
            for field, details in schema.get("properties", {}).items()
        ],
    }
