"""plx-lsp: wiring of the LSP handlers (document -> core -> convert); `bootstrap.main` starts it."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import re
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..diagnostics import Position
from . import bootstrap, codecache, memory, positions, transport
from .convert import core_position
from .documents import Document, DocumentStore
from .protocol import PlxProtocol
from .selection import DEFAULT_GLOBS, is_polyaxonfile, uri_to_path
from .semantic_legend import TOKEN_MODIFIERS, TOKEN_TYPES

log = logging.getLogger("plx-lsp")

_T = TypeVar("_T")

#: Push diagnostics are scheduled per document with a leading edge and trailing coalescing.
#: Leading: a change that comes at least IDLE seconds after the previous change to the
#: document, with no validation of it under way, is validated at once (after one turn of the
#: event loop, so changes already received are taken in too). Trailing: changes in a burst
#: (less than IDLE apart) or during a validation only mark the document dirty; its latest
#: version is validated once the changes have paused for SETTLE seconds. Validation runs in
#: one worker thread on a snapshot of the text, so requests (completion, hover) are served
#: meanwhile; a result is published only if its version is still the document's current one.
IDLE = 0.02
SETTLE = 0.05

#: Diagnostics computed from a re-read of the edited entry alone (incremental.py) are checked by
#: a full reading once the document has had no change for this long, in its own worker thread
#: (so the next edit's validation never waits for it); a newer edit cancels the check.
BACKSTOP_IDLE = 0.3

#: `gc.set_threshold` of the server process (Python's default is 700, 10, 10).
GC_THRESHOLD = (50_000, 20, 100)


class PlxLanguageServer(LanguageServer):
    """The language server: its documents, settings and diagnostics scheduling."""

    def __init__(self) -> None:
        super().__init__("plx-lsp", __version__, protocol_cls=PlxProtocol)
        self.store = DocumentStore()
        self.globs: list[str] = list(DEFAULT_GLOBS)
        self.roots: list[str] = []
        self.encoding = positions.UTF16
        self.pull = False
        self.refresh_support = False
        self.snippets = True
        self.related_information = False
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._dirty: set[str] = set()
        self._last_change: dict[str, float] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._published: set[str] = set()
        self._backstops: dict[str, asyncio.Task[None]] = {}
        self._backstop_executor: ThreadPoolExecutor | None = None
        self._reading_executor: ThreadPoolExecutor | None = None
        #: incremental results checked by a full reading, and how many of them differed
        self.backstop_checks = 0
        self.backstop_differences = 0
        #: the loaded value of each document's last reading that could be read (template completion)
        self.last_readings: dict[str, Any] = {}
        #: the user's catalog (the `catalog` setting: connections, presets, queues), None for none
        self.catalog: Any = None

    # ------------------------------------------------------------------ errors
    def report_server_error(self, error: Exception, source: Any) -> None:
        # client mistakes never get here (transport.py answers them); one line, no traceback
        log.error("%s: %s", getattr(source, "__name__", source), error)

    # ------------------------------------------------------------------ documents
    def document(self, uri: str) -> Document | None:
        """The open polyaxonfile at `uri` (None for unknown or non-polyaxon documents)."""
        document = self.store.get(uri)
        if document is None or not self.is_active(document):
            return None
        return document

    def is_active(self, document: Document) -> bool:
        cached = document.cache.get("active")
        if cached is None or cached[0] != tuple(self.globs):
            active = is_polyaxonfile(document.uri, document.text, self.globs, self.roots)
            document.cache["active"] = (tuple(self.globs), active)
            return active
        return bool(cached[1])

    def lsp_diagnostics(self, document: Document) -> list[lsp.Diagnostic]:
        """Diagnostics of the document's current version (computed once per version)."""
        cached = document.cache.get("diagnostics")
        if cached is None:
            from ..refs import RuleContext
            from ..validate import validate_document
            from .convert import lsp_diagnostics

            # pathRefs are followed from a file on disk only (an untitled buffer has no directory)
            path = uri_to_path(document.uri) if document.uri.startswith("file:") else None
            context = RuleContext(path=path, catalog=self.catalog)
            cached = lsp_diagnostics(
                document, validate_document(document.parsed, context), self.encoding, self.related_information
            )
            document.cache["diagnostics"] = cached
        return list(cached)

    async def with_reading(self, document: Document, call: Callable[[Document], _T]) -> _T:
        """`call(document)` where it needs the core's reading of the current version.

        At once when that version is read already; else on a snapshot in a worker thread (a
        full reading of a large file takes tens of milliseconds), so that requests such as
        completion after the next keystroke are answered meanwhile. The reading (and the name
        index) is kept for the version if it is still the current one.
        """
        if "diagnostics" in document.cache or "names" in document.cache:
            return call(document)
        if self._reading_executor is None:
            self._reading_executor = ThreadPoolExecutor(1, thread_name_prefix="plx-reading")
        snapshot = document.snapshot()
        result = await asyncio.get_running_loop().run_in_executor(self._reading_executor, call, snapshot)
        if self.store.get(document.uri) is document and document.version == snapshot.version:
            document.adopt_parsed(snapshot)
            if "names" in snapshot.cache:
                document.cache.setdefault("names", snapshot.cache["names"])
        return result

    # ------------------------------------------------------------------ push diagnostics
    def schedule(self, uri: str) -> None:
        """The document at `uri` changed (or may read differently): publish its diagnostics."""
        if self.pull:
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        previous = self._last_change.get(uri)
        self._cancel_backstop(uri)
        self._dirty.add(uri)
        self._last_change[uri] = now
        if uri not in self._workers:
            leading = previous is None or now - previous >= IDLE
            self._workers[uri] = loop.create_task(self._validate_loop(uri, leading))

    async def _settle(self, uri: str) -> None:
        """Wait until the document has had no change for SETTLE seconds."""
        loop = asyncio.get_running_loop()
        while (wait := self._last_change.get(uri, 0.0) + SETTLE - loop.time()) > 0:
            await asyncio.sleep(wait)

    async def _validate_loop(self, uri: str, leading: bool) -> None:
        try:
            if leading:
                await asyncio.sleep(0)  # take in the changes already read
            else:
                await self._settle(uri)
            while uri in self._dirty:
                self._dirty.discard(uri)
                document = self.store.get(uri)
                if document is None:
                    return
                await self._validate(document)
                if uri not in self._dirty:
                    return
                await self._settle(uri)  # trailing: changed meanwhile; validate the latest once paused
        finally:
            self._workers.pop(uri, None)

    async def _validate(self, document: Document) -> None:
        uri, version = document.uri, document.version
        try:
            if self.is_active(document):
                if "diagnostics" in document.cache:
                    diagnostics = self.lsp_diagnostics(document)
                else:
                    snapshot = document.snapshot()
                    loop = asyncio.get_running_loop()
                    if self._executor is None:
                        self._executor = ThreadPoolExecutor(1, thread_name_prefix="plx-validate")
                    diagnostics = await loop.run_in_executor(self._executor, self.lsp_diagnostics, snapshot)
                    if self.store.get(uri) is not document or document.version != version:
                        if uri not in self.store:
                            memory.give_back()  # closed while validating: the snapshot is gone only now
                        return  # closed, reopened or edited meanwhile: never publish a stale result
                    document.cache.setdefault("diagnostics", snapshot.cache["diagnostics"])
                    document.adopt_parsed(snapshot)  # quick fixes and symbols need not parse it again
            elif uri in self._published:
                diagnostics = []
            else:
                return
        except Exception:  # never let a validation bug kill the loop
            log.exception("validation failed for %s", uri)
            return
        self._published.add(uri)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )
        if document.incremental and self.is_active(document):
            self._cancel_backstop(uri)
            self._backstops[uri] = asyncio.get_running_loop().create_task(self._backstop(document, diagnostics))

    def _cancel_backstop(self, uri: str) -> None:
        task = self._backstops.pop(uri, None)
        if task is not None:
            task.cancel()

    async def _backstop(self, document: Document, published: list[lsp.Diagnostic]) -> None:
        """Read the whole text of an incrementally validated version; republish if it says otherwise."""
        uri, version = document.uri, document.version
        try:
            await asyncio.sleep(BACKSTOP_IDLE)
            snapshot = Document(uri, document.text, version, document.language_id)  # no base: a full reading
            if self._backstop_executor is None:
                self._backstop_executor = ThreadPoolExecutor(1, thread_name_prefix="plx-backstop")
            loop = asyncio.get_running_loop()
            full = await loop.run_in_executor(self._backstop_executor, self.lsp_diagnostics, snapshot)
            if self.store.get(uri) is not document or document.version != version:
                return
            self.backstop_checks += 1
            document.set_full_reading(snapshot)
            document.cache["diagnostics"] = snapshot.cache["diagnostics"]
            if full != published:
                self.backstop_differences += 1
                log.warning(
                    "incremental diagnostics of %s version %s differed from a full reading (%d of %d checks); "
                    "republished",
                    uri,
                    version,
                    self.backstop_differences,
                    self.backstop_checks,
                )
                self.text_document_publish_diagnostics(
                    lsp.PublishDiagnosticsParams(uri=uri, diagnostics=full, version=version)
                )
            else:
                log.debug("incremental diagnostics of %s version %s confirmed", uri, version)
        except asyncio.CancelledError:
            raise
        except Exception:  # never let a validation bug kill the loop
            log.exception("background validation failed for %s", uri)
        finally:
            if self._backstops.get(uri) is asyncio.current_task():
                del self._backstops[uri]

    def clear(self, uri: str) -> None:
        self.last_readings.pop(uri, None)
        self._cancel_backstop(uri)
        self._dirty.discard(uri)
        self._last_change.pop(uri, None)
        if not self.pull and uri in self._published:
            self._published.discard(uri)
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def use_catalog(self, path: Any) -> bool:
        """Load the `catalog` setting (a file path, or null for none); whether it changed anything.
        An unusable catalog is shown to the user once and leaves names unchecked."""
        catalog = None
        if isinstance(path, str) and path:
            from ..catalog import CatalogError, load_catalog

            try:
                catalog = load_catalog(self._setting_path(path))
            except CatalogError as error:
                self.window_show_message(
                    lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=f"plx-lsp: catalog {error}")
                )
        changed = catalog != self.catalog
        self.catalog = catalog
        for uri in self.store.uris():
            document = self.store.get(uri)
            if document is not None:
                document.cache.pop("diagnostics", None)
        return changed

    def _setting_path(self, value: str) -> str:
        """A path setting as editors write it: `~`, `${userHome}`, `${env:NAME}` and
        `${workspaceFolder}` expanded, a relative path taken from the first workspace folder."""
        root = self.roots[0] if self.roots else os.getcwd()
        value = value.strip().replace("${workspaceFolder}", root).replace("${userHome}", os.path.expanduser("~"))
        value = re.sub(r"\$\{env:([^}]+)\}", lambda match: os.environ.get(match.group(1), ""), value)
        return os.path.join(root, os.path.expanduser(value))

    def settings_changed(self) -> None:
        """Globs or the catalog changed: every open document may have become (or stopped being) a
        polyaxonfile, or have other diagnostics."""
        if self.pull:
            if self.refresh_support:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in self.store.uris():
            self.schedule(uri)


