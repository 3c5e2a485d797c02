// VS Code side of the Polyaxon Init tooling: starts the `plx-lsp` language server and hands it
// polyaxonfiles only. Everything testable without VS Code lives in matching.ts / resolve.ts / settings.ts.
import * as vscode from 'vscode';
import {
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  LanguageClient,
  LanguageClientOptions,
  Middleware,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { isPolyaxonFile } from './matching';
import { commandLine, failureMessage, probe, resolveServer, ServerCommand, which } from './resolve';
import { initializationOptions, needsRestart, PlxSettings, readSettings, RESTART_KEYS } from './settings';

const CLIENT_ID = 'plx'; // => the client reads `plx.trace.server` itself
const CLIENT_NAME = 'Polyaxon Init';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_OUTPUT = 'Show Output';

/** Language features whose middleware gets the document first and `next` last; guarded by `isTracked`. */
const DOCUMENT_FEATURES = [
  'provideCompletionItem',
  'provideHover',
  'provideSignatureHelp',
  'provideDefinition',
  'provideDeclaration',
  'provideTypeDefinition',
  'provideImplementation',
  'provideReferences',
  'provideDocumentHighlights',
  'provideDocumentSymbols',
  'provideCodeActions',
  'provideCodeLenses',
  'provideDocumentLinks',
  'provideDocumentColors',
  'provideDocumentFormattingEdits',
  'provideDocumentRangeFormattingEdits',
  'provideDocumentRangesFormattingEdits',
  'provideOnTypeFormattingEdits',
  'provideRenameEdits',
  'prepareRename',
  'provideFoldingRanges',
  'provideSelectionRanges',
  'provideDocumentSemanticTokens',
  'provideDocumentSemanticTokensEdits',
  'provideDocumentRangeSemanticTokens',
  'provideLinkedEditingRange',
  'prepareCallHierarchy',
  'prepareTypeHierarchy',
  'provideInlayHints',
  'provideInlineValues',
  'provideInlineCompletionItems',
] as const;

type AnyNext = (...args: unknown[]) => unknown;

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?: (resource?: vscode.Uri) => { path?: string } | undefined;
    resolveEnvironment?: (env: unknown) => Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails?: (resource?: vscode.Uri) => { execCommand?: string[] } | undefined;
    onDidChangeExecutionDetails?: vscode.Event<unknown>;
  };
}

function withTimeout<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    Promise.resolve(p).then(
      (v) => { clearTimeout(t); resolve(v); },
      (e: unknown) => { clearTimeout(t); reject(e instanceof Error ? e : new Error(String(e))); },
    );
  });
}

