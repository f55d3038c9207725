"""The API's OpenAPI schema as a client sees it, and checking real answers against it with openapi-core."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS31Validator


@functools.cache
def api_schema() -> dict:
    """The schema /api/schema/ serves, as JSON (lazy translations rendered)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


@functools.cache
def openapi() -> OpenAPI:
    return OpenAPI.from_dict(api_schema())


def operations() -> Iterator[tuple[str, str, str]]:
    """(operationId, method, path template) of every operation in the schema."""
    for path, item in api_schema()["paths"].items():
        for method, operation in item.items():
            yield operation["operationId"], method, path


def check_response(*, method: str, template: str, path: str, response) -> None:
    """Raises openapi-core's error when the answer (status, content type, headers, body) does not match what the
    schema says of the operation ``method`` ``template``."""
    request = MockRequest("http://testserver", method, path, path_pattern=template)
    answer = MockResponse(
        response.content,
        status_code=response.status_code,
        headers=dict(response.headers.items()),
        content_type=response.headers.get("Content-Type", ""),
    )
    openapi().validate_response(request, answer)


def component_errors(name: str, instance) -> list[str]:
    """Why ``instance`` does not match the component ``name`` (empty: it matches)."""
    schema = api_schema()
    validator = OAS31Validator({"$ref": f"#/components/schemas/{name}", "components": schema["components"]})
    return [error.message for error in validator.iter_errors(instance)]
