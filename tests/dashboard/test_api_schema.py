"""/api/dashboard/ is described by a typed component of the OpenAPI schema, and its live answer validates against it
(additional keys refused: the schema describes the whole answer, as a generated client reads it)."""

from __future__ import annotations

import datetime
import json

import jsonschema
import pytest

from demo import load
from tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def json_schema(openapi: dict, component: str) -> dict:
    """The OpenAPI 3.0 component as a JSON Schema: `nullable` spelled as JSON Schema does, every object closed."""

    def convert(node):
        if isinstance(node, list):
            return [convert(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: convert(value) for key, value in node.items()}
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        if node.pop("nullable", False):
            node = {"anyOf": [node, {"type": "null"}]}
        return node

    return {"$ref": f"#/components/schemas/{component}", "components": convert(openapi["components"])}


@pytest.fixture
def schema(admin_client) -> dict:
    return admin_client.get("/api/schema/?format=json").json()


def test_the_dashboard_answer_is_a_typed_component_of_the_schema(schema):
    answer = schema["paths"]["/api/dashboard/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/Dashboard"}
    dashboard = schema["components"]["schemas"]["Dashboard"]
    assert set(dashboard["required"]) >= {"year", "park", "indicators", "projects", "incubation", "service_requests"}
    projects = schema["components"]["schemas"]["DashboardProjects"]["properties"]
    assert projects["signed_count"]["type"] == "integer" and projects["funds_arrived"]["type"] == "number"
    indicator = schema["components"]["schemas"]["DashboardIndicator"]["properties"]
    assert indicator["value"]["type"] == "number" and indicator["value"]["nullable"] is True


@pytest.mark.parametrize("query", [{"year": 2019}, {"year": 2020, "park": "core"}, {"year": 2020}, {}])
def test_the_live_dashboard_answer_validates_against_its_schema(admin_client, schema, query):
    load(with_accounts=False)
    # A resolved problem in 2020: the median days to resolve is a number, not null.
    ServiceRequestFactory(raised_on=datetime.date(2020, 3, 1), resolved_on=datetime.date(2020, 3, 8), status="resolved")
    response = admin_client.get("/api/dashboard/", {**query, "include_pending": "1"})
    assert response.status_code == 200
    data = response.json()
    jsonschema.validate(data, json_schema(schema, "Dashboard"))
    assert data["indicators"] and data["projects"]["by_stage"] and data["service_requests"]["by_category"]
    if query.get("year") == 2020 and "park" not in query:
        assert data["service_requests"]["median_days_to_resolve"] > 0  # the demo's answered problems and this one


def test_the_schema_check_catches_an_undescribed_key(admin_client, schema):
    # The check itself can fail: a key the serializer does not describe, or a null where none is allowed.
    load(with_accounts=False)
    data = admin_client.get("/api/dashboard/", {"year": 2019}).json()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "extra": 1}, json_schema(schema, "Dashboard"))
    broken = json.loads(json.dumps(data))
    broken["projects"]["signed_count"] = None
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json_schema(schema, "Dashboard"))
