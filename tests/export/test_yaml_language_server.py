"""yaml-language-server 1.25 with the committed draft-07 export: our messages, our snippets.

A scripted LSP session over stdio: the schema is associated through `yaml.schemas` with the
catalog's fileMatch globs (given by `workspace/didChangeConfiguration` and answered again on
`workspace/configuration`), and every wait is on a server message, never a sleep.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _export_support import (
    CASES_DIR,
    DIST_FILES,
    FIXTURES_DIR,
    NODE_DIR,
    REPO_ROOT,
    LspClient,
    load_expected_differences,
    node_tools_required,
)

from plxinit.export import GIT_MAPPING_MESSAGE, GIT_TEMPLATE_MESSAGE

TIMEOUT = 30.0
ERROR = 1
SERVER = NODE_DIR / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


def _one_handler(first: str, second: str) -> str:
    return (
        f"Only one built-in handler per init entry: `{first}` and `{second}` are both set. "
        "Split them into separate entries."
    )


@pytest.fixture(scope="module")
def lsp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LspClient, Path]]:
    node_tools_required()
    catalog = json.loads((REPO_ROOT / "schema" / "catalog" / "polyaxonfile-catalog-entry.json").read_text())
    settings: dict[str, Any] = {
        "yaml": {
            "schemas": {DIST_FILES["draft-07"].as_uri(): catalog["fileMatch"]},
            "validate": True,
            "completion": True,
            "hover": True,
            "schemaStore": {"enable": False},  # no network
            "yamlVersion": "1.1",  # read scalars as Polyaxon does
        },
        "http": {},
        "[yaml]": {},
        "editor": {},
    }
    client = LspClient(["node", str(SERVER), "--stdio"], settings)
    workspace = tmp_path_factory.mktemp("lsp-workspace")
    try:
        client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": workspace.as_uri(),
                "capabilities": {
                    "workspace": {
                        "configuration": True,
                        "didChangeConfiguration": {"dynamicRegistration": True},
                    },
                    "textDocument": {
                        "completion": {"completionItem": {"snippetSupport": True, "documentationFormat": ["markdown"]}},
                        "hover": {"contentFormat": ["markdown"]},
                        "publishDiagnostics": {},
                    },
                },
            },
        )
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": settings})
        yield client, workspace
    finally:
        client.close()


_opened: dict[str, int] = {}


def _open(lsp: tuple[LspClient, Path], name: str, text: str) -> str:
    client, workspace = lsp
    uri = (workspace / name).as_uri()
    _opened[uri] = _opened.get(uri, 0) + 1
    assert _opened[uri] == 1, f"{name} opened twice"
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )
    return uri


def _wait_for_messages(client: LspClient, uri: str, messages: set[str]) -> list[dict[str, Any]]:
    """The first diagnostics for `uri` with all of `messages` (earlier ones may predate the schema)."""

    def ready() -> list[dict[str, Any]] | None:
        for diagnostics in client.diagnostics(uri):
            if messages <= {d["message"] for d in diagnostics}:
                return diagnostics
        return None

    found: list[dict[str, Any]] = client.wait_for(ready, TIMEOUT, f"diagnostics {sorted(messages)} for {uri}")
    return found


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "one-handler-artifacts-git.yaml",
            {(7, _one_handler("artifacts", "git")), (5, _one_handler("git", "artifacts"))},
        ),
        (
            "one-handler-alias.yaml",
            {(5, _one_handler("model_ref", "paths")), (4, _one_handler("paths", "model_ref"))},
        ),
        ("git-without-url.yaml", {(4, GIT_MAPPING_MESSAGE)}),
        ("git-template-without-connection.yaml", {(4, GIT_TEMPLATE_MESSAGE)}),
    ],
)
def test_our_messages_in_diagnostics(lsp: tuple[LspClient, Path], case: str, expected: set[tuple[int, str]]) -> None:
    client, _ = lsp
    uri = _open(lsp, f"polyaxonfile-{case}", (CASES_DIR / "negative" / case).read_text(encoding="utf-8"))
    diagnostics = _wait_for_messages(client, uri, {message for _line, message in expected})
    got = {(d["range"]["start"]["line"], d["message"]) for d in diagnostics if d["severity"] == ERROR}
    assert expected <= got, diagnostics


def test_valid_file_has_no_diagnostics(lsp: tuple[LspClient, Path]) -> None:
    client, _ = lsp
    # a known error first, so the schema is loaded and associated before the valid file is checked
    probe = _open(lsp, "probe.plx.yaml", (CASES_DIR / "negative" / "git-without-url.yaml").read_text())
    _wait_for_messages(client, probe, {GIT_MAPPING_MESSAGE})
    uri = _open(lsp, "job-handlers.plx.yml", (CASES_DIR / "positive" / "job-handlers.yaml").read_text())
    diagnostics = client.wait_for(lambda: client.diagnostics(uri), TIMEOUT, f"diagnostics for {uri}")
    assert diagnostics[-1] == []


def test_completion_in_an_empty_init_entry_offers_handler_snippets(lsp: tuple[LspClient, Path]) -> None:
    client, _ = lsp
    uri = _open(lsp, "polyaxonfile.completion.yaml", "kind: component\nrun:\n  kind: job\n  init:\n    - \n")
    result = client.request(
        "textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 6}}
    )
    items = result["items"] if isinstance(result, dict) else result
    schema = json.loads(DIST_FILES["draft-07"].read_text(encoding="utf-8"))
    entry = schema["definitions"]["init-entry"]
    wanted = {snippet["label"]: snippet for snippet in entry["defaultSnippets"]}
    offered = {
        item["label"]: item
        for item in items
        if item["label"] in wanted and _documentation(item) == wanted[item["label"]]["description"]
    }
    for handler in entry["x-plx-handlers"]:
        assert handler in offered, f"no snippet for {handler}: {[(i['label'], _documentation(i)) for i in items]}"
    assert offered["artifacts"]["insertText"].startswith("artifacts:\n")
    assert "${1:data}" in offered["artifacts"]["insertText"]
    assert "${1:https://github.com/org/repo}" in offered["git"]["insertText"]


def _documentation(item: dict[str, Any]) -> str:
    doc = item.get("documentation", "")
    return str(doc.get("value", "")) if isinstance(doc, dict) else str(doc)


def test_hover_shows_markdown_description(lsp: tuple[LspClient, Path]) -> None:
    client, _ = lsp
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - connection: my-data\n"
    uri = _open(lsp, "polyaxonfile.hover.yaml", text)
    hover = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 9}}
    )
    value = hover["contents"]["value"]
    assert "Name of a connection configured in the Polyaxon deployment." in value
    assert "```yaml\nconnection: gcs-datasets\n```" in value


# --------------------------------------------------------------------------- whole-file fixtures
#: Negative fixtures of the sections beyond `init` (issue 10), by file-name prefix.
WHOLE_FILE_PREFIXES = ("io-", "matrix-", "k8s-", "hook-", "build-", "params-", "schedule-", "alias-", "labels-")


def _whole_file_negatives() -> list[str]:
    """Those whose error the schema itself states (not the rule pass, not a YAML 1.1/JSON nuance)."""
    differs = load_expected_differences()["ajv"]
    return sorted(
        path.name
        for path in (FIXTURES_DIR / "negative").glob("*.yaml")
        if path.name.startswith(WHOLE_FILE_PREFIXES) and f"fixtures/negative/{path.name}" not in differs
    )


def _expected_error_lines(text: str) -> set[int]:
    """0-based lines of a fixture's `# expect: L:C-L:C error ...` headers."""
    lines = set()
    for line in text.splitlines():
        if line.startswith("# expect: ") and " error " in line:
            lines.add(int(line.split()[2].split(":")[0]) - 1)
    return lines


@pytest.mark.parametrize("name", _whole_file_negatives())
def test_whole_file_errors_are_seen_by_yaml_language_server(lsp: tuple[LspClient, Path], name: str) -> None:
    """Every schema-level error outside `init` is an error in yaml-language-server too, near its line.

    yaml-language-server puts an error on the key or the value of the failing node (a
    `required` on its parent mapping), so the line may be the expected one or a line above it.
    """
    client, _ = lsp
    text = (FIXTURES_DIR / "negative" / name).read_text(encoding="utf-8")
    uri = _open(lsp, f"polyaxonfile-{name}", text)

    def errors() -> list[dict[str, Any]] | None:
        for diagnostics in client.diagnostics(uri):
            found = [d for d in diagnostics if d["severity"] == ERROR]
            if found:
                return found
        return None

    found = client.wait_for(errors, TIMEOUT, f"an error for {name}")
    wanted = _expected_error_lines(text)
    lines = {d["range"]["start"]["line"] for d in found}
    assert any(line <= want and want - line <= 3 for want in wanted for line in lines), (wanted, found)
