"""Names are navigable: definition, references, rename and hover of inputs, outputs, params and operations.

The DAG below declares names where a resolver that looks only at the file's root would not
find them: in each node's inline component, in a join and in a matrix; two nodes both have a
`table` (an output of `prepare`, an input of `train`), which must stay apart.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.templates import WHOLE_PARAM
from plxinit.validate import validate_text

from .helpers import POLYAXONFILE_URI, as_tuple, open_doc

DAG = """\
kind: operation
name: pipeline
component:
  inputs:
    - {name: dataset, type: str}
  run:
    kind: dag
    operations:
      - name: prepare
        params:
          source: {ref: dag, value: inputs.dataset}
        component:
          inputs:
            - name: source
              type: str
              description: Where the raw data is.
          outputs:
            - {name: table, type: str, isOptional: true}
          run:
            kind: job
            container:
              image: python
              command: ["echo", "{{ source }}", "{{ params.source.value }}"]
      - name: train
        dependencies: [prepare]
        params:
          table: {ref: ops.prepare, value: outputs.table}
          note: {value: "{{ ops.prepare.outputs.table }}", contextOnly: true}
        matrix:
          kind: grid
          params:
            lr: {kind: choice, value: [0.1, 0.2]}
        joins:
          - query: "kind: job"
            params:
              runs: {value: globals.uuid}
        component:
          inputs:
            - {name: table, type: str}
            - {name: lr, type: float, value: 0.01}
          run:
            kind: job
            container:
              image: python
              args: ["--lr={{ lr }}", "--table={{ table }}", "{{ runs }}", "{{ note }}"]
