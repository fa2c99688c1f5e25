"""A Python client generated from the live OpenAPI schema (openapi-python-client) imports and works.

As an integrator would: the schema fetched from a running server, a client generated from it into a temporary
folder (offline: no post-hooks, so no formatter is looked for), every generated module imported, then the client
used with a demo role's token against the live server: list enterprises page by page, create one, a stale update
refused with 409, a project's stage move. Before the API took JSON bodies only, 31 modules failed to import
(`NameError: Unset`), every create and update among them; with the schema in the reader's language, a Chinese
reader's client had Chinese module names.
"""

from __future__ import annotations

import datetime
import importlib
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

PACKAGE = "parkadmin_api_client"
STAFF = "demo-staff"  # investment, enterprise and statistics staff: no administrator rights


@pytest.fixture
def client_package(tmp_path: Path, live_server, transactional_db):
    """The demo on the live server, its schema as a Chinese reader fetches it, and the client generated from it,
    importable as PACKAGE; (package, staff token). The modules are forgotten afterwards."""
    from demo import DEMO_PASSWORD, load

    load(with_accounts=True)
    token = httpx.post(
        f"{live_server.url}/api/auth/token/", json={"username": STAFF, "password": DEMO_PASSWORD}
    ).json()["token"]
    schema = httpx.get(
        f"{live_server.url}/api/schema/?format=json",
        headers={"Authorization": f"Token {token}", "Accept-Language": "zh-CN,zh;q=0.9"},
    )
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")
    generate = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--config",
            str(tmp_path / "config.yaml"),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generate.returncode == 0, generate.stdout + generate.stderr
    # Warnings name the parts of the schema the generator could not turn into code.
    assert "Warning" not in generate.stdout + generate.stderr, generate.stdout + generate.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path / PACKAGE, token
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def module_names(package: Path) -> list[str]:
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_a_generated_client_imports_and_works_against_the_live_server(client_package, live_server):
    from enterprises.models import Enterprise
    from projects.models import Project

    package, token = client_package
    names = module_names(package)
    failures = {}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:  # every failing module is reported, not only the first
            failures[name] = f"{type(error).__name__}: {error}"
    assert len(names) > 200 and failures == {}
    assert [name for name in names if not name.isascii()] == []

    api = importlib.import_module(f"{PACKAGE}.api")
    models = importlib.import_module(f"{PACKAGE}.models")
    client_module = importlib.import_module(f"{PACKAGE}.client")
    from_module = lambda tag, name: importlib.import_module(f"{api.__name__}.{tag}.{name}")  # noqa: E731

    # The token, through the client: the token endpoint's module was among those that did not import.
    anonymous = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    from demo import DEMO_PASSWORD

    got = from_module("auth", "auth_token_create").sync(
        client=anonymous, body=models.AuthTokenRequest(username=STAFF, password=DEMO_PASSWORD)
    )
    assert got.token == token
    client = client_module.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")

    # List, paginated: two pages of 5, different enterprises, the total as the database has it.
    listing = from_module("enterprises", "enterprises_list")
    first = listing.sync(client=client, page_size=5)
    second = listing.sync(client=client, page_size=5, page=2)
    assert first.count == second.count == Enterprise.objects.count() > 10
    assert len(first.results) == len(second.results) == 5 and first.next_ and second.previous
    assert not {e.id for e in first.results} & {e.id for e in second.results}

    # Create.
    created = from_module("enterprises", "enterprises_create").sync_detailed(
        client=client,
        body=models.EnterpriseRequest(
            name="生成客户端科技有限公司", park="core", cluster="NEM", status=models.EnterpriseStatusEnum.OPERATING
        ),
    )
    assert created.status_code == 201, created.content
    enterprise = created.parsed
    assert enterprise.version == 1 and enterprise.status == models.EnterpriseStatusEnum.OPERATING
    assert Enterprise.objects.get(pk=enterprise.id).park.code == "core"

    # Update with the version read, then a stale one: 409, nothing written.
    update = from_module("enterprises", "enterprises_partial_update")
    saved = update.sync_detailed(
        enterprise.id, client=client, body=models.PatchedEnterpriseRequest(version=1, address="鹤城区一号")
    )
    assert saved.status_code == 200 and saved.parsed.version == 2
    stale = update.sync_detailed(
        enterprise.id, client=client, body=models.PatchedEnterpriseRequest(version=1, address="鹤城区二号")
    )
    assert stale.status_code == 409, stale.content
    assert Enterprise.objects.get(pk=enterprise.id).address == "鹤城区一号"

    # The stage move: the demo's project under construction goes into production today.
    project = Project.objects.get(stage="construction", is_sample=False)
    moved = from_module("projects", "projects_stage_create").sync_detailed(
        project.pk,
        client=client,
        body=models.StageMoveRequest(stage=models.StageEnum.PRODUCTION, on=datetime.date.today(), note="投产"),
    )
    assert moved.status_code == 201, moved.content
    assert moved.parsed.project_stage == models.StageEnum.PRODUCTION
    assert Project.objects.get(pk=project.pk).stage == "production"