server = PlxLanguageServer()


def _globs(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(glob, str) for glob in value):
        return list(value)
    return None


# ---------------------------------------------------------------------- lifecycle
@server.feature(lsp.INITIALIZE)
def initialize(ls: PlxLanguageServer, params: lsp.InitializeParams) -> None:
    capabilities = params.capabilities
    general = capabilities.general
    ls.encoding = positions.choose_encoding(general.position_encodings if general else None)
    text_document = capabilities.text_document
    ls.pull = bool(text_document and text_document.diagnostic is not None)
    completion_item = text_document.completion.completion_item if text_document and text_document.completion else None
    ls.snippets = bool(completion_item and completion_item.snippet_support)
    if text_document:
        channel = text_document.diagnostic if ls.pull else text_document.publish_diagnostics
        ls.related_information = bool(channel and channel.related_information)
    workspace = capabilities.workspace
    ls.refresh_support = bool(workspace and workspace.diagnostics and workspace.diagnostics.refresh_support)
    options = params.initialization_options
    if isinstance(options, dict):
        globs = _globs(options.get("files"))
        if globs is not None:
            ls.globs = globs
        if options.get("catalog") is not None:
            ls.use_catalog(options.get("catalog"))
    roots = [folder.uri for folder in params.workspace_folders or []]
    if params.root_uri:
        roots.append(params.root_uri)
    ls.roots = [uri_to_path(uri) for uri in roots]


