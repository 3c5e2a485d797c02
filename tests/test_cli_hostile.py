"""`plx-validate` under hostile conditions: it never blocks, never loses results, never shows a traceback.

Each case runs the CLI in a fresh process under a 1 GB memory cap with a generous timeout
(a hang fails the test through the timeout; nothing here measures time).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli_support import assert_valid_sarif, run_cli

BAD_CONNECTION = "kind: component\nrun:\n  kind: job\n  init: [{connection: 1}]\n"
BAD_CONNECTION_REPORT = (
    ':4:23: error: `connection` must be a string, not an integer. Quote it: "1". [type]\n'
    "  |\n"
    "4 |   init: [{connection: 1}]\n"
    "  |                       ^\n"
)

# Runs the CLI with `validate_text` failing on texts that contain BOOM (a stand-in for any bug).
INJECT_FAILURE = """
import sys
import plxinit.validate as validate
real = validate.validate_text
def failing(text, context=None):
    if "BOOM" in text:
        raise {error}
    return real(text, context)
validate.validate_text = failing
from plxinit.cli import main
main()
"""


# --------------------------------------------------------------------------- 1. no lost results
@pytest.mark.parametrize(
    ("error", "shown"),
    [
        ("RuntimeError('injected\\nfailure')", "RuntimeError: injected failure"),
        ("RecursionError('maximum recursion depth exceeded')", "RecursionError: maximum recursion depth exceeded"),
        ("MemoryError()", "MemoryError"),
    ],
)
def test_an_internal_failure_on_one_file_is_that_files_problem(tmp_path: Path, error: str, shown: str) -> None:
    (tmp_path / "a.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("kind: component  # BOOM\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    result = run_cli("a.yaml", "b.yaml", "c.yaml", cwd=tmp_path, code=INJECT_FAILURE.format(error=error))
    assert (result.returncode, result.stderr) == (2, "")
    assert result.stdout == (
        f"a.yaml{BAD_CONNECTION_REPORT}"
        f"b.yaml: error: internal error: {shown}; please report it\n"
        f"c.yaml{BAD_CONNECTION_REPORT}"
        "2 errors, 0 warnings in 2 files; 1 file could not be checked (internal error).\n"
    )


def test_an_internal_failure_is_in_json_too(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("kind: component  # BOOM\n", encoding="utf-8")
    result = run_cli("-f", "json", "b.yaml", cwd=tmp_path, code=INJECT_FAILURE.format(error="KeyError('x')"))
    assert result.returncode == 2
    assert json.loads(result.stdout) == {
        "files": [{"path": "b.yaml", "diagnostics": [], "error": "internal error: KeyError: 'x'; please report it"}]
    }


# --------------------------------------------------------------------------- 2. FIFOs, devices, loops
def test_a_fifo_given_directly_never_blocks(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "polyaxonfile.yaml")
    result = run_cli("polyaxonfile.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "")
    assert result.stdout == "polyaxonfile.yaml: error: not a regular file (a FIFO)\n1 file could not be read.\n"


def test_a_fifo_in_a_scanned_directory_never_blocks(tmp_path: Path) -> None:
    (tmp_path / "jobs").mkdir()
    os.mkfifo(tmp_path / "jobs" / "pipe.yaml")
    (tmp_path / "jobs" / "train.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    result = run_cli("jobs", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "")
    assert result.stdout == (
        "jobs/pipe.yaml: error: not a regular file (a FIFO)\n"
        f"jobs/train.yaml{BAD_CONNECTION_REPORT}"
        "1 error, 0 warnings in 1 file; 1 file could not be read.\n"
    )


def test_a_device_is_not_a_regular_file() -> None:
    result = run_cli("/dev/zero")
    assert (result.returncode, result.stderr) == (2, "")
    assert result.stdout == "/dev/zero: error: not a regular file (a character device)\n1 file could not be read.\n"


@pytest.mark.parametrize("verbose", [(), ("-v",)], ids=["quiet", "verbose"])
def test_a_symlink_loop_in_a_scanned_directory_exits_2_with_or_without_v(tmp_path: Path, verbose: tuple[str]) -> None:
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "jobs" / "polyaxonfile.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    result = run_cli(*verbose, "jobs", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "")
    assert result.stdout.startswith("jobs/loop.yaml: error: cannot be read (a symlink loop)\n")
    assert result.stdout.endswith("1 error, 0 warnings in 1 file; 1 file could not be read.\n")


@pytest.mark.parametrize("scan", [False, True], ids=["given", "in-a-scan"])
def test_a_broken_symlink_says_where_it_points(tmp_path: Path, scan: bool) -> None:
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "polyaxonfile.yaml").symlink_to("../moved/polyaxonfile.yaml")
    result = run_cli("jobs" if scan else "jobs/polyaxonfile.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "")
    assert result.stdout == (
        "jobs/polyaxonfile.yaml: error: a broken symbolic link (to '../moved/polyaxonfile.yaml', which does not "
        "exist)\n1 file could not be read.\n"
    )


# Runs the CLI as a user who may not read `locked/` nor `secret.yaml` (the tests may run as root,
# who may read anything, so the refusal is the operating system's, injected).
DENY_ACCESS = """
import errno, os
real_scandir, real_open = os.scandir, os.open
def deny(path):
    if os.fsdecode(path).endswith(("locked", "secret.yaml")):
        raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
