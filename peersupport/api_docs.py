"""The API's readable documentation, drawn from the same OpenAPI schema as
/api/schema/, as one of our own pages: the site's language, headings, contrast and
CSP. (Swagger UI failed the accessibility checks: no lang, nested controls, low
contrast, no heading; a viewer we do not control cannot be fixed page by page.)"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                operations.append(_operation(method, path, item[method], schema))
    return render(
        request,
        "api_docs.html",
        {"info": schema["info"], "operations": operations},
    )


def _operation(method: str, path: str, operation: dict[str, Any], schema: dict[str, Any]) -> Any:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return {
        "anchor": f"{method}-{path.strip('/').replace('/', '-')}",
        "method": method.upper(),
        "path": path,
        "description": operation.get("description") or operation.get("summary", ""),
        "parameters": operation.get("parameters", []),
        "body": _resolved(body.get("schema"), schema),
        "responses": sorted(operation.get("responses", {}).items()),
    }


def _resolved(part: dict[str, Any] | None, schema: dict[str, Any]) -> str:
    """The request body's schema with its references filled in, as readable JSON."""
    if part is None:
        return ""

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                return resolve(schema["components"]["schemas"][name])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    return json.dumps(resolve(part), indent=2, ensure_ascii=False)