@server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: PlxLanguageServer, params: lsp.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict):
        plx = settings.get("plx", settings)
        globs = _globs(plx.get("files")) if isinstance(plx, dict) else None
        changed = False
        if globs is not None:
            ls.globs = globs
            changed = True
        if isinstance(plx, dict) and "catalog" in plx:
            changed = ls.use_catalog(plx.get("catalog")) or changed
        if changed:
            ls.settings_changed()


# ---------------------------------------------------------------------- sync
@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PlxLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    ls.store.open(item.uri, item.text, item.version, item.language_id)
    ls.schedule(item.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PlxLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
    uri, version = params.text_document.uri, params.text_document.version
    document = ls.store.get(uri)
    if document is None:
        log.warning("didChange for a document that is not open: %s", uri)
        return
    if version is not None and version <= document.version:
        log.warning("ignoring stale change to %s: version %s <= %s", uri, version, document.version)
        return
    for change in params.content_changes:
        if isinstance(change, lsp.TextDocumentContentChangePartial):
            start, end = change.range.start, change.range.end
            document.edit((start.line, start.character), (end.line, end.character), change.text, ls.encoding)
        else:
            document.replace(change.text, document.version)
    document.version = version
    ls.schedule(uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PlxLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.store.close(params.text_document.uri)
    ls.clear(params.text_document.uri)
    memory.give_back()


# ---------------------------------------------------------------------- pull diagnostics
@server.feature(
    lsp.TEXT_DOCUMENT_DIAGNOSTIC,
    lsp.DiagnosticOptions(identifier="plx", inter_file_dependencies=False, workspace_diagnostics=False),
)
def pull_diagnostics(ls: PlxLanguageServer, params: lsp.DocumentDiagnosticParams) -> lsp.DocumentDiagnosticReport:
    document = ls.document(params.text_document.uri)
    if document is None:
        return lsp.RelatedFullDocumentDiagnosticReport(items=[])
    result_id = f"{id(document):x}:{document.version}"
    if params.previous_result_id == result_id and "diagnostics" in document.cache:
        return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return lsp.RelatedFullDocumentDiagnosticReport(items=ls.lsp_diagnostics(document), result_id=result_id)


# ---------------------------------------------------------------------- language features
#: `.`, `|` and `{` ask for completion only inside a template (template_completion.py).
TEMPLATE_TRIGGERS = (".", "|", "{")


@server.feature(
    lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" ", "-", ":", *TEMPLATE_TRIGGERS])
)
def completion(ls: PlxLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    document = ls.document(params.text_document.uri)
    if document is None or not 0 <= params.position.line < len(document.lines):
        return None
    from .template_completion import complete_template

    line = params.position.line
    column = document.column(line, params.position.character, ls.encoding)
    in_template = complete_template(document, line, column, ls.encoding, ls.last_readings)
    if in_template is not None:
        return lsp.CompletionList(is_incomplete=False, items=in_template)
    trigger = params.context.trigger_character if params.context else None
    if trigger in TEMPLATE_TRIGGERS:
        return None
    from .completion import complete

    items = complete(document, line, column, ls.encoding, ls.snippets)
    return lsp.CompletionList(is_incomplete=False, items=items)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
async def hover(ls: PlxLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    document = ls.document(params.text_document.uri)
    if document is None or not 0 <= params.position.line < len(document.lines):
        return None
    from .hover import hover as hover_at
    from .navigation import may_be_a_name, name_hover

    line = params.position.line
    column = document.column(line, params.position.character, ls.encoding)
    position = Position(line, column)
    if may_be_a_name(document, position):
        on_name = await ls.with_reading(document, lambda read: name_hover(read, position, ls.encoding))
        if on_name is not None:
            return on_name
    return hover_at(document, line, column, ls.encoding)


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.RefactorRewrite]),
)
def code_action(ls: PlxLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    document = ls.document(params.text_document.uri)
    if document is None:
        return None
    from .actions import code_actions

    return code_actions(document, params, ls.encoding, ls.lsp_diagnostics(document))


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(ls: PlxLanguageServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
    document = ls.document(params.text_document.uri)
    if document is None:
        return None
    from .symbols import document_symbols

    return document_symbols(document, ls.encoding)


@server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
def folding_range(ls: PlxLanguageServer, params: lsp.FoldingRangeParams) -> list[lsp.FoldingRange] | None:
    document = ls.document(params.text_document.uri)
    if document is None:
        return None
    from .symbols import folding_ranges

    return folding_ranges(document)


# ---------------------------------------------------------------------- names (navigation.py)
@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: PlxLanguageServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    document = ls.document(params.text_document.uri)
    if document is None:
        return None
    from . import navigation

    position = core_position(document, params.position, ls.encoding)
    return await ls.with_reading(document, lambda read: navigation.definition(read, position, ls.encoding))


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
async def references(ls: PlxLanguageServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    document = ls.document(params.text_document.uri)
    if document is None:
        return None
    from . import navigation

    position = core_position(document, params.position, ls.encoding)
    declaration = params.context.include_declaration
    return await ls.with_reading(document, lambda read: navigation.references(read, position, ls.encoding, declaration))


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
async def prepare_rename(ls: PlxLanguageServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
    document = ls.document(params.text_document.uri)
    if document is None:
        return None
    from . import navigation

    position = core_position(document, params.position, ls.encoding)
    return await ls.with_reading(document, lambda read: navigation.prepare_rename(read, position, ls.encoding))


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
async def rename(ls: PlxLanguageServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    document = ls.document(params.text_document.uri)
    if document is None:
        return None
    from . import navigation

    position, new_name = core_position(document, params.position, ls.encoding), params.new_name

    def edit(read: Document) -> tuple[str | None, lsp.WorkspaceEdit | None]:
        problem = navigation.rename_problem(read, position, new_name)
        return problem, None if problem else navigation.rename(read, position, new_name, ls.encoding)

    problem, result = await ls.with_reading(document, edit)
    if problem is not None:  # said to the user; an error reply would make pygls log a traceback
        ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, problem))
    return result


@server.feature(
    lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
    lsp.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS),
)
async def semantic_tokens_full(ls: PlxLanguageServer, params: lsp.SemanticTokensParams) -> lsp.SemanticTokens | None:
    document = ls.document(params.text_document.uri)
    if document is None:
        return None
    from .semantic import semantic_tokens

    return await ls.with_reading(document, lambda read: semantic_tokens(read, ls.encoding))


# ---------------------------------------------------------------------- entry point
def tune_gc() -> None:
    """Server GC tuning: move what start-up created out of the collector's way (`gc.freeze`) and
    collect the young generation less often (parsing a large file allocates many objects that
    live until the next edit, so frequent collections of them only cost time)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD[0], GC_THRESHOLD[1], GC_THRESHOLD[2])


def run(args: argparse.Namespace) -> None:
    """Serve over stdio (continuing a fast start, see bootstrap) or TCP; exit with LSP's code."""
    level = logging.DEBUG if args.verbose else logging.WARNING
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=level, format="%(asctime)s %(levelname)s %(message)s")
    else:  # one line per event, as editors show a server's stderr
        logging.basicConfig(stream=sys.stderr, level=level, format="plx-lsp: %(message)s")
    tune_gc()
    if args.tcp:
        host, port = args.tcp
        try:
            code = transport.serve_tcp(server, host, port)
        except OSError as error:
            print(f"plx-lsp: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
            sys.exit(2)
    else:
        code = transport.serve_stdio(server, bootstrap.replay(), bootstrap.stdout())
    server.shutdown()
    codecache.save()  # the structuring code cattrs generated for this session's messages
    sys.exit(code)
