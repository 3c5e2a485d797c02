"""`plx-validate` as a user runs it: output formats, exit codes, hostile input."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

TWO_HANDLERS = """kind: component
run:
  kind: job
  init:
    - artifacts: {dirs: [data]}
      git: {url: "https://github.com/o/r"}
"""


def _limit_memory() -> None:
    limit = 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def plx(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh process, bounded in time and memory."""
    completed = subprocess.run(
        [sys.executable, "-m", "plxinit.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        cwd=cwd,
        preexec_fn=_limit_memory,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return subprocess.CompletedProcess(
        completed.args, completed.returncode, completed.stdout.decode(), completed.stderr.decode()
    )


@pytest.fixture
def two_handlers(tmp_path: Path) -> Path:
    path = tmp_path / "polyaxonfile.yaml"
    path.write_text(TWO_HANDLERS, encoding="utf-8")
    return path


def test_text_format_prints_location_snippet_underline_and_summary(two_handlers: Path, tmp_path: Path) -> None:
    result = plx("polyaxonfile.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "polyaxonfile.yaml:6:7: error: Only one built-in handler per init entry: `artifacts` and `git` "
        "are both set. Split them into separate entries. [one-handler]\n"
        "  |\n"
        '6 |       git: {url: "https://github.com/o/r"}\n'
        "  |       ^~~\n"
        "1 error, 0 warnings in 1 file.\n"
    )


def test_json_format_has_the_documented_shape(two_handlers: Path) -> None:
    result = plx("--format", "json", str(two_handlers))
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "files": [
            {
                "path": str(two_handlers),
                "diagnostics": [
                    {
                        "severity": "error",
                        "code": "one-handler",
                        "message": "Only one built-in handler per init entry: `artifacts` and `git` are both set. "
                        "Split them into separate entries.",
                        "line": 6,
                        "column": 7,
                        "endLine": 6,
                        "endColumn": 10,
                    }
                ],
            }
        ]
    }


def test_columns_count_code_points(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("kind: component\nrun:\n  kind: job\n  init: [{path: 😀, connection: 1}]\n", encoding="utf-8")
    [diag] = json.loads(plx("-f", "json", str(path)).stdout)["files"][0]["diagnostics"]
    # `  init: [{path: 😀, connection: ` is 31 code points (the emoji counts once)
    assert (diag["line"], diag["column"], diag["endColumn"]) == (4, 32, 33)


def test_github_format_emits_workflow_commands(two_handlers: Path) -> None:
    result = plx("--format", "github", str(two_handlers))
    assert result.stdout == (
        f"::error file={two_handlers},line=6,col=7,endLine=6,endColumn=10,title=plx-validate (one-handler)::"
        "Only one built-in handler per init entry: `artifacts` and `git` are both set. "
        "Split them into separate entries.\n"
    )


def test_sarif_format_is_sarif_2_1_0_for_code_scanning(two_handlers: Path, tmp_path: Path) -> None:
    result = plx("--format", "sarif", "polyaxonfile.yaml", cwd=tmp_path)
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "plx-validate"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    [finding] = run["results"]
    assert finding["ruleId"] == "one-handler" and rule_ids[finding["ruleIndex"]] == "one-handler"
    assert finding["level"] == "error"
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "polyaxonfile.yaml"
    assert location["region"] == {"startLine": 6, "startColumn": 7, "endLine": 6, "endColumn": 10}


def test_clean_file_exits_0() -> None:
    result = plx(str(FIXTURES / "positive" / "c01-artifacts-dirs-only.yaml"))
    assert result.returncode == 0
    assert result.stdout == "No problems found in 1 file.\n"


def test_warnings_fail_only_with_strict() -> None:
    path = str(FIXTURES / "positive" / "c22-container-command-as-string.yaml")
    assert plx(path).returncode == 0
    assert plx("--strict", path).returncode == 1


def test_stdin_with_a_display_name() -> None:
    result = plx("--stdin-filename", "from-ci.yaml", "-", stdin=TWO_HANDLERS.encode())
    assert result.returncode == 1
    assert result.stdout.startswith("from-ci.yaml:6:7: error:")


def test_directories_are_searched_for_polyaxonfiles_only(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "job.yaml").write_text(TWO_HANDLERS, encoding="utf-8")
    (tmp_path / "k8s.yaml").write_text("apiVersion: v1\nkind: Pod\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("kind: component\n", encoding="utf-8")
    result = plx("-v", str(tmp_path))
    assert result.returncode == 1
    assert "job.yaml:6:7: error" in result.stdout
    assert "k8s.yaml" not in result.stdout
    assert f"{tmp_path / 'k8s.yaml'}: skipped (not a polyaxonfile)" in result.stderr


def test_no_paths_is_a_usage_error() -> None:
    result = plx()
    assert result.returncode == 2
    assert "give at least one PATH" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\x00\x01\x02binary", "not a text file (it contains NUL bytes)"),
        (b"kind: component\nname: caf\xe9\n", "not valid UTF-8 (byte 0xe9 at offset 25)"),
    ],
)
def test_unreadable_files_exit_2_with_a_clear_message(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "polyaxonfile.yaml"
    if content is not None:
        path.write_bytes(content)
    result = plx(str(path))
    assert result.returncode == 2
    assert result.stdout.startswith(f"{path}: error: {message}")
    assert "Traceback" not in result.stderr


def test_a_symlink_loop_is_an_io_error(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = plx(str(loop))
    assert result.returncode == 2
    assert "cannot be read" in result.stdout


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("empty", "", "not-polyaxonfile"),
        ("syntax", "kind: component\nrun: [\n", "yaml-syntax"),
        (
            "alias-bomb",
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "too-complex",
        ),
        ("deep-nesting", "kind: component\nparams: " + "[" * 10_000 + "]" * 10_000 + "\n", "too-complex"),
        ("recursive-alias", "kind: component\nrun:\n  kind: job\n  init: &x [*x]\n", "too-complex"),
        (
            "deep-block-nesting",
            "kind: component\n" + "".join(" " * i + f"k{i}:\n" for i in range(3000)),
            "too-complex",
        ),
    ],
)
def test_hostile_documents_get_one_clear_diagnostic(tmp_path: Path, name: str, text: str, code: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    result = plx("-f", "json", str(path))
    assert result.returncode == 1
    codes = [d["code"] for d in json.loads(result.stdout)["files"][0]["diagnostics"]]
    assert codes == [code]


def test_a_50000_line_file_is_validated(tmp_path: Path) -> None:
    entries = "".join(f"    - connection: conn-{i}\n      artifacts: {{dirs: [d{i}]}}\n" for i in range(25_000))
    path = tmp_path / "big.yaml"
    path.write_text(f"kind: component\nrun:\n  kind: job\n  init:\n{entries}    - connection: 1\n", encoding="utf-8")
    result = plx("-f", "json", str(path))
    assert result.returncode == 1
    [diag] = json.loads(result.stdout)["files"][0]["diagnostics"]
    assert (diag["code"], diag["line"]) == ("type", 50_005)
