"""The OpenAPI schema tells the truth about the answers (what `make fuzz` checks at large, pinned here)."""

from __future__ import annotations

import datetime
import json

import pytest

from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(admin_client) -> dict:
    return admin_client.get("/api/schema/?format=json").json()


def test_a_projects_signing_date_is_nullable_in_the_schema_as_in_the_answers(admin_client, schema):
    # Regression: schemathesis found `signed_on: null` (a project not signed yet) against a non-nullable schema.
    field = schema["components"]["schemas"]["Project"]["properties"]["signed_on"]
    assert field.get("nullable") is True and field["format"] == "date"
    project = ProjectFactory(stage_on=datetime.date(2020, 1, 10))
    assert admin_client.get(f"/api/projects/{project.pk}/").json()["signed_on"] is None


def test_the_token_endpoint_is_documented_without_authentication(schema):
    operation = schema["paths"]["/api/auth/token/"]["post"]
    assert {"200", "400", "429"} <= set(operation["responses"])
    assert operation.get("security") in (None, [], [{}])  # no authentication asked for


def test_every_request_body_is_offered_as_json_only(schema):
    # A body offered as JSON, form and multipart at once broke every create/update module of a generated client.
    offered = {
        (path, method): sorted(operation["requestBody"]["content"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert len(offered) > 40
    assert {key: types for key, types in offered.items() if types != ["application/json"]} == {}


def test_the_api_refuses_a_form_post_with_a_clear_415_and_writes_nothing(admin_client):
    from enterprises.models import Enterprise

    form = admin_client.post(
        "/api/enterprises/", "name=表单企业有限公司", content_type="application/x-www-form-urlencoded"
    )
    multipart = admin_client.post("/api/enterprises/", {"name": "表单企业有限公司"})
    for response in (form, multipart):
        assert response.status_code == 415, response.content
        assert "请以 JSON 格式发送" in response.json()["detail"]
    assert not Enterprise.objects.filter(name="表单企业有限公司").exists()


def test_the_token_endpoint_still_takes_a_form_post_as_the_readme_shows(client):
    # `curl -X POST -d username=… -d password=… …/api/auth/token/` (README, "API tokens").
    from tests.factories import UserFactory

    user = UserFactory(username="script")
    user.set_password("a long script password")
    user.save()
    response = client.post(
        "/api/auth/token/",
        "username=script&password=a+long+script+password",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and len(response.json()["token"]) >= 8


def test_the_schema_is_the_same_bytes_in_english_whatever_the_readers_language(admin_client):
    answers = {
        "Accept-Language: en": admin_client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").content,
        "Accept-Language: zh-CN": admin_client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="zh-CN").content,
        "?lang=zh-hans": admin_client.get("/api/schema/?format=json&lang=zh-hans").content,
    }
    admin_client.cookies["django_language"] = "zh-hans"
    answers["language cookie zh-hans"] = admin_client.get("/api/schema/?format=json").content
    assert len(set(answers.values())) == 1, {reader: len(body) for reader, body in answers.items()}


def test_a_chinese_reader_gets_the_schema_in_english(admin_client):
    admin_client.cookies["django_language"] = "zh-hans"
    schema = admin_client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="zh-CN").json()
    status = schema["components"]["schemas"]["EnterpriseStatusEnum"]["description"]
    assert "`operating` - Operating" in status and "在营" not in status
    filters = {p["name"]: p for p in schema["paths"]["/api/enterprises/"]["get"]["parameters"]}
    assert "状态" not in json.dumps(filters["status"], ensure_ascii=False)


def test_the_schema_names_are_stable_ascii(admin_client):
    admin_client.cookies["django_language"] = "zh-hans"
    schema = admin_client.get("/api/schema/?format=json").json()
    # Components name the generated classes; the titles of inline enums (query filters) name theirs.
    assert [name for name in schema["components"]["schemas"] if not (name.isascii() and name.isidentifier())] == []
    titles = [
        parameter["schema"]["title"]
        for operations in schema["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if "title" in parameter.get("schema", {})
    ]
    assert [title for title in titles if not title.isascii()] == []