"""

# where each name is written (line, start, line, end), 0-based, UTF-16 = code points here
DATASET = (4, 13, 4, 20)
PREPARE = (8, 14, 8, 21)
SOURCE_INPUT = (13, 20, 13, 26)
PREPARE_TABLE = (17, 21, 17, 26)
TRAIN = (23, 14, 23, 19)
TRAIN_TABLE = (38, 21, 38, 26)
LR = (39, 21, 39, 23)
RUNS = (35, 14, 35, 18)
NOTE = (27, 10, 27, 14)


def pos(line: int, character: int) -> lsp.Position:
    return lsp.Position(line, character)


def doc() -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(POLYAXONFILE_URI)


async def definition(client: LanguageClient, text: str, line: int, character: int) -> list[tuple[int, int, int, int]]:
    open_doc(client, POLYAXONFILE_URI, text)
    result = await client.text_document_definition_async(lsp.DefinitionParams(doc(), pos(line, character)))
    if result is None:
        return []
    assert isinstance(result, list)
    locations = [location for location in result if isinstance(location, lsp.Location)]
    assert all(location.uri == POLYAXONFILE_URI for location in locations)
    return [as_tuple(location.range) for location in locations]


@pytest.mark.parametrize(
    ("what", "line", "character", "declared"),
    [
        ("a bare template name, declared in the node's inline component", 44, 31, LR),
        ("a matrix param key names the input", 31, 13, LR),
        ("a join param is in scope", 44, 67, RUNS),
        ("a contextOnly param is in scope", 44, 80, NOTE),
        ("`params.source.value`", 22, 61, SOURCE_INPUT),
        ("a param key names the input", 10, 12, SOURCE_INPUT),
        ("`ref: dag, value: inputs.dataset`", 10, 45, DATASET),
        ("a dependency", 24, 25, PREPARE),
        ("`ref: ops.prepare`", 26, 30, PREPARE),
        ("`value: outputs.table` of `ref: ops.prepare`", 26, 53, PREPARE_TABLE),
        ("`{{ ops.prepare.outputs.table }}`: the operation", 27, 35, PREPARE),
        ("`{{ ops.prepare.outputs.table }}`: its output", 27, 50, PREPARE_TABLE),
        ("`{{ table }}` in train is train's input, not prepare's output", 44, 52, TRAIN_TABLE),
        ("the declaration itself", 39, 22, LR),
    ],
)
async def test_definition(
    client: LanguageClient, what: str, line: int, character: int, declared: tuple[int, int, int, int]
) -> None:
    assert await definition(client, DAG, line, character) == [declared], what


@pytest.mark.parametrize(
    ("line", "character"),
    [(21, 22), (44, 25), (0, 2), (5, 4), (35, 37)],
    ids=["image value", "args text", "kind key", "run key", "globals.uuid"],
)
async def test_no_definition_off_names(client: LanguageClient, line: int, character: int) -> None:
    assert await definition(client, DAG, line, character) == []


async def test_references_of_an_operation(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, DAG)
    found = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=doc(), position=pos(24, 26), context=lsp.ReferenceContext(include_declaration=True)
        )
    )
    assert [as_tuple(location.range) for location in found or []] == [
        PREPARE,
        (24, 23, 24, 30),
        (26, 27, 26, 34),
        (27, 32, 27, 39),
    ]
    without = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=doc(), position=PREPARE_POS, context=lsp.ReferenceContext(include_declaration=False)
        )
    )
    assert [as_tuple(location.range) for location in without or []] == [
        (24, 23, 24, 30),
        (26, 27, 26, 34),
        (27, 32, 27, 39),
    ]


PREPARE_POS = pos(8, 16)


async def test_references_of_an_output_across_nodes(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, DAG)
    found = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=doc(), position=pos(17, 22), context=lsp.ReferenceContext(include_declaration=True)
        )
    )
    assert [as_tuple(location.range) for location in found or []] == [PREPARE_TABLE, (26, 51, 26, 56), (27, 48, 27, 53)]


def apply_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply single-line edits (ASCII text) from the last to the first."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        assert edit.range.start.line == edit.range.end.line
        line = lines[edit.range.start.line]
        lines[edit.range.start.line] = (
            line[: edit.range.start.character] + edit.new_text + line[edit.range.end.character :]
        )
    return "\n".join(lines)


async def rename(
    client: LanguageClient, text: str, line: int, character: int, new_name: str
) -> lsp.WorkspaceEdit | None:
    open_doc(client, POLYAXONFILE_URI, text)
    return await client.text_document_rename_async(lsp.RenameParams(doc(), pos(line, character), new_name))


async def test_rename_an_input_renames_its_param_and_template_uses(client: LanguageClient) -> None:
    edit = await rename(client, DAG, 44, 52, "dataset_table")
    assert edit is not None and edit.changes is not None
    edits = edit.changes[POLYAXONFILE_URI]
    assert sorted(as_tuple(e.range) for e in edits) == [(26, 10, 26, 15), TRAIN_TABLE, (44, 50, 44, 55)]
    assert {e.new_text for e in edits} == {"dataset_table"}
    renamed = apply_edits(DAG, list(edits))
    assert "          dataset_table: {ref: ops.prepare, value: outputs.table}" in renamed
    assert "- {name: table, type: str, isOptional: true}" in renamed  # prepare's output is another name
    assert validate_text(renamed) == validate_text(DAG)


async def test_rename_an_operation(client: LanguageClient) -> None:
    edit = await rename(client, DAG, 27, 35, "clean")
    assert edit is not None and edit.changes is not None
    edits = edit.changes[POLYAXONFILE_URI]
    assert sorted(as_tuple(e.range) for e in edits) == [PREPARE, (24, 23, 24, 30), (26, 27, 26, 34), (27, 32, 27, 39)]
    renamed = apply_edits(DAG, list(edits))
    assert "dependencies: [clean]" in renamed and "{{ ops.clean.outputs.table }}" in renamed
    assert validate_text(renamed) == validate_text(DAG)


async def test_rename_a_matrix_input(client: LanguageClient) -> None:
    edit = await rename(client, DAG, 31, 12, "rate")
    assert edit is not None and edit.changes is not None
    edits = edit.changes[POLYAXONFILE_URI]
    assert sorted(as_tuple(e.range) for e in edits) == [(31, 12, 31, 14), LR, (44, 30, 44, 32)]
    assert validate_text(apply_edits(DAG, list(edits))) == validate_text(DAG)


async def test_prepare_rename(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, DAG)
    result = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(doc(), pos(44, 81)))
    assert isinstance(result, lsp.PrepareRenamePlaceholder)
    assert as_tuple(result.range) == (44, 79, 44, 83) and result.placeholder == "note"
    for line, character in [(21, 22), (0, 1), (44, 25), (35, 37)]:  # a value, a key, plain text, globals.uuid
        assert (
            await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(doc(), pos(line, character)))
            is None
        )


async def test_rename_to_a_name_templates_cannot_use(client: LanguageClient) -> None:
    messages: list[str] = []
    client.protocol.fm.features[lsp.WINDOW_SHOW_MESSAGE] = lambda params: messages.append(params.message)
    assert await rename(client, DAG, 39, 22, "learning-rate") is None
    assert await rename(client, DAG, 38, 23, "lr") is None  # train's `table` beside its `lr`
    assert await rename(client, DAG, 8, 16, "train") is None
    assert await rename(client, DAG, 17, 23, "source") is None  # prepare's output beside its input
    assert messages == [
        "`learning-rate` cannot be the name of an input: templates and references could not name it.",
        "`lr` is already the name of an input of operation `train`: the rename would merge the two.",
        "`train` is already the name of an operation of the DAG: the rename would merge the two.",
        "`source` is already the name of an input of operation `prepare`: the rename would merge the two.",
    ]
    edit = await rename(client, DAG, 17, 23, "lr")  # `lr` is train's, not prepare's: no clash
    assert edit is not None and edit.changes is not None and len(edit.changes[POLYAXONFILE_URI]) == 3


async def test_hover_on_a_template_name(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, DAG)
    result = await client.text_document_hover_async(lsp.HoverParams(doc(), pos(44, 31)))
    assert result is not None and result.range is not None
    assert as_tuple(result.range) == (44, 30, 44, 32)
    assert isinstance(result.contents, lsp.MarkupContent)
    assert (
        result.contents.value == "**input** `lr` of operation `train`\n\n- type `float`\n- default `0.01`\n- optional"
    )


async def test_hover_on_a_param_key(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, DAG)
    result = await client.text_document_hover_async(lsp.HoverParams(doc(), pos(10, 12)))
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.value == (
        "**input** `source` of operation `prepare`\n\n- type `str`\n- required\n\nWhere the raw data is."
    )


async def test_hover_on_a_context_param(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, DAG)
    result = await client.text_document_hover_async(lsp.HoverParams(doc(), pos(44, 81)))
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.value == (
        "**param** `note` of operation `train`\n\n- value `{{ ops.prepare.outputs.table }}`\n"
        "- contextOnly `true`\n\nDeclared by no input or output: a context value for templates."
    )
    joined = await client.text_document_hover_async(lsp.HoverParams(doc(), pos(44, 66)))
    assert joined is not None and isinstance(joined.contents, lsp.MarkupContent)
    assert joined.contents.value == (
        "**join param** `runs` of operation `train`\n\n- value `globals.uuid`\n\n"
        "Declared by no input or output: a context value for templates."
    )


ASTRAL = """\
kind: component
inputs:
  - {name: lr, type: float}
