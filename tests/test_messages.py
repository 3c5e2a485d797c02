"""Messages a user can trust: advice that works, entries named both ways, YAML's words only,
one diagnostic per cause, and bounded output on hostile values.

Positions are 1-based lines and columns, end exclusive, as the CLI prints them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import FIXTURES, REPO
from plxinit.diagnostics import Diagnostic
from plxinit.errormap import ErrorMapper
from plxinit.messages import clip, path_text, yaml_text
from plxinit.printable import printable
from plxinit.schema import load_schema
from plxinit.validate import validate_text
from plxinit.yamldoc import parse_document

HEAD = "kind: component\nrun:\n  kind: job\n  init:\n"


def _span(d: Diagnostic) -> str:
    start, end = d.range
    return f"{start.line + 1}:{start.column + 1}-{end.line + 1}:{end.column + 1}"


def _one(text: str) -> Diagnostic:
    [diagnostic] = validate_text(text)
    return diagnostic


# ---------------------------------------------------------------------- quote advice

QUOTE_CASES = [
    # (entry line, message, quote fix offered)
    (
        "    - connection: yes\n",
        '`connection` must be a string, not a boolean. YAML reads `yes` as the boolean true; quote it: "yes".',
        True,
    ),
    (
        "    - file: {content: x, chmod: 0755}\n",
        '`chmod` must be a string, not an integer. YAML reads `0755` as the number 493; quote it: "0755".',
        True,
    ),
    (  # the quick fix quotes the whole range, which would swallow the anchor: advise, do not fix
        "    - connection: &v yes\n",
        '`connection` must be a string, not a boolean. YAML reads `yes` as the boolean true; quote it: `&v "yes"`.',
        False,
    ),
    (  # `!!bool "yes"` is still a boolean: no quote can help while the tag is there
        "    - connection: !!bool yes\n",
        "`connection` must be a string, not a boolean. The tag `!!bool` makes YAML read `yes` as the boolean true.",
        False,
    ),
    (
        "    - file: {content: x, chmod: !!int 0755}\n",
        "`chmod` must be a string, not an integer. The tag `!!int` makes YAML read `0755` as the number 493.",
        False,
    ),
    (
        "    - file: {content: x, chmod: &m !!int 0755}\n",
        "`chmod` must be a string, not an integer. The tag `!!int` makes YAML read `0755` as the number 493.",
        False,
    ),
    (
        "    - connection: 1\n",
        '`connection` must be a string, not an integer. Quote it: "1".',
        True,
    ),
]


@pytest.mark.parametrize(("line", "message", "quote"), QUOTE_CASES, ids=[c[0].strip() for c in QUOTE_CASES])
def test_quote_advice_keeps_anchors_and_tags(line: str, message: str, quote: bool) -> None:
    diagnostic = _one(HEAD + line)
    assert (diagnostic.code, diagnostic.message) == ("type", message)
    assert bool(diagnostic.data.get("quote")) is quote


def test_a_quote_is_advised_only_when_the_quoted_value_is_accepted() -> None:
    # the quoted text goes through the very sub-schema that rejected the value
    schema = {"type": "string", "pattern": "^[a-z]+$"}
    root = parse_document("a: 1\nb: 2\n").root
    assert root is not None
    mapper = ErrorMapper(root, accepts=lambda sub, value: Draft202012Validator(sub).is_valid(value))
    errors = list(
        Draft202012Validator({"properties": {"a": schema, "b": {"type": "string"}}}).iter_errors({"a": 1, "b": 2})
    )
    mapper.add_errors(errors)
    assert [(_span(d), d.message, d.data) for d in mapper.finish()] == [
        ("1:4-1:5", "`a` must be a string, not an integer.", {}),
        ("2:4-2:5", '`b` must be a string, not an integer. Quote it: "2".', {"quote": True}),
    ]


@pytest.mark.parametrize(
    ("value", "advice"),
    [
        ('"6006"', " Remove the quotes: 6006."),
        ("'6006'", " Remove the quotes: 6006."),
        ("'0755'", ""),  # unquoted, YAML reads 493, not 755
        ("!!str 6006", ""),  # no quotes to remove
        ("'6006x'", ""),
    ],
)
def test_remove_the_quotes_only_when_yaml_reads_the_number_written(value: str, advice: str) -> None:
    diagnostic = _one(HEAD + f"    - tensorboard: {{port: {value}}}\n")
    assert diagnostic.message == ("`port` must be an integer or a `{{ ... }}` template, not a plain string." + advice)


# ---------------------------------------------------------------------- entry names


def test_entries_and_items_are_named_both_ways() -> None:
    text = HEAD + "    - connection: a\n    - connection: b\n    - git: {url: u, flags: [x, 2]}\n    - null\n"
    assert [(_span(d), d.message) for d in validate_text(text)] == [
        (
            "7:32-7:33",
            'Item 2 of `flags` (`run.init[2].git.flags[1]`) must be a string, not an integer. Quote it: "2".',
        ),
        ("8:7-8:11", "Init entry 4 (`run.init[3]`) must be a mapping, not null."),
    ]


def test_entries_of_a_replica_are_named_by_their_path() -> None:
    text = "kind: component\nrun:\n  kind: tfjob\n  worker:\n    init:\n      - connection: c\n      - 1\n"
    assert _one(text).message == "Init entry 2 (`run.worker.init[1]`) must be a mapping, not an integer."


def test_unknown_key_names_its_entry() -> None:
    text = HEAD + "    - connection: c\n    - connection: c\n      foo: 1\n"
    assert _one(text).message.startswith("Unknown key `foo` in init entry 2 (`run.init[1]`). Expected one of: ")


def test_path_text_quotes_keys_that_are_not_names() -> None:
    assert path_text(["run", "init", 0, "container", "env", 2]) == "run.init[0].container.env[2]"
    assert path_text(["a b", 1, "c.d"]) == '["a b"][1]["c.d"]'


# ---------------------------------------------------------------------- one cause, one diagnostic


@pytest.mark.parametrize(
    "container",
    ["{name: x, imagePullPolicy: }", "\n        name: x\n        imagePullPolicy:", "{imagePullPolicy: ~}"],
)
def test_an_empty_enum_value_gives_one_diagnostic_in_yaml_words(container: str) -> None:
    diagnostic = _one(HEAD + f"    - container: {container}\n")
    assert (diagnostic.severity.value, diagnostic.code, diagnostic.message) == (
        "warning",
        "type",
        "`imagePullPolicy` must be one of Always, Never, IfNotPresent, not null.",
    )


# ---------------------------------------------------------------------- values in YAML's words


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        ("x", "x"),
        ({"a": 1, "b": [None, True, "c d"]}, "{a: 1, b: [null, true, c d]}"),
        (["yes", "", "a: b", "1"], '["yes", "", "a: b", "1"]'),
        (float("inf"), ".inf"),
        (float("nan"), ".nan"),
        (1.5, "1.5"),
        ("line\nbreak", '"line\\nbreak"'),
        pytest.param(int("f" * 5000, 16), "0x" + "f" * 77 + "…", id="huge-int"),
        pytest.param("x" * 400_000, "x" * 79 + "…", id="huge-string"),
    ],
)
def test_values_are_written_as_yaml_writes_them(value: Any, text: str) -> None:
    assert yaml_text(value) == text


def test_a_huge_shared_value_is_rendered_within_its_budget() -> None:
    big = ["x" * 400_000] * 160  # what 160 aliases of one 400 KB string load to
    assert len(yaml_text([big, big])) == 80
    assert clip("abc", 2) == "a…"


# Python's spellings of YAML values: None, True, False, and reprs such as 'x' or {'a': 1}.
PYTHON_WORDS = re.compile(r"\b(?:None|True|False)\b|(?:^|[\s(\[{:,])'[^'\n]*'(?=[\s,:)\]}.;]|$)")


def _python_words(message: str, document: str = "") -> str | None:
    """The first Python spelling in a message; text in backticks that the user wrote is theirs."""
    kept = re.sub(r"`([^`]*)`", lambda m: "``" if m.group(1) and m.group(1) in document else m.group(0), message)
    found = PYTHON_WORDS.search(kept)
    return found.group(0).lstrip(" ([{:,") if found else None


def test_the_python_words_check_can_fail() -> None:
    assert _python_words("`x` cannot be None.") == "None"
    assert _python_words("`x` cannot be `{'a': 1}`.") == "'a'"
    assert _python_words("Unknown key `'a b'`.", "'a b': 1") is None
    assert _python_words("put it on the DAG's operations") is None


def _schema_templates(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "errorMessage" and isinstance(value, str):
                yield value
            elif key == "x-plx-messages":
                yield from value.values()
            else:
                yield from _schema_templates(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_templates(value)


def test_no_schema_template_says_python_words() -> None:
    templates = list(_schema_templates(load_schema()))
    assert len(templates) > 20
    assert [t for t in templates if _python_words(t)] == []


#: Documents that reach every `_on_*` handler of the error mapper, with values of every YAML
#: type (null, booleans, strings, mappings, lists) where the handler shows a value.
CRAFTED = [
    HEAD + "    - connection: ~\n    - path: true\n    - connection: {a: 1}\n    - connection: [a, 'b']\n",
    HEAD + "    - file: {content: x, kind: 'oops'}\n    - file: {content: x, kind: true}\n",
    HEAD + "    - file: {content: x, kind: null, chmod: off}\n    - file: {kind: [a, null]}\n",
    HEAD + "    - artifacts: 'x'\n    - artifacts: {dirs: [1, null, true, {a: b}]}\n    - paths: {a: 1}\n",
    HEAD + "    - dockerfile: {image: '', uid: 1.5, gid: '1.5x', env: {1: a, null: b}}\n",
    HEAD + "    - dockerfile: {image: 'a b', langEnv: C, lang_env: C}\n    - git: {revision: x}\n",
    HEAD + "    - git: '{{ g }}'\n",
    HEAD + "    - tensorboard: {uuids: [x, 1, null], useNames: maybe, port: '6006'}\n",
    HEAD + "    - tensorboard: {uuids: 'a,b', port: true}\n    - {git: {url: u}, file: {content: x}}\n",
    HEAD + "    - container: {name: x, imagePullPolicy: , Image: 1, 'bad key': 1, env: [{name: 1}]}\n",
    HEAD + "    - lineageRef: null\n    - modelRef: {a: 1}\n    - artifactRef: [1]\n    - foo: 1\n",
    "kind: component\nversion: [1]\nrun:\n  kind: xgbjob\n",
    "kind: componnt\nrun: {kind: job}\n",
    "kind: component\nrun: {kind: job, init: '{{ x }}'}\nrunPatch: {init: 1}\nrun_patch: {}\n",
    "kind: operation\nhubRef: a\nrunPatch: {kind: job, init: [{connection: 1}]}\nbad_key: 1\n",
    "kind: component\nrun:\n  kind: dag\n  init: [{connection: c}]\n  operations: [{hubRef: a}]\n",
    "kind: component\nrun: [a]\n",
    "kind: component\nrun: {kind: tfjob, worker: {init: {a: 1}}, chief: null}\n",
    "kind: component\nrun: {kind: job, init: [{container: {name: x, ports: [{containerPort: 'x'}]}}]}\n",
]


def _generic_cases() -> list[tuple[dict[str, Any], Any]]:
    """Keywords the canonical schema uses (or may use) without an annotation, on values of every type."""
    return [
        ({"maxLength": 0}, "x"),
        ({"maxItems": 0}, [None]),
        ({"maxLength": 3}, "long"),
        ({"maxItems": 1}, [True, False]),
        ({"minItems": 2}, [{"a": 1}]),
        ({"minimum": 3}, 1),
        ({"exclusiveMaximum": 3}, 3.5),
        ({"uniqueItems": True}, [None, None]),
        ({"not": {"type": "null"}}, None),
        ({"not": {"type": "object"}}, {"a": "x"}),
        ({"pattern": "^a"}, "b"),
        ({"minLength": 2}, "b"),
        ({"multipleOf": 2}, 3),
        ({"const": "a"}, {"a": None}),
    ]


def _synthetic_diagnostics() -> tuple[str, list[Diagnostic]]:
    """The `_generic_cases()` as one document, validated key by key, mapped by the error mapper."""
    cases = _generic_cases()
    schema = {"properties": {f"k{i}": sub for i, (sub, _) in enumerate(cases)}}
    instance = {f"k{i}": value for i, (_, value) in enumerate(cases)}
    text = yaml.safe_dump(instance, default_flow_style=True)
    root = parse_document(text).root
    assert root is not None
    mapper = ErrorMapper(root)
    mapper.add_errors(Draft202012Validator(schema).iter_errors(instance))
    return text, mapper.finish()


def test_every_mapper_message_is_in_yaml_words(monkeypatch: pytest.MonkeyPatch) -> None:
    called: set[str] = set()
    handlers = {name for name in vars(ErrorMapper) if name.startswith("_on_")}
    for name in handlers:
        original = getattr(ErrorMapper, name)

        def spy(self: ErrorMapper, *args: Any, _name: str = name, _original: Any = original) -> Any:
            called.add(_name)
            return _original(self, *args)

        monkeypatch.setattr(ErrorMapper, name, spy)

    found: list[tuple[str, str]] = []
    for text in CRAFTED:
        found.extend((text, d.message) for d in validate_text(text))
    # the keywords no schema place reaches today, through the same mapper, on a synthetic schema
    text, synthetic = _synthetic_diagnostics()
    assert len(synthetic) == len(_generic_cases())
    found.extend((text, d.message) for d in synthetic)

    # `_on_const` is `_on_enum`, `_on_oneOf` is `_on_anyOf`: one function, two names
    aliases = {"_on_const": "_on_enum", "_on_oneOf": "_on_anyOf"}
    assert {aliases.get(name, name) for name in handlers} - {aliases.get(name, name) for name in called} == set()
    assert len(found) > 60
    assert [(message, word) for text, message in found if (word := _python_words(message, text))] == []


def _corpus() -> Iterator[tuple[str, str]]:
    for path in sorted(FIXTURES.glob("*/*.yaml")):
        yield path.stem, path.read_text(encoding="utf-8")
    sys.path.insert(0, str(REPO / "tests" / "differential"))
    from generate import generate_cases

    for case in generate_cases(300):
        yield case.id, case.text


def test_no_diagnostic_of_the_fixtures_or_generated_files_says_python_words() -> None:
    bad = []
    count = 0
    for name, text in _corpus():
        for d in validate_text(text):
            if d.code == "yaml-syntax":  # PyYAML's own wording, quoted by the reader
                continue
            count += 1
            word = _python_words(d.message, text)
            if word:
                bad.append((name, d.message))
    assert count > 200
    assert bad == []


# ---------------------------------------------------------------------- hostile values


@pytest.mark.parametrize(("prefix", "digits", "about"), [("0x", "f", "6,021"), ("0", "7", "4,516")])
def test_a_huge_integer_gives_a_normal_diagnostic(prefix: str, digits: str, about: str) -> None:
    written = prefix + digits * 5000
    diagnostic = _one(HEAD + f"    - file: {{content: x, chmod: {written}}}\n")
    shown = clip(written)
    assert (_span(diagnostic), diagnostic.code) == (f"5:33-5:{33 + len(written)}", "type")
    assert diagnostic.message == (
        f"`chmod` must be a string, not an integer. YAML reads `{shown}` as a number of about {about} digits; "
        f'quote it: "{shown}".'
    )
    assert diagnostic.data == {"quote": True}


@pytest.mark.parametrize(
    "entry",
    [
        "    - connection: 0x{f}\n",
        "    - file: {{content: x, kind: 0x{f}}}\n",
        "    - dockerfile: {{image: x, uid: 0x{f}, env: {{0x{f}: a}}}}\n",
        "    - tensorboard: {{port: 0x{f}, uuids: [0x{f}]}}\n",
        "    - container: {{name: x, image: 0x{f}}}\n",
        "    - artifacts: {{dirs: [0x{f}], workers: 0x{f}}}\n",
    ],
)
def test_huge_integers_anywhere_never_crash(entry: str) -> None:
    text = HEAD + entry.format(f="f" * 5000)
    diagnostics = validate_text(text)
    assert all(len(d.message) < 600 for d in diagnostics)
    assert all(d.code != "internal" for d in diagnostics)


def test_printable_values_keep_their_value_and_sharing_but_repr_short() -> None:
    long, huge = "x " * 1000, int("f" * 5000, 16)
    shared = [long, huge]
    value = {"a": shared, "b": shared, long: 1, "small": ["s", 1, True, None]}
    wrapped = printable(value)
    assert wrapped == value and [type(k) is str for k in wrapped] == [True, True, False, True]
    assert wrapped["a"] is wrapped["b"]  # what aliases share stays shared (walked once)
    assert wrapped["small"] is value["small"]  # nothing to wrap: not copied
    assert re.fullmatch(r"(?:x )+", wrapped["a"][0]) and hash(wrapped["a"][0]) == hash(long)
    assert len(repr(wrapped)) < 300  # the originals: over 8,000 characters, or a ValueError for the int
    assert printable(value["small"]) is value["small"]


_CAPPED_CHILD = """
import json, resource, sys
limit = int(sys.argv[1]) << 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from plxinit.validate import validate_text
text = sys.stdin.read()
diagnostics = validate_text(text)
print(json.dumps({"count": len(diagnostics), "chars": sum(len(d.message) for d in diagnostics),
                  "codes": sorted({d.code for d in diagnostics})}))
