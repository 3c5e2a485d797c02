// The `plx.*` settings: reading, normalising, and deciding when a change needs a server restart.
// Pure: no `vscode` import. The extension passes a `get(key)` that reads `workspace.getConfiguration('plx')`.
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_FILE_GLOBS } from './matching';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface PlxSettings {
  /** `plx.server.path`: a `plx-lsp` executable, expanded; '' when unset. */
  serverPath: string;
  /** `plx.python`: an interpreter with the `plxinit` package, expanded; '' when unset. */
  python: string;
  /** `plx.files`: globs of polyaxonfiles; the defaults when unset, empty or invalid. */
  files: string[];
  /** `plx.trace.server`. */
  trace: TraceLevel;
  /** `plx.catalog`: a catalog of the deployment's connections, presets and queues, expanded; '' when unset. */
  catalog: string;
}

export type SettingGetter = (key: string) => unknown;

export interface ExpandContext {
  /** First workspace folder (for `${workspaceFolder}`); undefined without a folder. */
  workspaceFolder?: string;
  /** Home directory (for `~` and `${userHome}`); defaults to os.homedir(). */
  home?: string;
  /** Environment (for `${env:NAME}`); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Expands `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` in a path setting. */
export function expandPath(value: string, ctx: ExpandContext = {}): string {
  let v = value.trim();
  if (!v) return '';
  const home = ctx.home ?? os.homedir();
  const env = ctx.env ?? process.env;
  v = v.replace(/\$\{userHome\}/g, home);
  v = v.replace(/\$\{env:([^}]+)\}/g, (_m, name: string) => env[name] ?? '');
  if (ctx.workspaceFolder !== undefined) v = v.replace(/\$\{workspaceFolder\}/g, ctx.workspaceFolder);
  if (v === '~') v = home;
  else if (v.startsWith('~/') || v.startsWith('~\\')) v = path.join(home, v.slice(2));
  return v;
}

function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function normalizeFiles(v: unknown): string[] {
  if (!Array.isArray(v)) return [...DEFAULT_FILE_GLOBS];
  const globs = v.filter((g): g is string => typeof g === 'string').map((g) => g.trim()).filter((g) => g.length > 0);
  return globs.length > 0 ? globs : [...DEFAULT_FILE_GLOBS];
}

export function normalizeTrace(v: unknown): TraceLevel {
  return v === 'messages' || v === 'verbose' ? v : 'off';
}

export function readSettings(get: SettingGetter, ctx: ExpandContext = {}): PlxSettings {
  return {
    serverPath: expandPath(asString(get('server.path')), ctx),
    python: expandPath(asString(get('python')), ctx),
    files: normalizeFiles(get('files')),
    trace: normalizeTrace(get('trace.server')),
    catalog: expandPath(asString(get('catalog')), ctx),
  };
}

/** Settings whose change needs the server to be restarted (the trace level is applied live by the client). */
export const RESTART_KEYS: readonly string[] = ['plx.server.path', 'plx.python', 'plx.files'];

export function needsRestart(before: PlxSettings, after: PlxSettings): boolean {
  return (
    before.serverPath !== after.serverPath ||
    before.python !== after.python ||
    before.files.length !== after.files.length ||
    before.files.some((g, i) => g !== after.files[i])
  );
}

/** What the server gets as `initializationOptions`. */
export function initializationOptions(s: PlxSettings): { files: string[]; catalog?: string } {
  return s.catalog ? { files: [...s.files], catalog: s.catalog } : { files: [...s.files] };
}