run:
  kind: job
  container:
    image: python
    command: ["😀 {{ lr }}", '😀😀 {{ params.lr.value }}']
"""


async def test_positions_in_utf16(client: LanguageClient) -> None:
    # 😀 is two UTF-16 units: the `lr` of `{{ lr }}` is at code point 20, unit 21; that of params.lr at 42, unit 45
    assert await definition(client, ASTRAL, 7, 22) == [(2, 11, 2, 13)]
    edit = await rename(client, ASTRAL, 7, 46, "rate")
    assert edit is not None and edit.changes is not None
    assert sorted(as_tuple(e.range) for e in edit.changes[POLYAXONFILE_URI]) == [
        (2, 11, 2, 13),
        (7, 21, 7, 23),
        (7, 45, 7, 47),
    ]


# ---------------------------------------------------------------------- quick fixes of name diagnostics

FIXES = """\
kind: operation
name: train
component:
  inputs:
    - {name: learning_rate, type: float}
    - {name: epochs, type: int}
  run:
    kind: job
    container:
      image: python
      args: ["{{ learning_rat }}", "{{ params.batch.value }}"]
params:
  learning_rate: {value: 0.1}
  epoch: {value: 3}
"""


async def fixes_for(client: LanguageClient, text: str) -> list[tuple[str, str, str]]:
    """(diagnostic message start, fix title, the text after the fix) for every name fix offered."""
    open_doc(client, POLYAXONFILE_URI, text)
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 1)
    found = []
    for diagnostic in diagnostics:
        result = await client.text_document_code_action_async(
            lsp.CodeActionParams(
                lsp.TextDocumentIdentifier(POLYAXONFILE_URI), diagnostic.range, lsp.CodeActionContext([diagnostic])
            )
        )
        for action in result or []:
            assert isinstance(action, lsp.CodeAction) and action.edit is not None and action.edit.changes is not None
            after = apply_edits(text, list(action.edit.changes[POLYAXONFILE_URI]))
            found.append((diagnostic.message[:40], action.title, after))
    return found


async def test_name_quick_fixes(client: LanguageClient) -> None:
    found = await fixes_for(client, FIXES)
    titles = [title for _, title, _ in found]
    assert titles == [
        "Replace with `learning_rate`",
        "Declare the input `batch`",
        "Add the param `epochs`",
        "Replace with `epochs`",
    ]
    by_title = {title: after for _, title, after in found}
    assert '      args: ["{{ learning_rate }}", "{{ params.batch.value }}"]' in by_title["Replace with `learning_rate`"]
    assert (
        "    - {name: epochs, type: int}\n    - {name: batch, type: str, isOptional: true}\n  run:"
        in by_title["Declare the input `batch`"]
    )
    assert by_title["Add the param `epochs`"].endswith("  epoch: {value: 3}\n  epochs: {value: 0}\n")
    assert by_title["Replace with `epochs`"].endswith("  epochs: {value: 3}\n")
    # each fix removes its own diagnostic (the param renamed to `epochs` also gives the required input its
    # value) and adds none
    before = validate_text(FIXES)
    removed = {title: len(before) - len(validate_text(after)) for _, title, after in found}
    assert removed == {
        "Replace with `learning_rate`": 1,
        "Declare the input `batch`": 1,
        "Add the param `epochs`": 1,
        "Replace with `epochs`": 2,
    }
    for _, title, after in found:  # (code, message): a fix on a line moves what follows it
        assert {(d.code, d.message) for d in validate_text(after)} < {(d.code, d.message) for d in before}, title


async def test_declare_input_creates_the_section(client: LanguageClient) -> None:
    text = (
        "kind: component\nrun:\n  kind: job\n  container:\n    image: python\n    args: ['{{ params.nope.value }}']\n"
    )
    [(_, title, after)] = await fixes_for(client, text)
    assert title == "Declare the input `nope`"
    assert after == (
        "kind: component\ninputs:\n  - {name: nope, type: str}\nrun:\n  kind: job\n  container:\n"
        "    image: python\n    args: ['{{ params.nope.value }}']\n"
    )
    assert validate_text(after) == []


async def test_add_param_to_a_dag_node(client: LanguageClient) -> None:
    text = """\
