"""`plx-validate` follows pathRefs and checks names against `--catalog`, as a user runs it."""

from __future__ import annotations

from cli_support import run_cli
from conftest import FIXTURES

REFS = FIXTURES / "refs"


def test_a_missing_path_ref_is_an_error_at_its_value() -> None:
    done = run_cli("missing.yaml", cwd=REFS)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "missing.yaml:2:10: error: pathRef `nope.yaml` names no file: "
        f"`{REFS / 'nope.yaml'}` does not exist. [path-ref]"
    )


def test_standard_input_follows_path_refs_only_with_a_file_name() -> None:
    text = (REFS / "missing.yaml").read_bytes()
    assert run_cli("-", cwd=REFS, input=text).returncode == 0
    named = run_cli("--stdin-filename", "missing.yaml", "-", cwd=REFS, input=text)
    assert named.returncode == 1 and "[path-ref]" in named.stdout


def test_names_not_in_the_catalog_are_warnings() -> None:
    done = run_cli("--catalog", "catalog.yaml", "uses-catalog.yaml", cwd=REFS)
    assert done.returncode == 0
    warnings = [line for line in done.stdout.splitlines() if ": warning: " in line]
    assert warnings[0] == (
        "uses-catalog.yaml:3:16: warning: Preset `smal` is not in the catalog `catalog.yaml`. "
        "Did you mean `small`? [catalog]"
    )
    assert len(warnings) == 5
    assert run_cli("--strict", "--catalog", "catalog.yaml", "uses-catalog.yaml", cwd=REFS).returncode == 1


def test_without_a_catalog_names_are_not_checked() -> None:
    done = run_cli("uses-catalog.yaml", cwd=REFS)
    assert done.returncode == 0 and "[catalog]" not in done.stdout


def test_an_unusable_catalog_is_a_usage_error() -> None:
    done = run_cli("--catalog", "nope.yaml", "uses-catalog.yaml", cwd=REFS)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "plx-validate: error: --catalog nope.yaml: no such file"
    assert done.stdout == ""
