"""`pip install .` into a fresh virtualenv (not editable) gives a working plx-validate."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FIXTURES, REPO
from plxinit.detect import DEFAULT_GLOBS, matches_globs
from plxinit.export import write_dist


@pytest.mark.skipif(os.environ.get("PLX_SKIP_INSTALL") == "1", reason="PLX_SKIP_INSTALL=1")
def test_pip_install_gives_a_working_cli_that_finds_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    pip = target / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(REPO)], check=True, timeout=600)
    negative = FIXTURES / "negative" / "c04-two-handlers-artifacts-git.yaml"
    result = subprocess.run(
        [str(target / "bin" / "plx-validate"), "-f", "json", str(negative)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert '"code": "one-handler"' in result.stdout
    # the schema came from the installed package, not from this source tree
    located = subprocess.run(
        [
            str(target / "bin" / "python"),
            "-c",
            "from plxinit.schema import schema_path; print(schema_path())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert str(target) in located.stdout
    assert sys.executable != str(target / "bin" / "python")


# ------------------------------------------------------------------ the pre-commit hook
HOOK_FILE = REPO / ".pre-commit-hooks.yaml"
# identify's tags for the types a hook may name, by file extension
TYPE_EXTENSIONS = {"yaml": (".yaml", ".yml"), "json": (".json",)}
HOOK_SAMPLES = [
    "polyaxonfile.yaml",
    "ml/polyaxonfile-train.yml",
    "polyaxonfile.json",
    "polyaxonfile.yaml.bak",
    "my-polyaxonfile.yaml",
    "jobs/train.plx.yaml",
    "train.plx.yml",
    "polyaxon/job.yaml",
    "a/polyaxon/b/c.yml",
    "polyaxon/job.json",
    ".polyaxon/preset.yaml",
    "x/.polyaxonrc/job.yaml",
    "polyaxonish/job.yaml",
    "k8s/deployment.yaml",
]


def _hook() -> dict[str, Any]:
    [hook] = yaml.safe_load(HOOK_FILE.read_text(encoding="utf-8"))
    assert hook["id"] == "plx-validate"
    return dict(hook)


def test_the_hook_files_pattern_and_types_agree() -> None:
    hook = _hook()
    files = re.compile(str(hook["files"]))
    types = list(hook["types_or"])
    for tag in types:
        # every type the hook names can match the pattern, and nothing else can
        assert any(files.search(f"polyaxonfile{ext}") for ext in TYPE_EXTENSIONS[tag]), tag
    for tag, extensions in TYPE_EXTENSIONS.items():
        if tag not in types:
            assert not any(files.search(f"polyaxon/a{ext}") for ext in extensions), tag


@pytest.mark.parametrize("path", HOOK_SAMPLES)
def test_the_hook_files_pattern_is_the_default_name_globs(path: str) -> None:
    assert bool(re.search(str(_hook()["files"]), path)) is matches_globs(path, DEFAULT_GLOBS)


# ------------------------------------------------------------------ exports never go into site-packages
def test_write_dist_needs_an_output_directory(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_dist(*())  # the directory is required
    written = write_dist(tmp_path / "dist")
    assert sorted(p.name for p in written) == ["polyaxonfile.draft-07.schema.json", "polyaxonfile.schema.json"]
    assert all(p.parent == tmp_path / "dist" and p.is_file() for p in written)


def test_write_dist_refuses_the_installed_package() -> None:
    import plxinit

    with pytest.raises(ValueError, match="refusing to write inside the installed package"):
        write_dist(Path(plxinit.__file__).parent / "schema")