kind: operation
component:
  run:
    kind: dag
    operations:
      - name: a
        component:
          inputs: [{name: size, type: int}, {name: ratio, type: float}]
          run: {kind: job, container: {image: python}}
"""
    found = await fixes_for(client, text)
    assert [title for _, title, _ in found] == ["Add the param `size`", "Add the param `ratio`"]
    assert found[0][2] == text.replace(
        "        component:", "        params:\n          size: {value: 0}\n        component:"
    )
    assert found[1][2] == text.replace(
        "        component:", "        params:\n          ratio: {value: 0.0}\n        component:"
    )
    for _, _, after in found:
        assert len(validate_text(after)) == 1  # the other input still has no value


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NAME_FIX_TITLES = ("Declare the input `", "Add the param `", "Replace with `")


async def test_name_fixes_on_every_fixture(client: LanguageClient) -> None:
    """On every fixture, each name fix parses, removes its diagnostic and adds none."""
    offered: Counter[str] = Counter()
    for path in sorted([*FIXTURES.glob("negative/*.yaml"), *FIXTURES.glob("positive/*.yaml")]):
        before = path.read_text(encoding="utf-8")
        uri = f"file:///work/project/polyaxonfile-{path.parent.name}-{path.stem}.yaml"
        open_doc(client, uri, before)
        diagnostics = await client.recorder.wait(uri, 1)
        said = {(d.code, d.message) for d in validate_text(before)}
        for diagnostic in diagnostics:
            if diagnostic.code not in ("template-name", "unknown-key", "required"):
                continue
            result = await client.text_document_code_action_async(
                lsp.CodeActionParams(
                    lsp.TextDocumentIdentifier(uri), diagnostic.range, lsp.CodeActionContext([diagnostic])
                )
            )
            for action in result or []:
                assert isinstance(action, lsp.CodeAction)
                if not action.title.startswith(NAME_FIX_TITLES) or action.edit is None or action.edit.changes is None:
                    continue
                offered[action.title.split("`")[0].strip()] += 1
                after = apply_any(before, list(action.edit.changes[uri]))
                yaml.safe_load(after)
                # declaring `x` used as a printed `{{ params.x }}` leads to its next warning: it prints the
                # whole param (templates.WHOLE_PARAM), which is the one diagnostic a fix may bring
                remaining = {(d.code, d.message) for d in validate_text(after) if WHOLE_PARAM not in d.message}
                assert (diagnostic.code, diagnostic.message) not in remaining, (path.name, action.title)
                assert remaining < said, (path.name, action.title, after)
    print(f"name fixes applied on the fixtures: {dict(offered)}")
    assert offered["Declare the input"] and offered["Add the param"] and offered["Replace with"]


def apply_any(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply edits (ASCII text, possibly inserting line breaks), the last one first."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text


COMPONENT = """\
kind: component
inputs:
  - name: lr
    type: float
