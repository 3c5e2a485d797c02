"""`plx-validate` as a user runs it: output formats, exit codes, hostile input."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from cli_support import URI_REFERENCE, assert_valid_sarif, run_cli
from conftest import FIXTURES, REPO
from plxinit.diagnostics import Diagnostic, Position, Range, Related, Severity
from plxinit.reporters import FileResult, artifact_location, render_json, render_sarif, render_text

TWO_HANDLERS = """kind: component
run:
  kind: job
  init:
    - artifacts: {dirs: [data]}
      git: {url: "https://github.com/o/r"}
"""


def plx(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh process, bounded in time and memory."""
    return run_cli(*args, input=stdin, cwd=cwd)


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


@pytest.mark.parametrize(
    ("before", "pad"),
    [
        ("日本", " " * 4),  # wide: two columns each
        ("e\u0301e\u0301", " " * 2),  # combining accents take no column
        ("a\u200bb", " " * 2),  # a zero-width space neither
        ("😀", " " * 2),
    ],
    ids=["wide", "combining", "zero-width", "emoji"],
)
def test_the_underline_lines_up_with_what_a_terminal_shows(before: str, pad: str) -> None:
    from plxinit.validate import validate_text

    text = f"kind: component\nrun:\n  kind: job\n  init: [{{path: {before}, connection: 1}}]\n"
    report = render_text([FileResult("p.yaml", validate_text(text), text)]).splitlines()
    assert report[2] == f"4 |   init: [{{path: {before}, connection: 1}}]"
    assert report[3] == "  |   " + " " * len("init: [{path: ") + pad + " " * len(", connection: ") + "^"


def test_github_format_emits_workflow_commands(two_handlers: Path) -> None:
    result = plx("--format", "github", str(two_handlers))
    assert result.stdout == (
        f"::error file={two_handlers},line=6,col=7,endLine=6,endColumn=10,title=plx-validate (one-handler)::"
        "Only one built-in handler per init entry: `artifacts` and `git` are both set. "
        "Split them into separate entries.\n"
    )


def test_sarif_format_is_sarif_2_1_0_for_code_scanning(two_handlers: Path, tmp_path: Path) -> None:
    result = plx("--format", "sarif", "polyaxonfile.yaml", cwd=tmp_path)
    sarif = assert_valid_sarif(result.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "plx-validate"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    [finding] = run["results"]
    assert finding["ruleId"] == "one-handler" and rule_ids[finding["ruleIndex"]] == "one-handler"
    assert finding["level"] == "error"
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "polyaxonfile.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/"}}
    assert location["region"] == {"startLine": 6, "startColumn": 7, "endLine": 6, "endColumn": 10}


def test_sarif_uris_are_percent_encoded_uri_references(tmp_path: Path) -> None:
    folder = tmp_path / "my jobs" / "été"
    folder.mkdir(parents=True)
    (folder / "a#1.yaml").write_text(TWO_HANDLERS, encoding="utf-8")
    (folder / "c:d.yaml").write_text(TWO_HANDLERS, encoding="utf-8")
    absolute = folder / "a#1.yaml"
    result = plx("-f", "sarif", "./my jobs/été/a#1.yaml", "my jobs/été/c:d.yaml", str(absolute), cwd=tmp_path)
    sarif = assert_valid_sarif(result.stdout)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in sarif["runs"][0]["results"]]
    assert uris == [
        {"uri": "my%20jobs/%C3%A9t%C3%A9/a%231.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": "my%20jobs/%C3%A9t%C3%A9/c%3Ad.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": absolute.as_uri()},
    ]
    assert absolute.as_uri().startswith("file:///") and "%20" in absolute.as_uri()


def test_sarif_takes_any_file_name_a_posix_system_allows(tmp_path: Path) -> None:
    # not UTF-8, a backslash (part of a name on POSIX), `%`, `#` and a space: one file, one URI
    folder = os.fsencode(tmp_path) + b"/polyaxon"
    os.mkdir(folder)
    with open(folder + b"/\xff a\\b%#.yaml", "w", encoding="utf-8") as handle:
        handle.write(TWO_HANDLERS)
    result = plx("-f", "sarif", "polyaxon", cwd=tmp_path)
    assert result.returncode == 1
    sarif = assert_valid_sarif(result.stdout)
    [finding] = sarif["runs"][0]["results"]
    assert finding["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "polyaxon/%FF%20a%5Cb%25%23.yaml",
        "uriBaseId": "%SRCROOT%",
    }


