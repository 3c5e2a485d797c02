"""Ask Polyaxon 2.18.0 whether polyaxonfiles are valid (run inside the oracle virtualenv).

Reads a JSON list of {"id": ..., "text": ...} on stdin and writes a JSON object
{id: {"valid": bool, "error": str | null, "level": str}} on stdout, where `level` is the
last stage that ran: "yaml", "read", "compose", "check" or "resolve". Each text is read the way
`polyaxon check` reads it: `yaml.safe_load`, then the specification ("read"
level), then, when the file composes offline, the operation is composed and
compiled so that `runPatch.init` is validated too ("compose" level). Files needing the
network (hubRef/urlRef/dagRef/pathRef), presets (`isPreset` true once read), compiled
operations (`kind: compiled_operation`, which Polyaxon stores and reads but never composes
from a file) and kindless files without a runtime stop at the read level.

An item may ask for more with "level" (default "compose"):

* "check": also what `polyaxon check -f FILE [-P k=v ...]` adds, the file's params against
  its inputs (`check_polyaxonfile(..., params=item["params"])`, params a {name: value} dict);
* "resolve": also what the agent does before it starts a run (templates rendered, connections,
  toInit; `_compiler.resolver.resolve`), with a stub agent config: an artifacts store
  `store` (host path) and a git connection `repo`, plus a host-path connection for each name
  of the item's "connections" list (else no other connection).

An item {"id": ..., "path": ...} instead asks `polyaxon check -f PATH` about a file where it lies
(its pathRefs are followed from its directory): level "check".
"""

import json
import logging
import os
import sys
import tempfile
import uuid
import warnings

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)

import yaml  # noqa: E402
from polyaxon._polyaxonfile.manager import get_op_specification  # noqa: E402
from polyaxon._polyaxonfile.specs import (  # noqa: E402
    CompiledOperationSpecification,
    OperationSpecification,
    get_specification,
)

NETWORK_REFS = ("hubRef", "urlRef", "dagRef", "pathRef")


def _root_cause(exc: BaseException) -> BaseException:
    seen = set()
    while (exc.__cause__ or exc.__context__) and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return exc


def _needs_reference(data: dict) -> bool:
    if any(data.get(key) for key in NETWORK_REFS):
        return True
    component = data.get("component")
    return isinstance(component, dict) and _needs_reference(component)


def _has_runtime(data: dict) -> bool:
    """Whether the file can be composed on its own (`polyaxon check` does compose it).

    A file with `kind` always can. A kindless file can when it brings a runtime (`run.kind`
    or an inline `component`); without one it is a preset/override that only means something
    layered on a base ("runPatch requires a resolved runtime."), so it stops at the read level.
    """
    if "kind" in data:
        return True
    run = data.get("run")
    return (isinstance(run, dict) and "kind" in run) or isinstance(data.get("component"), dict)


def _check(text: str, params: dict | None) -> object:
    """`polyaxon check -f` on the text (from a file, as the CLI reads it); returns the operation."""
    from polyaxon._polyaxonfile.check import check_polyaxonfile

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as handle:
        handle.write(text)
    try:
        cli_params = [f"{k}={json.dumps(v) if not isinstance(v, str) else v}" for k, v in (params or {}).items()]
        return check_polyaxonfile(polyaxonfile=handle.name, params=cli_params or None, is_cli=False, verbose=False)
    finally:
        os.unlink(handle.name)


def _stub_agent(connections: list[str] | None = None) -> None:
    """The agent config resolve needs: an artifacts store `store`, a git connection `repo`, and a
    host-path connection for each name of the item's "connections" (names a file takes for granted)."""
    from polyaxon import settings
    from polyaxon._connections import V1Connection, V1ConnectionKind
    from polyaxon._schemas.agent import AgentConfig

    store = V1Connection(
        name="store", kind=V1ConnectionKind.HOST_PATH, schema_={"hostPath": "/tmp/plx", "mountPath": "/plx"}
    )
    git = V1Connection(name="repo", kind=V1ConnectionKind.GIT, schema_={"url": "https://github.com/a/b"})
    extra = [
        V1Connection(name=name, kind=V1ConnectionKind.HOST_PATH, schema_={"hostPath": "/tmp/c", "mountPath": "/c"})
        for name in sorted(set(connections or ()))
        if name not in ("store", "repo")
    ]
    settings.AGENT_CONFIG = AgentConfig(namespace="default", artifacts_store=store, connections=[git, *extra])


