// Finding a working language server command. Pure logic + small Node helpers; no `vscode` import.
//
// Order (the first that is configured / found AND passes its check wins):
//   1. `plx.server.path`  -> `<path>`            (check: `<path> --version`)
//   2. `plx.python`       -> `<python> -m plxinit` (check: `<python> -c "import plxinit"`)
//   3. the interpreter selected in the Python extension -> `<python> -m plxinit` (same check)
//   4. `plx-lsp` on PATH  (check: `plx-lsp --version`)
//   5. `python3` (then `python`) on PATH -> `python3 -m plxinit` (same check)
// An explicit setting (1 or 2) that fails its check is an error of its own: no silent fallback
// to something else than what the user asked for.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ServerSource = 'plx.server.path' | 'plx.python' | 'python-extension' | 'PATH plx-lsp' | 'PATH python';

export interface ServerCommand {
  command: string;
  args: string[];
  source: ServerSource;
}

export interface ProbeResult {
  ok: boolean;
  /** stdout/stderr (trimmed, shortened) or the spawn error. */
  output: string;
}

export interface ResolveInput {
  serverPath: string;
  python: string;
}

export interface ResolveEnv {
  /** Runs `command args` and reports whether it exited with 0 (within a timeout). */
  probe(command: string, args: string[]): Promise<ProbeResult>;
  /** Full path of an executable found on PATH, or undefined. */
  which(name: string): string | undefined;
  /** The command of the interpreter selected in the Python extension (e.g. `['/venv/bin/python']`), if any. */
  pythonExtensionInterpreter?: () => Promise<string[] | undefined>;
  platform?: NodeJS.Platform;
}

export interface Attempt {
  source: ServerSource;
  commandLine: string;
  ok: boolean;
  detail: string;
}

export type Resolution =
  | { ok: true; server: ServerCommand; attempts: Attempt[] }
  | { ok: false; attempts: Attempt[]; /** set when an explicit setting is what failed */ failedSetting?: 'plx.server.path' | 'plx.python' };

export const IMPORT_CHECK = ['-c', 'import plxinit'];
export const MODULE_ARGS = ['-m', 'plxinit'];

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a);
}

export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quote).join(' ');
}

export async function resolveServer(input: ResolveInput, env: ResolveEnv): Promise<Resolution> {
  const attempts: Attempt[] = [];
  const check = async (source: ServerSource, command: string, probeArgs: string[], runArgs: string[]): Promise<ServerCommand | undefined> => {
    const r = await env.probe(command, probeArgs);
    attempts.push({ source, commandLine: commandLine(command, probeArgs), ok: r.ok, detail: r.output });
    return r.ok ? { command, args: runArgs, source } : undefined;
  };

  // 1. explicit server executable
  if (input.serverPath) {
    const s = await check('plx.server.path', input.serverPath, ['--version'], []);
    return s ? { ok: true, server: s, attempts } : { ok: false, attempts, failedSetting: 'plx.server.path' };
  }
  // 2. explicit interpreter
  if (input.python) {
    const s = await check('plx.python', input.python, IMPORT_CHECK, MODULE_ARGS);
    return s ? { ok: true, server: s, attempts } : { ok: false, attempts, failedSetting: 'plx.python' };
  }
  // 3. the Python extension's interpreter (absent extension / API -> skipped)
  if (env.pythonExtensionInterpreter) {
    let exec: string[] | undefined;
    try {
      exec = await env.pythonExtensionInterpreter();
    } catch (e) {
      attempts.push({ source: 'python-extension', commandLine: '(Python extension)', ok: false, detail: String(e) });
    }
    if (exec && exec.length > 0 && exec[0]) {
      const [cmd, ...pre] = exec;
      const s = await check('python-extension', cmd, [...pre, ...IMPORT_CHECK], [...pre, ...MODULE_ARGS]);
      if (s) return { ok: true, server: s, attempts };
    }
  }
  // 4. plx-lsp on PATH
  const lsp = env.which('plx-lsp');
  if (lsp) {
    const s = await check('PATH plx-lsp', lsp, ['--version'], []);
    if (s) return { ok: true, server: s, attempts };
  } else {
    attempts.push({ source: 'PATH plx-lsp', commandLine: 'plx-lsp', ok: false, detail: 'not found on PATH' });
  }
  // 5. python3 / python on PATH
  const pythons = (env.platform ?? process.platform) === 'win32' ? ['python', 'py'] : ['python3', 'python'];
  for (const name of pythons) {
    const py = env.which(name);
    if (!py) {
      attempts.push({ source: 'PATH python', commandLine: name, ok: false, detail: 'not found on PATH' });
      continue;
    }
    const s = await check('PATH python', py, IMPORT_CHECK, MODULE_ARGS);
    if (s) return { ok: true, server: s, attempts };
  }
  return { ok: false, attempts };
}