@pytest.mark.parametrize(
    ("path", "windows", "location"),
    [
        ("//srv/jobs/a.yaml", False, {"uri": "file:///srv/jobs/a.yaml"}),  # not a host name
        ("/srv/a b/%c#.yaml", False, {"uri": "file:///srv/a%20b/%25c%23.yaml"}),
        ("C:\\jobs\\a.yaml", False, {"uri": "C%3A%5Cjobs%5Ca.yaml", "uriBaseId": "%SRCROOT%"}),
        ("C:\\my jobs\\a.yaml", True, {"uri": "file:///C:/my%20jobs/a.yaml"}),
        ("\\\\server\\share\\a.yaml", True, {"uri": "file://server/share/a.yaml"}),
        ("..\\jobs\\a.yaml", True, {"uri": "../jobs/a.yaml", "uriBaseId": "%SRCROOT%"}),
    ],
    ids=["posix-double-slash", "posix-encoded", "posix-backslash-name", "windows-drive", "windows-unc", "windows-up"],
)
def test_sarif_uris_follow_the_systems_paths(path: str, windows: bool, location: dict[str, str]) -> None:
    assert artifact_location(FileResult(path), windows=windows) == location
    assert URI_REFERENCE.match(location["uri"])


@pytest.mark.parametrize(
    ("args", "location"),
    [
        ((), {"uri": "stdin"}),
        (("--stdin-filename", "ci/job 1.yaml"), {"uri": "ci/job%201.yaml", "uriBaseId": "%SRCROOT%"}),
    ],
    ids=["fixed-stdin-uri", "stdin-filename"],
)
def test_sarif_names_stdin(args: tuple[str, ...], location: dict[str, str]) -> None:
    result = plx("-f", "sarif", *args, "-", stdin=TWO_HANDLERS.encode())
    sarif = assert_valid_sarif(result.stdout)
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == location


def test_sarif_reports_unreadable_files_as_notifications(tmp_path: Path) -> None:
    result = plx("-f", "sarif", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 2
    run = assert_valid_sarif(result.stdout)["runs"][0]
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["message"] == {"text": "missing.yaml: no such file"}


def _with_related() -> FileResult:
    text = 'kind: component\nrun:\n  kind: job\n  init: [{path: "unclosed]\n'
    diag = Diagnostic(
        Range(Position(3, 16), Position(3, 17)),
        Severity.ERROR,
        "yaml-syntax",
        "This quoted string is never closed.",
        related=(Related(Range(Position(4, 0), Position(4, 0)), "the file ends here"),),
    )
    return FileResult("p.yaml", [diag], text)


def test_related_information_is_a_note_line_in_text() -> None:
    assert render_text([_with_related()]) == (
        "p.yaml:4:17: error: This quoted string is never closed. [yaml-syntax]\n"
        "  |\n"
        '4 |   init: [{path: "unclosed]\n'
        "  |                 ^\n"
        "p.yaml:5:1: note: the file ends here\n"
        "1 error, 0 warnings in 1 file.\n"
    )


def test_related_information_in_json_and_sarif() -> None:
    [entry] = json.loads(render_json([_with_related()]))["files"][0]["diagnostics"]
    assert entry["related"] == [{"line": 5, "column": 1, "endLine": 5, "endColumn": 1, "message": "the file ends here"}]
    sarif = assert_valid_sarif(render_sarif([_with_related()], root="/work"))
    [finding] = sarif["runs"][0]["results"]
    assert finding["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "p.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 5, "startColumn": 1, "endLine": 5, "endColumn": 1},
            },
            "message": {"text": "the file ends here"},
        }
    ]


def test_help_says_which_files_a_scan_validates_the_default_draft_and_the_exit_codes() -> None:
    result = plx("--help")
    assert result.returncode == 0
    help_text = " ".join(result.stdout.split())
    for words in (
        "DRAFT is 2020-12 (the default) or draft-07",
        "A FILE named on the command line is always validated.",
        "**/polyaxonfile*.{yaml,yml}, **/*.plx.{yaml,yml}, **/polyaxon/**/*.{yaml,yml} or **/.polyaxon/**/*.{yaml,yml}",
        "a top-level `kind: component`, `operation` or `compiled_operation`",
        "A DIRECTORY with no polyaxonfile is an error (exit 2) unless --allow-no-files.",
        "0 no errors (warnings allowed, unless --strict)",
        "1 errors found, or warnings with --strict",
        "130 interrupted (Ctrl-C)",
        "-v never changes the exit status.",
    ):
        assert words in help_text, words