def _resolve(op: object, connections: list[str] | None) -> None:
    from polyaxon._compiler import resolver

    _stub_agent(connections)
    compiled = OperationSpecification.compile_operation(op)
    run = uuid.uuid4().hex
    resolver.resolve(
        compiled_operation=compiled,
        owner_name="o",
        project_name="p",
        project_uuid="p",
        run_name="r",
        run_path=run,
        run_uuid=run,
        params=op.params,
    )


def _further(text: str, level: str, params: dict | None, connections: list[str] | None) -> tuple[bool, str | None, str]:
    """The check and resolve levels, after the compose level accepted the file."""
    try:
        op = _check(text, params)
    except Exception as exc:
        cause = _root_cause(exc)
        return False, f"check {type(cause).__name__}: {cause}", "check"
    if level == "check":
        return True, None, "check"
    try:
        _resolve(op, connections)
    except Exception as exc:
        cause = _root_cause(exc)
        return False, f"resolve {type(cause).__name__}: {cause}", "resolve"
    return True, None, "resolve"


def judge(
    text: str, level: str = "compose", params: dict | None = None, connections: list[str] | None = None
) -> tuple[bool, str | None, str]:
    """(valid, error, level reached) for one polyaxonfile text, up to `level`."""
    try:
        data = yaml.safe_load(text)  # as clipped's ConfigSpec.read_from_yml: the pure-Python parser
    except Exception as exc:
        return False, f"yaml: {exc}", "yaml"
    if not isinstance(data, dict):
        return False, "The Polyaxonfile must contain a mapping.", "yaml"
    try:
        spec = get_specification(data=data)
    except Exception as exc:
        cause = _root_cause(exc)
        return False, f"{type(cause).__name__}: {cause}", "read"
    if _needs_reference(data) or getattr(spec, "is_preset", None) or not _has_runtime(data):
        return True, None, "read"
    if data.get("kind") == "compiled_operation":
        # CompiledOperationSpecification has no operation to compose it into: `check` on such a
        # file fails in get_op_specification whatever it holds, so its verdict is the read's.
        return True, None, "read"
    try:
        op = get_op_specification(config=spec, validate_params=False)
        compiled = OperationSpecification.compile_operation(op)
        if compiled.is_dag_run:
            CompiledOperationSpecification.apply_operation_contexts(compiled)
    except Exception as exc:
        cause = _root_cause(exc)
        return False, f"compose {type(cause).__name__}: {cause}", "compose"
    if level in ("check", "resolve"):
        return _further(text, level, params, connections)
    return True, None, "compose"


def judge_path(path: str) -> tuple[bool, str | None, str]:
    """`polyaxon check -f PATH` on a file where it lies, so its pathRefs are followed from there."""
    from polyaxon._polyaxonfile.check import check_polyaxonfile

    try:
        check_polyaxonfile(polyaxonfile=path, is_cli=False, verbose=False)
    except Exception as exc:
        cause = _root_cause(exc)
        return False, f"check {type(cause).__name__}: {cause}", "check"
    return True, None, "check"


def main() -> None:
    cases = json.load(sys.stdin)
    verdicts = {}
    for case in cases:
        if "path" in case:
            valid, error, level = judge_path(case["path"])
        else:
            valid, error, level = judge(
                case["text"], case.get("level", "compose"), case.get("params"), case.get("connections")
            )
        verdicts[case["id"]] = {"valid": valid, "error": error, "level": level}
    json.dump(verdicts, sys.stdout)


if __name__ == "__main__":
    main()
