"""Ask Polyaxon 2.18.0 whether polyaxonfiles are valid (run inside the oracle virtualenv).

Reads a JSON list of {"id": ..., "text": ...} on stdin and writes a JSON object
{id: {"valid": bool, "error": str | null}} on stdout. Each text is read the way
`polyaxon check` reads it: `yaml.safe_load`, then the specification ("read"
level), then, when the file composes offline, the operation is composed and
compiled so that `runPatch.init` is validated too ("compose" level).
"""

import json
import logging
import sys
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


def judge(text: str) -> tuple[bool, str | None]:
    try:
        data = yaml.safe_load(text)
    except Exception as exc:  # noqa: BLE001 - any loader failure is a rejection
        return False, f"yaml: {exc}"
    if not isinstance(data, dict):
        return False, "The Polyaxonfile must contain a mapping."
    try:
        spec = get_specification(data=data)
    except Exception as exc:  # noqa: BLE001
        cause = _root_cause(exc)
        return False, f"{type(cause).__name__}: {cause}"
    if _needs_reference(data) or data.get("isPreset") or "kind" not in data:
        return True, None
    try:
        op = get_op_specification(config=spec, validate_params=False)
        compiled = OperationSpecification.compile_operation(op)
        if compiled.is_dag_run:
            CompiledOperationSpecification.apply_operation_contexts(compiled)
    except Exception as exc:  # noqa: BLE001
        cause = _root_cause(exc)
        return False, f"compose {type(cause).__name__}: {cause}"
    return True, None


def main() -> None:
    cases = json.load(sys.stdin)
    verdicts = {}
    for case in cases:
        valid, error = judge(case["text"])
        verdicts[case["id"]] = {"valid": valid, "error": error}
    json.dump(verdicts, sys.stdout)


if __name__ == "__main__":
    main()