def test_the_readme_says_which_files_a_scan_validates_and_the_default_draft() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    for words in (
        "#### Which files a directory scan validates",
        "A file named on the command line is always validated.",
        "`**/polyaxonfile*.{yaml,yml}`, `**/*.plx.{yaml,yml}`, `**/polyaxon/**/*.{yaml,yml}` or "
        "`**/.polyaxon/**/*.{yaml,yml}`",
        "a top-level `kind: component`, `operation` or `compiled_operation`",
        "DRAFT is `2020-12` (the default) or `draft-07`",
        "`--allow-no-files`",
    ):
        assert words in readme, words


def test_an_unclosed_quote_is_reported_where_it_opens_with_the_end_of_the_file_as_a_note(tmp_path: Path) -> None:
    (tmp_path / "polyaxonfile.yaml").write_text(
        'kind: component\nrun:\n  kind: job\n  init:\n    - connection: "repo\n    - path: p\n', encoding="utf-8"
    )
    result = plx("polyaxonfile.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        'polyaxonfile.yaml:5:19: error: YAML syntax error: the string quoted with `"` on line 5 is never closed '
        "[yaml-syntax]\n"
        "  |\n"
        '5 |     - connection: "repo\n'
        "  |                   ^\n"
        'polyaxonfile.yaml:6:14: note: the file ends here without the closing `"`\n'
        "1 error, 0 warnings in 1 file.\n"
    )


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
    assert result.stdout == f"{loop}: error: cannot be read (a symlink loop)\n1 file could not be read.\n"


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


@pytest.mark.parametrize(
    "names",
    [
        ("clean",),
        ("two-handlers",),
        ("two-handlers", "clean", "missing"),
        ("folder",),
        ("empty-folder",),
        ("missing",),
    ],
)
def test_paths_alone_skip_argparse_and_print_the_same_bytes(tmp_path: Path, names: tuple[str, ...]) -> None:
    """A command line of paths only is read without argparse; `--` before the same paths goes
    through argparse: both runs print the same bytes on both streams, with the same exit code."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "polyaxonfile.yaml").write_text(TWO_HANDLERS, encoding="utf-8")
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "two-handlers.yaml").write_text(TWO_HANDLERS, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text("kind: component\nrun: {kind: job, container: {image: a}}\n", "utf-8")
    paths = [str(tmp_path / (name if "folder" in name or name == "missing" else f"{name}.yaml")) for name in names]
    probe = (
        "import sys, plxinit.cli as c; code = c.run(); "
        "print(int('argparse' in sys.modules), file=sys.stderr); sys.exit(code)"
    )
    plain = run_cli(*paths, code=probe)
    through_argparse = run_cli("--", *paths, code=probe)
    assert plain.stderr.endswith("0\n") and through_argparse.stderr.endswith("1\n")
    assert (plain.returncode, plain.stdout, plain.stderr[:-2]) == (
        through_argparse.returncode,
        through_argparse.stdout,
        through_argparse.stderr[:-2],
    )
    assert plain.returncode in (0, 1, 2) and (plain.stdout or plain.stderr[:-2])


@pytest.mark.parametrize("args", [("-",), ("--strict", "x.yaml"), ("x.yaml", "-f", "json"), ("",), ()])
def test_anything_but_plain_paths_goes_through_argparse(args: tuple[str, ...]) -> None:
    from plxinit.cli import _PlainArgs, parse_arguments

    assert not isinstance(parse_arguments(list(args)), _PlainArgs)


def test_plain_paths_get_every_default_argparse_gives() -> None:
    from plxinit.cli import _PlainArgs, parse_arguments

    plain = parse_arguments(["a.yaml", "dir"])
    assert isinstance(plain, _PlainArgs)
    assert vars(plain) == vars(parse_arguments(["--", "a.yaml", "dir"]))


def test_the_garbage_collector_is_paused_only_until_the_first_file_is_validated(two_handlers: Path) -> None:
    probe = (
        "import atexit, gc, sys; from plxinit import cli, validate; real = validate.validate_text\n"
        "def spy(text, context=None):\n"
        "    print('during', gc.isenabled(), file=sys.stderr); return real(text, context)\n"
        "validate.validate_text = spy; atexit.register(lambda: print('after', gc.isenabled(), file=sys.stderr))\n"
        "cli.GC_PAUSE_LIMIT = 200; cli.main()"
    )
    small = run_cli(str(two_handlers), str(two_handlers), code=probe)
    assert small.stderr.splitlines() == ["during False", "during True", "after True"]
    two_handlers.write_text(TWO_HANDLERS + "#" * 300 + "\n", encoding="utf-8")
    large = run_cli(str(two_handlers), code=probe)
    assert large.stderr.splitlines() == ["during True", "after True"]
    assert small.returncode == large.returncode == 1
