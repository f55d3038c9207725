"""drf-spectacular postprocessing hooks (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

- ``nullable_for_oas31``: OpenAPI 3.1 has no ``nullable`` keyword (JSON Schema says ``"type": [..., "null"]``);
  pagination schemas written for 3.0 (DRF's and ``CountlessPagination``) still carry it, so a strict validator
  ignored it and refused ``"next": null``.
- ``error_responses``: the one error shape of ``union_portal.api.errors`` as components (``Error``,
  ``ValidationError``, ``ErrorCode``, ``FieldErrors``), added to every operation for the statuses its view can
  answer, read from the view itself (its authentication, permission, throttle and parser classes, its path
  parameters and pagination). An error status a view answers by itself is declared on the view
  (``extend_schema(responses={404: None})``); this hook gives it the shape.
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny

from .errors import ERROR_CODES

REF = "#/components/schemas/"
UNSAFE = {"post", "put", "patch", "delete"}


def nullable_for_oas31(result: dict, generator, request, public) -> dict:
    _fix_nullable(result)
    _raw_file_answers(result)
    return result


def _raw_file_answers(result: dict) -> None:
    """A file answered as it is (a PDF, an image) has no JSON schema in 3.1: its media type says what it is
    (drf-spectacular writes 3.0's ``type: string, format: binary``, which 3.1 validators apply to the bytes)."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for response in operation.get("responses", {}).values():
                for media_type, content in response.get("content", {}).items():
                    if "json" not in media_type and content.get("schema") == {"type": "string", "format": "binary"}:
                        del content["schema"]


def _fix_nullable(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _fix_nullable(item)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _fix_nullable(value)
    if node.get("nullable") is not True:
        node.pop("nullable", None)
        return
    del node["nullable"]
    kind = node.get("type")
    if isinstance(kind, str):
        node["type"] = [kind, "null"]
        if "enum" in node and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
    elif isinstance(kind, list):
        if "null" not in kind:
            kind.append("null")
    else:  # a $ref or a composition: one of it or null
        inner = {key: node.pop(key) for key in list(node) if key not in ("description", "title", "readOnly")}
        node["oneOf"] = [inner, {"type": "null"}]


def _error_components() -> dict[str, dict]:
    return {
        "ErrorCode": {
            "type": "string",
            "enum": list(ERROR_CODES),
            "description": "Why the request failed:\n\n"
            + "\n".join(f"* `{code}` - {meaning}" for code, meaning in ERROR_CODES.items()),
        },
        "Error": {
            "type": "object",
            "description": "Every error answer of the API. `detail` is a sentence for people, in the request's "
            "language (Accept-Language); `code` is for programs.",
            "properties": {
                "detail": {"type": "string"},
                "code": {"$ref": f"{REF}ErrorCode"},
            },
            "required": ["detail", "code"],
        },
        # Not recursive: generated clients (openapi-python-client) drop every response that uses a recursive
        # union. A nested field's messages are an object of the same form, described rather than referenced.
        "FieldErrors": {
            "type": "object",
            "description": "Messages by field name (`non_field_errors`: about the input as a whole); a nested "
            "field's messages are an object of the same form, a list's are keyed by the item's position.",
            "additionalProperties": {
                "anyOf": [
                    {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
                    {"type": "object"},
                ]
            },
        },
        "ValidationError": {
            "type": "object",
            "description": "The input was refused (`code` is `invalid`): `errors` says why, field by field.",
            "properties": {
                "detail": {"type": "string"},
                "code": {"type": "string", "const": "invalid"},
                "errors": {"$ref": f"{REF}FieldErrors"},
            },
            "required": ["detail", "code", "errors"],
        },
    }


DESCRIPTIONS = {
    "400": "The request was refused: bad input (`ValidationError`) or a malformed request (`Error`).",
    "401": "No valid credentials (see the WWW-Authenticate header).",
    "403": "The user may not do this.",
    "404": "Not found, or not visible to this user.",
    "405": "Method not allowed.",
    "413": "The body is too large.",
    "415": "The body's Content-Type is not accepted.",
    "429": "Too many requests (see the Retry-After header).",
}


def _error_content(code: str) -> dict:
    if code == "400":
        schema: dict = {"anyOf": [{"$ref": f"{REF}ValidationError"}, {"$ref": f"{REF}Error"}]}
    else:
        schema = {"$ref": f"{REF}Error"}
    return {"application/json": {"schema": schema}}


def _statuses_of(view, method: str, operation: dict) -> set[str]:
    """The error statuses the view can answer to ``method``, from the way it is built."""
    statuses = set()
    parameters = operation.get("parameters", [])
    takes_body = "requestBody" in operation
    if takes_body or any(p["in"] == "query" for p in parameters):
        statuses.add("400")  # refused input; also a NUL anywhere in the query string (RejectNulMiddleware)
    if takes_body:
        statuses.update({"413", "415"})
    authenticators = view.get_authenticators()
    if authenticators:
        statuses.add("401")  # a bad or expired token is refused even where anonymous callers are allowed
    anonymous_ok = all(isinstance(p, AllowAny) for p in view.get_permissions())
    if not anonymous_ok:
        statuses.update({"401", "403"})
    if method in UNSAFE and any(isinstance(a, SessionAuthentication) for a in authenticators):
        statuses.add("403")  # a session without its CSRF token
    if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
        statuses.add("404")  # no such object, or a page past the last one
    if view.get_throttles():
        statuses.add("429")
    return statuses


def error_responses(result: dict, generator, request, public) -> dict:
    result.setdefault("components", {}).setdefault("schemas", {}).update(_error_components())
    views = {}
    for path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        views[(generator.coerce_path(path, method, view), method.lower())] = view
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            view = views.get((path, method))
            responses = operation.setdefault("responses", {})
            statuses = _statuses_of(view, method, operation) if view is not None else set()
            statuses |= {code for code in responses if code.startswith("4")}
            for code in sorted(statuses):
                response = responses.setdefault(code, {})
                response["content"] = _error_content(code)
                if response.get("description", "") in ("", "No response body"):
                    response["description"] = DESCRIPTIONS.get(code, "")
                if code == "429":
                    response["headers"] = {
                        "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
                    }
                if code == "401":
                    response["headers"] = {
                        "WWW-Authenticate": {"description": "The scheme to use: Bearer", "schema": {"type": "string"}}
                    }
            operation["responses"] = dict(sorted(responses.items()))
    return result