"""


def _run_capped(text: str, megabytes: int = 768) -> dict[str, Any]:
    """Validate `text` in a subprocess whose address space is capped (a MemoryError fails it)."""
    result = subprocess.run(
        [sys.executable, "-c", _CAPPED_CHILD, str(megabytes)],
        input=text,
        capture_output=True,
        text=True,
        timeout=300,  # generous: catches a hang, times nothing
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_a_huge_string_repeated_through_aliases_gives_short_messages_in_bounded_memory() -> None:
    # 160 uses of one 400 KB string (not a Docker image: it has spaces), 64 MB once expanded.
    # python-jsonschema puts repr(value) in every error it creates: ~3 GB before values were wrapped.
    uses = ", ".join(["*s"] * 160)
    text = (
        HEAD
        + f"    - connection: &s {'x ' * 200_000}\n"
        + f"    - connection: [{uses}]\n"
        + f"    - paths: {{a: [{uses}]}}\n"
        + "    - file: {content: x, kind: *s}\n" * 20
        + "    - dockerfile: {image: *s, env: *s}\n"
    )
    report = _run_capped(text)
    assert report["codes"] == ["invalid-value", "type"]
    assert report["count"] == 24
    assert report["chars"] < 20_000


def test_a_huge_key_repeated_through_aliases_gives_short_messages_in_bounded_memory() -> None:
    # an unknown 400 KB key in an entry used 160 times: jsonschema quotes it in each of its
    # messages ("... was unexpected"), 1.2 GB before keys were wrapped too
    entries = "    - *e\n" * 160
    text = f"x-e: &e\n  ? {'k' * 400_000}\n  : 1\n" + HEAD + entries
    report = _run_capped(text)
    assert report["codes"] == ["unknown-key"]
    assert report["count"] == 161
    assert report["chars"] < 100_000


def test_a_handler_and_its_snake_case_alias_are_one_cause() -> None:
    # `modelRef` and `model_ref` are one handler given twice (the alias rule says so), not two
    # handlers; the merged `paths` is a second handler, reported where `<<` brings it
    text = HEAD + "    - {modelRef: m, <<: {paths: [a]}, model_ref: m}\n"
    assert [(_span(d), d.code, d.message) for d in validate_text(text)] == [
        (
            "5:21-5:23",
            "one-handler",
            "Only one built-in handler per init entry: `modelRef` and `paths` are both set. "
            "Split them into separate entries.",
        ),
        (
            "5:39-5:48",
            "unknown-key",
            "`model_ref` is another name for `modelRef`, which is also set; keep only `modelRef`.",
        ),
    ]


def test_keywords_without_an_annotation_have_our_own_wording() -> None:
    # jsonschema's own messages are Python reprs (`None is not of type 'string'`); never shown
    assert [d.message for d in _synthetic_diagnostics()[1]] == [
        "`k0` must be empty, not `x`.",
        "`k1` must be empty, not `[null]`.",
        "`k2` must be at most 3 characters long.",
        "`k3` must have at most 1 item.",
        "`k4` must have at least 2 items.",
        "`k5` must be at least 3, not 1.",
        "`k6` must be less than 3, not 3.5.",
        "`k7` must not repeat an item.",
        "`k8` cannot be `null` here.",
        "`k9` cannot be `{a: x}` here.",
        "`k10` cannot be `b`.",
        "`k11` must be at least 2 characters long.",
        "`k12` must be a multiple of 2, not 3.",
        "`k13` cannot be `{a: null}`: expected a.",
    ]


# ---------------------------------------------------------------------- did-you-mean

DID_YOU_MEAN_CASES = [
    # (text, where the key is, message, suggestion in `data`)
    (
        HEAD + "    - file: {content: x, filname: b}\n",
        "5:26-5:33",
        "Unknown key `filname` in file handler. Did you mean `filename`?",
        "filename",
    ),
    (  # renaming would make a duplicate key: say why the near-miss is wrong instead
        HEAD + "    - file: {filename: a, filname: b, content: x}\n",
        "5:27-5:34",
        "Unknown key `filname` in file handler. `filename` is already set.",
        None,
    ),
    (
        HEAD + "    - {connection: a, conection: b}\n",
        "5:23-5:32",
        "Unknown key `conection` in init entry 1 (`run.init[0]`). `connection` is already set.",
        None,
    ),
    (  # set in its snake_case spelling counts as set
        HEAD + "    - {lineage_ref: a, lineagRef: b}\n",
        "5:24-5:33",
        "Unknown key `lineagRef` in init entry 1 (`run.init[0]`). `lineageRef` is already set.",
        None,
    ),
    (  # a Kubernetes container key (checked through `propertyNames`)
        HEAD + "    - container: {name: a, imagePullPolicy: Never, image_pul_policy: c}\n",
        "5:52-5:68",
        "Unknown key `image_pul_policy` in `container`. `imagePullPolicy` is already set.",
        None,
    ),
    (
        "kind: component\nrun: {kind: job}\nrunx: 1\n",
        "3:1-3:5",
        "Unknown key `runx` in polyaxonfile. `run` is already set.",
        None,
    ),
    (  # at the key itself, not at the first key of the file; a snake_case section names its camelCase
        "kind: operation\ncomponent: {run: {kind: job}}\nrun_patch: {kind: job}\n",
        "3:1-3:10",
        "Unexpected section `run_patch`: top-level sections are written in camelCase. Did you mean `runPatch`?",
        "runPatch",
    ),
    (
        "kind: operation\ncomponent: {run: {kind: job}}\nrunPatch: {kind: job}\nrun_patch: {kind: job}\n",
        "4:1-4:10",
        "Unexpected section `run_patch`: top-level sections are written in camelCase.",
        None,
    ),
    (  # no section is called `runX`: one cause, one diagnostic (not also "written in camelCase")
        "kind: component\nrun: {kind: job}\nrun_x: 1\n",
        "3:1-3:6",
        "Unknown key `run_x` in polyaxonfile. `run` is already set.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "span", "message", "suggestion"), DID_YOU_MEAN_CASES)
def test_a_suggestion_never_names_a_key_already_set(text: str, span: str, message: str, suggestion: str | None) -> None:
    [diagnostic] = [d for d in validate_text(text) if d.code == "unknown-key"]
    assert (_span(diagnostic), diagnostic.message, diagnostic.data.get("suggestion")) == (span, message, suggestion)


# ---------------------------------------------------------------------- messages built from the user's text


def test_a_long_duplicate_key_is_clipped_for_every_client() -> None:
    key = "k" + "x" * 500
    warning = next(d for d in validate_text(f"kind: component\n{key}: 1\n{key}: 2\n") if d.code == "duplicate-key")
    assert warning.message == (
        "Duplicate key `k" + "x" * 78 + "…`: it overrides the one on line 2 (the last value wins)."
    )


def test_a_key_over_several_lines_is_named_on_one_line() -> None:
    key = "      ? |\n        multi\n        line\n"
    text = HEAD + "    - " + key[6:] + "      : 1\n" + key + "      : 2\n"
    assert [(_span(d), d.code, d.message) for d in validate_text(text)] == [
        (
            "9:9-12:1",
            "duplicate-key",
            "Duplicate key `|\\n        multi\\n        line\\n`: it overrides the one on line 5 "
            "(the last value wins).",
        ),
        (
            "9:9-12:1",
            "unknown-key",
            'Unknown key `"multi\\nline\\n"` in init entry 1 (`run.init[0]`). Expected one of: artifacts, paths, '
            "git, dockerfile, file, tensorboard, lineageRef, modelRef, artifactRef, connection, path, container.",
        ),
    ]


def test_a_message_never_holds_a_raw_line_break_control_or_bidi_override() -> None:
    # a plain key may hold U+202E (which reorders what a terminal shows) and U+2028 is a YAML line break
    text = HEAD + '    - {conn\u202eection: 1}\n    - ? "a\u2028b"\n      : 1\n'
    messages = [d.message for d in validate_text(text)]
    assert messages[0] == "Unknown key `conn\\u202eection` in init entry 1 (`run.init[0]`). Did you mean `connection`?"
    assert messages[1].startswith('Unknown key `"a\\u2028b"` in init entry 2 (`run.init[1]`).'), messages[1]
    assert not any(re.search("[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e]", m) for m in messages)


@pytest.mark.parametrize("version", ["yes", "off", "true", "'inf'", "'1_1'"])
def test_a_version_polyaxon_accepts_gets_no_advice(version: str) -> None:
    # once `version: yes` was advised to become "yes", a string Polyaxon reads as a float
    assert validate_text(f"version: {version}\nkind: component\nrun: {{kind: job}}\n") == []


def test_a_version_polyaxon_rejects_is_not_advised_a_quote() -> None:
    [diagnostic] = validate_text("version: '_1'\nkind: component\nrun: {kind: job}\n")
    assert (_span(diagnostic), diagnostic.code, diagnostic.message, diagnostic.data) == (
        "1:10-1:14",
        "invalid-value",
        "`_1` is not a version number (write e.g. 1.1).",
        {},
    )
