"""`storyreel kling-keys create | list | revoke` on a projects root, and the OpenAPI
document of the Kling endpoints."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from storyreel.api.kling_keys import KeyStore
from storyreel.cli_kling import register

from .conftest import kling_app

runner = CliRunner()


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)  # keeps `kling-keys` a named group, as on `storyreel`
    register(app)
    return app


def invoke(*args: str) -> str:
    result = runner.invoke(cli(), list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_create_list_and_revoke(tmp_path: Path) -> None:
    root = tmp_path / "films"
    printed = invoke("kling-keys", "create", "--name", "edit suite", "--root", str(root))
    access = re.search(r"access key: (\S+)", printed)
    secret = re.search(r"secret key: (\S+)", printed)
    assert access and secret
    store = KeyStore.for_root(root)
    assert store.secrets() == {access[1]: secret[1]}
    assert store.path.stat().st_mode & 0o777 == 0o600

    listed = invoke("kling-keys", "list", "--root", str(root))
    assert access[1] in listed and "edit suite" in listed and "active" in listed
    assert secret[1] not in listed

    invoke("kling-keys", "revoke", access[1], "--root", str(root))
    assert store.secrets() == {}
    assert "revoked" in invoke("kling-keys", "list", "--root", str(root))


def test_revoking_an_unknown_key_says_so(tmp_path: Path) -> None:
    result = runner.invoke(cli(), ["kling-keys", "revoke", "ak-nope", "--root", str(tmp_path)])
    assert result.exit_code != 0
    assert "kling-keys list" in str(result.exception)


def test_the_root_comes_from_the_environment(tmp_path: Path) -> None:
    result = runner.invoke(
        cli(), ["kling-keys", "create"], env={"STORYREEL_ROOT": str(tmp_path / "env-root")}
    )
    assert result.exit_code == 0, result.output
    assert len(KeyStore.for_root(tmp_path / "env-root").secrets()) == 1


def test_the_openapi_document_describes_the_kling_routes(tmp_path: Path) -> None:
    document = kling_app(tmp_path / "projects").openapi()
    paths = document["paths"]
    expected = {
        ("/v1/videos/text2video", "post"): "TaskEnvelope",
        ("/v1/videos/image2video", "post"): "TaskEnvelope",
        ("/v1/videos/{kind}/{task_id}", "get"): "TaskEnvelope",
        ("/v1/videos/{kind}", "get"): "TaskListEnvelope",
    }
    for (path, method), model in expected.items():
        operation = paths[path][method]
        assert operation["tags"] == ["kling"]
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith(model)
        assert {"401", "500"} <= set(operation["responses"])
        assert operation["security"] == [{"KlingJWT": []}]
    body = paths["/v1/videos/text2video"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("Text2VideoRequest")
    assert "/v1/media/videos/{task_id}.mp4" in paths
    assert "kling" in [tag["name"] for tag in document["tags"]]