class PlxController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private server: ServerCommand | undefined;
  private starting: Promise<void> | undefined;
  private failed = false; // no working server: don't retry on every opened file (settings change / restart do)
  private settings: PlxSettings;
  /** URIs (string form) of the documents the server was told about. */
  private readonly tracked = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private pythonApiHooked = false;

  constructor(private readonly output: vscode.OutputChannel) {
    this.settings = this.readSettings();
  }

  // ------------------------------------------------------------------------------- settings
  private readSettings(): PlxSettings {
    const cfg = vscode.workspace.getConfiguration('plx');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return readSettings((k) => cfg.get(k), folder !== undefined ? { workspaceFolder: folder } : {});
  }

  private log(msg: string): void {
    this.output.appendLine(`[${new Date().toISOString()}] ${msg}`);
  }

  // ------------------------------------------------------------------------------- document filter
  private workspaceRoots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  isPolyaxonDocument(doc: vscode.TextDocument): boolean {
    if (doc.languageId !== 'yaml') return false;
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
    const filePath = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    return isPolyaxonFile(filePath, doc.getText(), this.settings.files, this.workspaceRoots());
  }

  private isTracked(uri: vscode.Uri): boolean {
    return this.tracked.has(uri.toString());
  }

  private middleware(): Middleware {
    const mw: Record<string, unknown> = {
      // Text synchronisation: the client offers every YAML document; only polyaxonfiles get through.
      didOpen: async (doc: vscode.TextDocument, next: (d: vscode.TextDocument) => Promise<void>) => {
        if (!this.isPolyaxonDocument(doc)) return;
        this.tracked.add(doc.uri.toString());
        await next(doc);
      },
      didChange: async (event: vscode.TextDocumentChangeEvent, next: (e: vscode.TextDocumentChangeEvent) => Promise<void>) => {
        const doc = event.document;
        const key = doc.uri.toString();
        const isPlx = this.isPolyaxonDocument(doc);
        if (this.tracked.has(key)) {
          if (isPlx) return next(event);
          // no longer a polyaxonfile (e.g. `kind: component` removed): close it on the server, drop its diagnostics
          this.tracked.delete(key);
          await this.notifyClose(doc);
          return;
        }
        if (isPlx) {
          // became a polyaxonfile while being edited: open it with its full current text
          this.tracked.add(key);
          await this.notifyOpen(doc);
        }
      },
      didClose: async (doc: vscode.TextDocument, next: (d: vscode.TextDocument) => Promise<void>) => {
        if (!this.tracked.delete(doc.uri.toString())) return;
        await next(doc);
      },
      didSave: async (doc: vscode.TextDocument, next: (d: vscode.TextDocument) => Promise<void>) => {
        if (this.isTracked(doc.uri)) await next(doc);
      },
      willSave: async (event: vscode.TextDocumentWillSaveEvent, next: (e: vscode.TextDocumentWillSaveEvent) => Promise<void>) => {
        if (this.isTracked(event.document.uri)) await next(event);
      },
      willSaveWaitUntil: (
        event: vscode.TextDocumentWillSaveEvent,
        next: (e: vscode.TextDocumentWillSaveEvent) => Thenable<vscode.TextEdit[]>,
      ): Thenable<vscode.TextEdit[]> => (this.isTracked(event.document.uri) ? next(event) : Promise.resolve([])),
      // Never show server diagnostics on a file we did not hand over (belt and braces).
      handleDiagnostics: (uri: vscode.Uri, diagnostics: vscode.Diagnostic[], next: (u: vscode.Uri, d: vscode.Diagnostic[]) => void) => {
        if (diagnostics.length > 0 && !this.isTracked(uri)) return;
        next(uri, diagnostics);
      },
      // Pull diagnostics, if the server offers them.
      provideDiagnostics: (doc: vscode.TextDocument | vscode.Uri, previousResultId: string | undefined, token: vscode.CancellationToken, next: AnyNext) => {
        const uri = doc instanceof vscode.Uri ? doc : doc.uri;
        if (!this.isTracked(uri)) return { kind: 'full', items: [] };
        return next(doc, previousResultId, token);
      },
    };
    // Language features (completion, hover, code actions, …): nothing for other YAML files.
    for (const name of DOCUMENT_FEATURES) {
      mw[name] = (doc: vscode.TextDocument, ...rest: unknown[]) => {
        const next = rest.pop() as AnyNext;
        return this.isTracked(doc.uri) ? next(doc, ...rest) : undefined;
      };
    }
    return mw as Middleware;
  }

  private async notifyOpen(doc: vscode.TextDocument): Promise<void> {
    const c = this.client;
    if (!c || c.state !== State.Running) return;
    await c.sendNotification(DidOpenTextDocumentNotification.type, c.code2ProtocolConverter.asOpenTextDocumentParams(doc));
    this.repullDiagnostics(doc);
  }

  private async notifyClose(doc: vscode.TextDocument): Promise<void> {
    const c = this.client;
    if (!c) return;
    c.diagnostics?.delete(doc.uri); // pushed diagnostics
    if (c.state !== State.Running) return;
    await c.sendNotification(DidCloseTextDocumentNotification.type, c.code2ProtocolConverter.asCloseTextDocumentParams(doc));
    this.repullDiagnostics(doc); // pulled diagnostics: the middleware now answers "none" for it
  }

  /**
   * With pull diagnostics the client only pulls for documents whose didOpen it sent itself; after a
   * didOpen/didClose sent here (a document that became / stopped being a polyaxonfile) ask it to pull again.
   */
  private repullDiagnostics(doc: vscode.TextDocument): void {
    try {
      this.client?.getFeature(DocumentDiagnosticRequest.method)?.getProvider(doc)?.onDidChangeDiagnosticsEmitter.fire();
    } catch (e) {
      this.log(`Refreshing diagnostics: ${String(e)}`);
    }
  }

  // ------------------------------------------------------------------------------- server resolution
  private async pythonApi(): Promise<PythonExtensionApi | undefined> {
    const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
    if (!ext) return undefined;
    try {
      const api = ext.isActive ? ext.exports : await withTimeout(ext.activate(), 15000, 'activating the Python extension');
      this.hookPythonApi(api);
      return api;
    } catch (e) {
      this.log(`Python extension: ${String(e)}`);
      return undefined;
    }
  }

  /** Restart when the interpreter selected in the Python extension changes and we depend on it. */
  private hookPythonApi(api: PythonExtensionApi | undefined): void {
    if (this.pythonApiHooked || !api) return;
    this.pythonApiHooked = true;
    const onChange = () => {
      if (this.settings.serverPath || this.settings.python) return;
      if (this.server?.source === 'python-extension' || this.failed || (this.server && this.server.source.startsWith('PATH'))) {
        this.log('The Python extension selected another interpreter: restarting.');
        void this.restart();
      }
    };
    const ev = api.environments?.onDidChangeActiveEnvironmentPath ?? api.settings?.onDidChangeExecutionDetails;
    if (ev) this.disposables.push(ev(onChange));
  }

  private async pythonExtensionInterpreter(): Promise<string[] | undefined> {
    const api = await this.pythonApi();
    if (!api) return undefined;
    const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const envs = api.environments;
    if (envs?.getActiveEnvironmentPath) {
      const active = envs.getActiveEnvironmentPath(resource);
      let exe: string | undefined;
      if (active && envs.resolveEnvironment) {
        const resolved = await withTimeout(envs.resolveEnvironment(active), 15000, 'resolving the Python environment').catch(() => undefined);
        exe = resolved?.executable?.uri?.fsPath;
      }
      exe = exe ?? active?.path;
      if (exe) return [exe];
    }
    const details = api.settings?.getExecutionDetails?.(resource);
    return details?.execCommand && details.execCommand.length > 0 ? details.execCommand : undefined;
  }

  // ------------------------------------------------------------------------------- lifecycle
  /** Start the server if a polyaxonfile is open (or `force`). */
  async ensureStarted(force = false): Promise<void> {
    if (this.client || this.starting) return this.starting;
    if (this.failed && !force) return;
    if (!force && !vscode.workspace.textDocuments.some((d) => this.isPolyaxonDocument(d))) return;
    this.starting = this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async start(): Promise<void> {
    this.failed = false;
    this.settings = this.readSettings();
    const s = this.settings;
    this.log(`Resolving the language server (plx.server.path=${JSON.stringify(s.serverPath)}, plx.python=${JSON.stringify(s.python)}).`);
    const resolution = await resolveServer(
      { serverPath: s.serverPath, python: s.python },
      {
        probe: (cmd, args) => probe(cmd, args),
        which: (name) => which(name),
        pythonExtensionInterpreter: () => this.pythonExtensionInterpreter(),
      },
    );
    for (const a of resolution.attempts) {
      this.log(`  ${a.ok ? 'ok  ' : 'fail'} [${a.source}] ${a.commandLine}${a.detail ? ` -> ${a.detail}` : ''}`);
    }
    if (!resolution.ok) {
      this.failed = true;
      const msg = failureMessage(resolution);
      this.log(msg);
      void this.showError(msg);
      return;
    }
    const server = resolution.server;
    this.server = server;
    this.log(`Starting ${commandLine(server.command, server.args)} (from ${server.source}).`);

    const serverOptions: ServerOptions = {
      command: server.command,
      args: server.args,
      transport: TransportKind.stdio, // appends --stdio, which plx-lsp accepts and ignores
      options: { env: { ...process.env, PYTHONUNBUFFERED: '1' } },
    };
    const clientOptions: LanguageClientOptions = {
      // Every YAML document is offered; the middleware keeps only polyaxonfiles (globs + content).
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      initializationOptions: initializationOptions(s),
      synchronize: { configurationSection: 'plx' },
      outputChannel: this.output,
      traceOutputChannel: this.output,
      diagnosticCollectionName: 'plx',
      middleware: this.middleware(),
      initializationFailedHandler: (err) => {
        this.log(`Server initialization failed: ${String(err)}`);
        return false;
      },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    this.tracked.clear();
    this.client = client;
    try {
      await client.start();
      this.log(`Language server running (${client.initializeResult?.serverInfo?.name ?? 'plx-lsp'} ${client.initializeResult?.serverInfo?.version ?? ''}).`.replace(' )', ')'));
    } catch (e) {
      this.failed = true;
      this.client = undefined;
      this.server = undefined;
      this.tracked.clear();
      try { await client.dispose(); } catch { /* already dead */ }
      const msg =
        `Polyaxon Init: the language server "${commandLine(server.command, server.args)}" (from ${server.source}) failed to start: ` +
        `${e instanceof Error ? e.message : String(e)}. See the "${CLIENT_NAME}" output; check "plx.server.path" / "plx.python".`;
      this.log(msg);
      void this.showError(msg);
    }
  }

  private erroring = false;
  private async showError(msg: string): Promise<void> {
    if (this.erroring) return; // one notification at a time
    this.erroring = true;
    try {
      const pick = await vscode.window.showErrorMessage(msg, OPEN_SETTINGS, SHOW_OUTPUT);
      if (pick === OPEN_SETTINGS) await vscode.commands.executeCommand('workbench.action.openSettings', 'plx');
      else if (pick === SHOW_OUTPUT) this.output.show(true);
    } finally {
      this.erroring = false;
    }
  }

  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const c = this.client;
    this.client = undefined;
    this.server = undefined;
    this.tracked.clear();
    if (c) {
      try {
        await c.stop(5000);
      } catch (e) {
        this.log(`Stopping the server: ${String(e)}`);
      }
      try { await c.dispose(); } catch { /* ignore */ }
    }
  }

  async restart(force = false): Promise<void> {
    this.log('Restarting the language server.');
    await this.stop();
    this.failed = false;
    this.settings = this.readSettings();
    await this.ensureStarted(force);
  }

  async onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!RESTART_KEYS.some((k) => e.affectsConfiguration(k))) return;
    const before = this.settings;
    const after = this.readSettings();
    if (!needsRestart(before, after) && !this.failed) return;
    this.log('Settings changed (plx.server.path / plx.python / plx.files).');
    await this.restart();
  }

  register(context: vscode.ExtensionContext): void {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!this.client && this.isPolyaxonDocument(d)) void this.ensureStarted();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.client && !this.starting && !this.failed && e.contentChanges.length > 0 && this.isPolyaxonDocument(e.document)) {
          void this.ensureStarted();
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => void this.onConfigurationChanged(e)),
      vscode.commands.registerCommand('plx.restartServer', () => this.restart(true)),
      vscode.commands.registerCommand('plx.showOutput', () => this.output.show(true)),
    );
    context.subscriptions.push(this);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

let controller: PlxController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);
  controller = new PlxController(output);
  controller.register(context);
  void controller.ensureStarted();
}

export async function deactivate(): Promise<void> {
  const c = controller;
  controller = undefined;
  if (c) await c.stop();
}