outputs:
  - {name: model, type: str, isOptional: true}
run: {kind: job, container: {image: python, args: ["{{ lr }}"]}}
"""

PATH_REF = """\
kind: operation
pathRef: ./train.yaml
params:
  lr: {value: 0.1}
  nope: {value: 1}
"""


async def test_definition_through_path_ref(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "train.yaml").write_text(COMPONENT, encoding="utf-8")
    main = tmp_path / "polyaxonfile.yaml"
    main.write_text(PATH_REF, encoding="utf-8")
    uri = main.as_uri()
    open_doc(client, uri, PATH_REF)
    target = (tmp_path / "train.yaml").as_uri()

    async def at(line: int, character: int) -> list[tuple[str, tuple[int, int, int, int]]]:
        result = await client.text_document_definition_async(
            lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), pos(line, character))
        )
        return [
            (location.uri, as_tuple(location.range)) for location in result or [] if isinstance(location, lsp.Location)
        ]

    assert await at(3, 3) == [(target, (2, 10, 2, 12))]  # the param key `lr`: the input in train.yaml
    assert await at(1, 14) == [(target, (0, 0, 0, 0))]  # the pathRef itself: the file
    assert await at(4, 3) == [(uri, (4, 2, 4, 6))]  # a param train.yaml does not declare: its own key

    found = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri),
            position=pos(3, 3),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert [(location.uri, as_tuple(location.range)) for location in found or []] == [
        (target, (2, 10, 2, 12)),
        (uri, (3, 2, 3, 4)),
        (target, (6, 55, 6, 57)),
    ]
    edit = await client.text_document_rename_async(lsp.RenameParams(lsp.TextDocumentIdentifier(uri), pos(3, 3), "rate"))
    assert edit is not None and edit.changes is not None
    assert {file: sorted(as_tuple(e.range) for e in edits) for file, edits in edit.changes.items()} == {
        uri: [(3, 2, 3, 4)],
        target: [(2, 10, 2, 12), (6, 55, 6, 57)],
    }
    refused = await client.text_document_rename_async(
        lsp.RenameParams(lsp.TextDocumentIdentifier(uri), pos(3, 3), "model")  # an output of train.yaml
    )
    assert refused is None
    (tmp_path / "train.yaml").unlink()
    assert await at(3, 3) == [(uri, (3, 2, 3, 4))] and await at(1, 14) == []


HOSTILE = [
    "a: &x [*x]\n",
    "- {{\n",
    "kind: component\ninputs: [{name: 1}, {name: {a: b}}, 3]\n"
    "run: {kind: job, container: {args: ['{{ 1 }}{{ params[0] }}{{ x.y[\"z\"] }}{% for %}']}}\n",
    "kind: operation\nparams: {? [a]: 1, 2: 3}\ncomponent: {inputs: [{name: a}], run: {kind: dag, operations: "
    "[{name: x, dependencies: 5, params: {a: {ref: ops., value: outputs.}}}, 7, {name: [1]}]}}\n",
    "kind: component\nrun:\n  kind: job\n  container:\n    args: |\n      {{ a }}\n        {{ b }}\n"
    "      {% raw %}{{ c }}{% endraw %} {# x\n",
    'kind: component\nrun: {kind: job, container: {args: ["\\u00e9{{ a }}\\U0001F600{{ b | }}", "{{ "]}}\n',
    "x: " + "[" * 300 + "]" * 300 + "\n",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[f"hostile-{i}" for i in range(len(HOSTILE))])
async def test_bad_input_never_fails_a_request(client: LanguageClient, text: str) -> None:
    open_doc(client, POLYAXONFILE_URI, text)
    identifier = doc()
    lines = text.split("\n")
    for line, content in enumerate(lines):
        for character in sorted({0, len(content) // 2, len(content), content.find("{{") + 3}):
            at = pos(line, max(0, character))
            await client.text_document_definition_async(lsp.DefinitionParams(identifier, at))
            await client.text_document_references_async(
                lsp.ReferenceParams(
                    text_document=identifier, position=at, context=lsp.ReferenceContext(include_declaration=True)
                )
            )
            await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(identifier, at))
            await client.text_document_rename_async(lsp.RenameParams(identifier, at, "fresh"))
            await client.text_document_hover_async(lsp.HoverParams(identifier, at))
            await client.text_document_completion_async(lsp.CompletionParams(identifier, at))
    result = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(identifier))
    assert isinstance(result, lsp.SemanticTokens) and len(result.data) % 5 == 0


DAG_REF = """\
kind: operation
component:
  run:
    kind: dag
    components:
      - name: trainer
        inputs: [{name: lr, type: float}]
        run: {kind: job, container: {image: python, args: ["{{ lr }}"]}}
    operations:
      - {name: a, dagRef: trainer, params: {lr: {value: 0.1}}}
      - {name: b, dagRef: trainer, params: {lr: {value: 0.2}}}
"""


async def test_a_component_shared_by_dag_ref(client: LanguageClient) -> None:
    """Two nodes run one component: its input is one name, its `dagRef`s name the component."""
    assert await definition(client, DAG_REF, 9, 26) == [(5, 14, 5, 21)]  # dagRef: trainer
    assert await definition(client, DAG_REF, 10, 45) == [(6, 24, 6, 26)]  # b's param `lr`
    edit = await rename(client, DAG_REF, 6, 25, "rate")
    assert edit is not None and edit.changes is not None
    assert sorted(as_tuple(e.range) for e in edit.changes[POLYAXONFILE_URI]) == [
        (6, 24, 6, 26),
        (7, 63, 7, 65),
        (9, 44, 9, 46),
        (10, 44, 10, 46),
    ]
    edit = await rename(client, DAG_REF, 5, 16, "fit")
    assert edit is not None and edit.changes is not None
    renamed = apply_edits(DAG_REF, list(edit.changes[POLYAXONFILE_URI]))
    assert renamed.count("dagRef: fit") == 2 and "- name: fit" in renamed
    assert validate_text(renamed) == validate_text(DAG_REF)