/** The one error message shown when no server works: what to install and which setting to set. */
export function failureMessage(r: Extract<Resolution, { ok: false }>): string {
  // (plain text: notifications do not render markdown)
  const install =
    'Install the server with "pip install <path to a checkout of the plx-init project>" ' +
    '(the plx-init-tools Python package; it provides the plx-lsp command)';
  const last = r.attempts[r.attempts.length - 1];
  const why = last ? ` ("${last.commandLine}" failed: ${shorten(last.detail, 200)})` : '';
  if (r.failedSetting === 'plx.server.path') {
    return (
      `Polyaxon Init: the language server in setting "plx.server.path" does not work${why}. ` +
      `${install}, then point "plx.server.path" to that plx-lsp executable, or clear it to let the extension search.`
    );
  }
  if (r.failedSetting === 'plx.python') {
    return (
      `Polyaxon Init: the interpreter in setting "plx.python" cannot import plxinit${why}. ` +
      `${install} into that interpreter, or set "plx.server.path" to a plx-lsp executable.`
    );
  }
  return (
    'Polyaxon Init: no language server found (no working plx-lsp on PATH, and no Python with the plxinit package). ' +
    `${install}, then set "plx.server.path" to the plx-lsp executable or "plx.python" to the Python interpreter that has it.`
  );
}

export function shorten(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

// ---------------------------------------------------------------------------------------------
// Node implementations of the probes (used by the extension; unit tested with real temp files).

/** Finds an executable on PATH (honours PATHEXT on Windows). Names with a path separator are checked as they are. */
export function which(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  isExecutable: (p: string) => boolean = defaultIsExecutable,
): string | undefined {
  if (!name) return undefined;
  const exts = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  if (name.includes('/') || (platform === 'win32' && name.includes('\\'))) {
    for (const e of exts) if (isExecutable(name + e)) return name + e;
    return undefined;
  }
  const pathVar = env.PATH ?? env.Path ?? '';
  const sep = platform === 'win32' ? ';' : ':';
  for (const dir of pathVar.split(sep)) {
    if (!dir) continue;
    for (const e of exts) {
      const full = path.join(dir, name + e);
      if (isExecutable(full)) return full;
    }
  }
  return undefined;
}

function defaultIsExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command without a shell; ok when it exits 0 within `timeoutMs`. */
export function probe(command: string, args: string[], timeoutMs = 20000, env: NodeJS.ProcessEnv = process.env): Promise<ProbeResult> {
  return new Promise((resolve) => {
    try {
      execFile(command, args, { timeout: timeoutMs, env, windowsHide: true, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
        const out = shorten(`${stdout ?? ''}\n${stderr ?? ''}`, 600);
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean };
          const why = e.code === 'ENOENT' ? 'not found' : e.killed ? `timed out after ${timeoutMs} ms` : e.message;
          resolve({ ok: false, output: shorten(out ? `${why}: ${out}` : why, 600) });
        } else {
          resolve({ ok: true, output: out });
        }
      });
    } catch (e) {
      resolve({ ok: false, output: String(e) });
    }
  });
}