def scandir(path="."):
    deny(path)
    return real_scandir(path)
def open_(path, *args, **kwargs):
    deny(path)
    return real_open(path, *args, **kwargs)
os.scandir, os.open = scandir, open_
from plxinit.cli import main
main()
"""


def test_what_a_scan_may_not_read_is_reported_and_counted(tmp_path: Path) -> None:
    (tmp_path / "jobs" / "locked").mkdir(parents=True)
    (tmp_path / "jobs" / "locked" / "polyaxonfile.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    (tmp_path / "jobs" / "secret.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    (tmp_path / "jobs" / "polyaxonfile.yaml").write_text("kind: component\nrun: {kind: job}\n", encoding="utf-8")
    result = run_cli("jobs", cwd=tmp_path, code=DENY_ACCESS)
    assert (result.returncode, result.stderr) == (2, "")
    assert result.stdout == (
        "jobs/secret.yaml: error: permission denied\n"
        "jobs/locked: error: directory cannot be listed (Permission denied)\n"
        "No problems found in 1 file; 1 file could not be read; 1 directory could not be listed.\n"
    )


def test_verbose_never_changes_the_exit_code_of_a_scan(tmp_path: Path) -> None:
    (tmp_path / "k8s.yaml").write_text("apiVersion: v1\nkind: Pod\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_bytes(b"\xff\xfek\x00")
    (tmp_path / "polyaxonfile.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    quiet, verbose = run_cli(".", cwd=tmp_path), run_cli("-v", ".", cwd=tmp_path)
    assert quiet.returncode == verbose.returncode == 2
    assert quiet.stdout == verbose.stdout
    assert verbose.stderr == "plx-validate: ./k8s.yaml: skipped (not a polyaxonfile)\n"


# --------------------------------------------------------------------------- 4. standard streams
def test_closed_stdin_is_one_line_and_exit_2() -> None:
    result = run_cli("-", before=lambda: os.close(0))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "plx-validate: standard input is closed, so - has nothing to read\n"


def test_closed_stdout_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "polyaxonfile.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    result = run_cli("polyaxonfile.yaml", cwd=tmp_path, before=lambda: os.close(1))
    assert result.returncode == 2
    assert result.stderr == "plx-validate: standard output is closed; there is nowhere to write the report\n"


@pytest.mark.parametrize("args", [("polyaxonfile.yaml",), ("--export-schema",)], ids=["report", "export"])
def test_a_full_stdout_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "polyaxonfile.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        result = run_cli(*args, cwd=tmp_path, stdout=full.fileno())
    assert result.returncode == 2
    assert result.stderr == "plx-validate: cannot write the output: No space left on device\n"


def test_a_reader_that_goes_away_keeps_the_exit_code(tmp_path: Path) -> None:
    (tmp_path / "polyaxonfile.yaml").write_text(BAD_CONNECTION * 1, encoding="utf-8")
    read_end, write_end = os.pipe()
    os.close(read_end)  # `plx-validate ... | head -0`
    try:
        result = run_cli("polyaxonfile.yaml", cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (1, "")


# --------------------------------------------------------------------------- 5. bounded, honest output
def test_a_snippet_shows_at_most_200_columns_around_the_range(tmp_path: Path) -> None:
    line = "  init: [" + "{path: p}, " * 500 + "{connection: 1}" + ", {path: p}" * 500 + "]"
    (tmp_path / "polyaxonfile.yaml").write_text(f"kind: component\nrun:\n  kind: job\n{line}\n", encoding="utf-8")
    column = line.index("{connection: 1}") + len("{connection: ")  # 0-based, 5522
    result = run_cli("polyaxonfile.yaml", cwd=tmp_path)
    assert result.returncode == 1
    header, _bar, source, underline, summary = result.stdout.splitlines()
    assert header == (
        f'polyaxonfile.yaml:4:{column + 1}: error: `connection` must be a string, not an integer. Quote it: "1". [type]'
    )
    # 40 columns of context before the range, 200 in all, a `…` where the line is cut
    assert source == "4 | …" + line[column - 40 : column + 160] + "…"
    assert underline == "  | " + " " * 41 + "^"
    assert summary == "1 error, 0 warnings in 1 file."


def test_a_400_kb_string_repeated_through_aliases_prints_kilobytes(tmp_path: Path) -> None:
    big = "x" * 400_000
    entries = "".join("    - file: {kind: *s, content: a}\n" for _ in range(100))
    (tmp_path / "polyaxonfile.yaml").write_text(
        f'kind: component\ns: &s "{big}"\nrun:\n  kind: job\n  init:\n{entries}', encoding="utf-8"
    )
    for output in ("text", "json", "sarif", "github"):
        result = run_cli("-f", output, "polyaxonfile.yaml", cwd=tmp_path)
        assert result.returncode == 1, output
        assert len(result.stdout) < 300_000, output  # 101 findings of a few hundred bytes (SARIF: 1.6 KB)
        assert max(len(line) for line in result.stdout.splitlines()) < 1_000, output


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("kind: component\n".encode("utf-16-le"), "UTF-16"),
        ("kind: component\n".encode("utf-16-be"), "UTF-16"),
        ("kind: component\n".encode("utf-32-le"), "UTF-32"),
        ("kind: component\n".encode("utf-32-be"), "UTF-32"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"],
)
def test_utf16_and_utf32_files_get_a_clear_message(tmp_path: Path, data: bytes, encoding: str) -> None:
    bom = {"UTF-16": "\ufeff".encode("utf-16-le" if data[1] == 0 else "utf-16-be")}
    if encoding == "UTF-32":
        bom = {"UTF-32": "\ufeff".encode("utf-32-le" if data[1] == 0 else "utf-32-be")}
    (tmp_path / "polyaxonfile.yaml").write_bytes(bom[encoding] + data)
    result = run_cli("polyaxonfile.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "")
    assert result.stdout == (
        f"polyaxonfile.yaml: error: {encoding} is not supported; save the file as UTF-8\n1 file could not be read.\n"
    )


def test_the_summary_of_an_unreadable_file_says_what_happened(tmp_path: Path) -> None:
    result = run_cli("missing.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "")
    assert result.stdout == "missing.yaml: error: no such file\n1 file could not be read.\n"


# --------------------------------------------------------------------------- 7. nothing to check
def test_an_empty_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "polyaxon-jobs").mkdir()
    result = run_cli("polyaxon-jobs", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "No polyaxonfiles found.\n")
    assert result.stderr == (
        "plx-validate: polyaxon-jobs: no polyaxonfile found (it has no .yaml, .yml or .json file); "
        "--allow-no-files accepts this\n"
    )


def test_a_directory_whose_files_all_fail_detection_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "job.yaml").write_text("apiVersion: batch/v1\nkind: Job\n", encoding="utf-8")
    (tmp_path / "k8s" / "config.yaml").write_text("app: demo\nrun: {kind: local}\n", encoding="utf-8")
    result = run_cli("-f", "json", "k8s", cwd=tmp_path)
    assert (result.returncode, json.loads(result.stdout)) == (2, {"files": []})
    assert result.stderr == (
        "plx-validate: k8s: no polyaxonfile found (none of its 2 YAML/JSON files is a polyaxonfile; "
        "-v lists them); --allow-no-files accepts this\n"
    )


def test_allow_no_files_accepts_a_directory_without_polyaxonfiles(tmp_path: Path) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "job.yaml").write_text("apiVersion: batch/v1\nkind: Job\n", encoding="utf-8")
    result = run_cli("--allow-no-files", "k8s", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "No polyaxonfiles found.\n", "")


def test_one_empty_directory_among_others_still_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "polyaxonfile.yaml").write_text("kind: component\nrun: {kind: job}\n", encoding="utf-8")
    result = run_cli("jobs", "empty", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "No problems found in 1 file.\n")
    assert result.stderr.startswith("plx-validate: empty: no polyaxonfile found")


# --------------------------------------------------------------------------- 9. option conflicts
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--export-schema", "polyaxonfile.yaml"),
            "--export-schema takes an optional DRAFT (2020-12 or draft-07), not 'polyaxonfile.yaml'; "
            "it checks no PATH: give paths without --export-schema",
        ),
        (
            ("--export-schema", "draft-07", "polyaxonfile.yaml"),
            "--export-schema takes no PATH (got 'polyaxonfile.yaml'); use -o FILE to write the schema to a file",
        ),
        (("-o", "schema.json", "polyaxonfile.yaml"), "-o/--output is only used with --export-schema"),
        ((), "give at least one PATH (or - for stdin)"),
        (("-", "-"), "- (standard input) can be read only once; give it once"),
        (
            ("--stdin-filename", "job.yaml", "polyaxonfile.yaml"),
            "--stdin-filename names standard input: give - among the PATHs",
        ),
        (
            ("--export-schema=",),
            "--export-schema takes an optional DRAFT (2020-12 or draft-07), not ''; "
            "it checks no PATH: give paths without --export-schema",
        ),
    ],
    ids=[
        "draft-swallows-a-path",
        "export-with-paths",
        "output-without-export",
        "no-path",
        "stdin-twice",
        "stdin-filename-without-stdin",
        "empty-draft",
    ],
)
def test_option_conflicts_are_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli(*args, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("usage: plx-validate")
    assert result.stderr.splitlines()[-1] == f"plx-validate: error: {message}"
    assert not (tmp_path / "schema.json").exists()


# --------------------------------------------------------------------------- 10. every format x every problem
def _problem_files(folder: Path) -> None:
    """One file per kind of problem, all in one scanned folder (named so that detection takes them)."""
    head = "kind: component\nrun:\n  kind: job\n  init:\n"
    texts = {
        "syntax": head + '    - connection: "unclosed\n',
        "duplicate": "kind: component\n" + ("k" * 1000 + ": 1\n") * 2 + "run: {kind: job}\n",
        "multi-line-key": head + "    - ? |\n        a\n        b\n      : 1\n",
        "control": head + '    - {"con\\u001b[2Jnection\\u202e": 1}\n',
        "huge-int": head + "    - file: {content: x, chmod: 0x" + "f" * 5000 + "}\n",
        "deep": "kind: component\nparams: " + "[" * 5000 + "]" * 5000 + "\n",
        "not-mapping": "- kind: component\n",
        "valid": "kind: component\nrun: {kind: job}\n",
    }
    for name, text in texts.items():
        (folder / f"{name}.plx.yaml").write_text(text, encoding="utf-8")
    (folder / "utf16.plx.yaml").write_bytes("\ufeffkind: component\n".encode("utf-16-le"))
    (folder / "binary.plx.yaml").write_bytes(b"kind: \x00\x01")
    os.mkfifo(folder / "fifo.plx.yaml")
    (folder / "loop.plx.yaml").symlink_to("loop.plx.yaml")
    (folder / "dangling.plx.yaml").symlink_to("nowhere.yaml")


CHECKED_FILES = 8  # the readable ones above
UNREADABLE_FILES = 5


@pytest.mark.parametrize("output", ["text", "json", "github", "sarif"])
def test_every_format_takes_every_kind_of_problem(tmp_path: Path, output: str) -> None:
    _problem_files(tmp_path)
    result = run_cli("-f", output, ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "")
    assert len(result.stdout) < 60_000
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) < 1_000
    if output == "text":
        # every line is a finding, a snippet line, a note or the summary: no message spills over
        for line in lines[:-1]:
            assert line.startswith(("./", " ", "1", "2", "3", "4", "5", "6", "7", "8", "9")), line
        assert lines[-1] == (
            f"7 errors, 1 warning in {CHECKED_FILES} files; {UNREADABLE_FILES} files could not be read."
        )
    elif output == "github":
        assert all(line.startswith(("::error ", "::warning ")) for line in lines)
        assert len(lines) == 8 + UNREADABLE_FILES
    elif output == "json":
        files = json.loads(result.stdout)["files"]
        assert len(files) == CHECKED_FILES + UNREADABLE_FILES
        assert sum(1 for f in files if "error" in f) == UNREADABLE_FILES
    else:
        run = assert_valid_sarif(result.stdout)["runs"][0]
        assert len(run["results"]) == 8
        assert len(run["invocations"][0]["toolExecutionNotifications"]) == UNREADABLE_FILES


@pytest.mark.parametrize(
    ("output", "where"),
    [("", "cannot write : No such file or directory"), (".", "cannot write .: Is a directory")],
    ids=["empty-name", "a-directory"],
)
def test_an_export_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path, output: str, where: str) -> None:
    result = run_cli("--export-schema", "-o", output, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"plx-validate: {where}\n")


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "a\nb.plx.yaml").write_text(BAD_CONNECTION, encoding="utf-8")
    result = run_cli("jobs", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == f"jobs/a\\nb.plx.yaml{BAD_CONNECTION_REPORT}1 error, 0 warnings in 1 file.\n"


def test_two_hundred_thousand_invalid_entries_explain_the_first_500_in_bounded_memory(tmp_path: Path) -> None:
    entries = "    - {connection: 1}\n" * 200_000  # 4 MB; every entry explained would need gigabytes
    (tmp_path / "polyaxonfile.yaml").write_text("kind: component\nrun:\n  kind: job\n  init:\n" + entries)
    result = run_cli("-f", "json", "polyaxonfile.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    diagnostics = json.loads(result.stdout)["files"][0]["diagnostics"]
    assert [(d["code"], d["line"]) for d in diagnostics[:500]] == [("type", line) for line in range(5, 505)]
    assert diagnostics[500:] == [
        {
            "severity": "error",
            "code": "too-complex",
            "message": "Init entry 501 (`run.init[500]`) and 199,499 later entries of this list are invalid too; "
            "only the first 500 invalid init entries of a file are explained.",
            "line": 505,
            "column": 7,
            "endLine": 505,
            "endColumn": 8,
        }
    ]


def test_a_file_gets_at_most_1000_diagnostics_errors_first(tmp_path: Path) -> None:
    # 100,000 duplicate-key warnings must not hide the unknown key, nor print megabytes
    text = "kind: component\nrun: {kind: job}\n" + "k: 1\n" * 100_000
    (tmp_path / "polyaxonfile.yaml").write_text(text, encoding="utf-8")
    result = run_cli("-f", "json", "polyaxonfile.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    diagnostics = json.loads(result.stdout)["files"][0]["diagnostics"]
    assert len(diagnostics) == 1001
    assert [(d["code"], d["line"]) for d in diagnostics[:999]] == [("duplicate-key", n) for n in range(4, 1003)]
    assert diagnostics[999:] == [
        {
            "severity": "warning",
            "code": "too-complex",
            "message": "99,000 more problems (the first one here) are not reported: a file gets at most 1,000 "
            "diagnostics, errors first.",
            "line": 1003,
            "column": 1,
            "endLine": 1003,
            "endColumn": 1,
        },
        {
            "severity": "error",
            "code": "unknown-key",
            "message": "Unknown key `k` in polyaxonfile.",
            "line": 100_002,
            "column": 1,
            "endLine": 100_002,
            "endColumn": 2,
        },
    ]


def test_300000_unknown_keys_are_counted_not_worded(tmp_path: Path) -> None:
    text = "kind: component\nrun: {kind: job}\n" + "".join(f"a{i}: &a{i} x\n" for i in range(300_000))
    (tmp_path / "polyaxonfile.yaml").write_text(text, encoding="utf-8")
    result = run_cli("polyaxonfile.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert len(result.stdout) < 300_000
    lines = result.stdout.splitlines()
    assert lines[0] == "polyaxonfile.yaml:3:1: error: Unknown key `a0` in polyaxonfile. [unknown-key]"
    assert lines[-5:] == [
        "polyaxonfile.yaml:1003:1: error: 299,000 more problems (the first one here) are not reported: "
        "a file gets at most 1,000 diagnostics, errors first. [too-complex]",
        "     |",
        "1003 | a1000: &a1000 x",
        "     | ^",
        "1001 errors, 0 warnings in 1 file.",
    ]
