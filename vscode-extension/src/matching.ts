// Which YAML documents are polyaxonfiles. Pure: no `vscode` import (unit tested with node:test).
//
// A document is a polyaxonfile when its path matches one of the `plx.files` globs, or when its
// content says so (see isPolyaxonContent). The language server applies the same rules.
import { minimatch } from 'minimatch';

export const DEFAULT_FILE_GLOBS: readonly string[] = Object.freeze([
  '**/polyaxonfile*.{yaml,yml}',
  '**/*.plx.{yaml,yml}',
  '**/polyaxon/**/*.{yaml,yml}',
  '**/.polyaxon/**/*.{yaml,yml}',
]);

/** Forward slashes, no trailing slash; `C:\a\b` -> `C:/a/b`. */
export function toPosixPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/+$/, '');
}

/**
 * Does `filePath` (absolute, any separator) match one of `globs`?
 * Each glob is tried against the absolute path and against the path relative to each of
 * `workspaceRoots` that contains it, so both `**\/x.yaml` and `configs/*.yaml` work.
 */
export function matchesFileGlobs(filePath: string, globs: readonly string[], workspaceRoots: readonly string[] = []): boolean {
  if (!filePath || globs.length === 0) return false;
  const abs = toPosixPath(filePath);
  const candidates = [abs];
  if (abs.startsWith('/')) candidates.push(abs.slice(1));
  for (const rootRaw of workspaceRoots) {
    const root = toPosixPath(rootRaw);
    if (root && abs.toLowerCase().startsWith(root.toLowerCase() + '/')) candidates.push(abs.slice(root.length + 1));
  }
  const windows = /^[a-zA-Z]:\//.test(abs);
  for (const glob of globs) {
    const g = toPosixPath(glob.trim());
    if (!g) continue;
    for (const c of candidates) {
      if (minimatch(c, g, { dot: true, nocase: windows, matchBase: !g.includes('/') })) return true;
    }
  }
  return false;
}

// Content detection: the same rule, word lists and scanner as server/plxinit/detect.py (tests/test_detect.py
// checks that the lists are equal; both test suites read tests/not-polyaxonfiles/). Per YAML document:
// a top-level `kind: component|operation|compiled_operation`; or, with no top-level `kind`, only polyaxonfile
// sections at the top level and either a `run` mapping whose `kind` is a run kind or a key only Polyaxon uses.

/** Only the head of a huge file is looked at, counted in code points as detect.py does. */
export const CONTENT_LIMIT = 200_000;

const FILE_KINDS = new Set(['component', 'operation', 'compiled_operation']);

const RUN_KINDS = new Set([
  'job', 'service', 'dag', 'tfjob', 'pytorchjob', 'mpijob', 'daskcluster', 'raycluster',
  'notifier', 'cleaner', 'tuner', 'xgbjob', 'paddlejob', 'mxjob', 'daskjob', 'rayjob',
]);

const SECTIONS = new Set([
  'version', 'kind', 'name', 'description', 'tags', 'presets', 'queue', 'namespace', 'cache',
  'termination', 'plugins', 'build', 'hooks', 'isApproved', 'cost', 'mount', 'template',
  'schedule', 'events', 'matrix', 'joins', 'dependencies', 'trigger', 'conditions',
  'skipOnUpstreamSkip', 'params', 'strictParams', 'hubRef', 'dagRef', 'urlRef', 'pathRef',
  'component', 'patchStrategy', 'isPreset', 'runPatch', 'inputs', 'outputs', 'run', 'init',
  'container', 'cmd', 'env', 'resources', 'ports', 'environment', 'connections', 'sidecars',
  'volumes', 'is_approved', 'skip_on_upstream_skip', 'strict_params', 'hub_ref', 'dag_ref',
  'url_ref', 'path_ref', 'patch_strategy', 'is_preset', 'run_patch',
]);

const POLYAXON_ONLY_KEYS = new Set([
  'runPatch', 'run_patch', 'isPreset', 'is_preset', 'hubRef', 'hub_ref', 'dagRef', 'dag_ref',
  'urlRef', 'url_ref', 'pathRef', 'path_ref', 'patchStrategy', 'patch_strategy',
]);

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

const TOP_KEY = /^([A-Za-z_][A-Za-z0-9_.-]*|"[^"]*"|'[^']*')[ \t]*:(?![^ \t])([\s\S]*)/;
// Flow-style tokens (same alternatives as detect.py's _FLOW_TOKEN; none overlap, so the scan is linear).
const FLOW_TOKEN_SOURCE =
  String.raw`[ \t\r\n]+|#[^\n]*|"(?:[^"\\]|\\[\s\S])*"?|'(?:[^']|'')*'?|[{}\[\],]|:(?![^ \t\r\n{}\[\],])` +
  String.raw`|[^ \t\r\n{}\[\],:"'#][^ \t\r\n{}\[\],:]*(?::[^ \t\r\n{}\[\],:]+)*|[\s\S]`;
const TOP_LINE = /\n[^ \t\r\n#%]/g;
const FIRST_CONTENT = /\n([ \t]*)([^ \t\r\n#])/g;

interface Entry {
  key: string;
  scalar: string | null;
  mapping: Entry[] | null;
}

class FlowMapping {
  entries: Entry[] = [];
  key: string[] = [];
  value: string[] = [];
  afterColon = false;
  child: Entry[] | null = null;

  add(token: string): void {
    (this.afterColon ? this.value : this.key).push(token);
  }

  endEntry(): void {
    if (this.key.length || this.afterColon) {
      const scalar = this.child === null ? this.value.join(' ') : null;
      this.entries.push({ key: this.key.join(' '), scalar, mapping: this.child });
    }
    this.key = [];
    this.value = [];
    this.afterColon = false;
    this.child = null;
  }
}

function unquote(token: string): string {
  if (token.length >= 2 && token[0] === '"' && token[token.length - 1] === '"') return token.slice(1, -1);
  if (token.length >= 2 && token[0] === "'" && token[token.length - 1] === "'") return token.slice(1, -1).replace(/''/g, "'");
  return token;
}

function isValueIndicator(text: string, after: number): boolean {
  return after >= text.length || ' \t\r\n{}[],'.includes(text[after]);
}

/** Read the flow collection opening at text[start]: [offset just after it, its entries (null: a sequence)]. */
function scanFlow(text: string, start: number): [number, Entry[] | null] {
  const tokens = new RegExp(FLOW_TOKEN_SOURCE, 'g');
  tokens.lastIndex = start;
  let outer: FlowMapping | null = null;
  let inner: FlowMapping | null = null;
  let depth = 0;
  let keyLike = false;
  for (let m = tokens.exec(text); m !== null; m = tokens.exec(text)) {
    const token = m[0];
    const first = token[0];
    const end = m.index + token.length;
    if (' \t\r\n#'.includes(first)) continue;
    if (first === '{' || first === '[') {
      depth++;
      if (depth === 1) {
        outer = first === '{' ? new FlowMapping() : null;
      } else if (depth === 2 && outer !== null) {
        if (first === '{' && outer.afterColon && outer.value.length === 0 && outer.child === null) {
          inner = new FlowMapping();
          outer.child = inner.entries;
        } else {
          outer.add(first);
        }
      }
      keyLike = false;
    } else if (first === '}' || first === ']') {
      if (depth === 2 && inner !== null) {
        inner.endEntry();
        inner = null;
      }
      depth--;
      if (depth === 0) {
        if (outer !== null) outer.endEntry();
        return [end, outer !== null ? outer.entries : null];
      }
      keyLike = true;
    } else {
      const frame = depth === 1 ? outer : depth === 2 ? inner : null;
      if (first === ',') {
        if (frame !== null) frame.endEntry();
        keyLike = false;
      } else if (token === ':' && (keyLike || isValueIndicator(text, end))) {
        if (frame !== null) {
          if (frame.afterColon) frame.add(token);
          else frame.afterColon = true;
        }
        keyLike = false;
      } else {
        if (frame !== null) frame.add(unquote(token));
        keyLike = first === '"' || first === "'";
      }
    }
  }
  if (inner !== null) inner.endEntry();
  if (outer !== null) outer.endEntry();
  return [text.length, outer !== null ? outer.entries : null];
}

/** The value on a `key: value` line: unquoted, without a trailing comment. */
function blockScalar(rest: string): string {
  if (rest[0] === "'" || rest[0] === '"') {
    const m = new RegExp(FLOW_TOKEN_SOURCE, 'y').exec(rest);
    return m ? unquote(m[0]) : rest;
  }
  return rest.replace(/(?:^|[ \t])#[\s\S]*/, '').replace(/^[ \t]+|[ \t]+$/g, '');
}

/** Where the value after line[:at] starts: past blanks, anchors and tags. */
function valueStart(line: string, at: number): number {
  const blank = (i: number) => line[i] === ' ' || line[i] === '\t';
  while (at < line.length && blank(at)) at++;
  while (at < line.length && (line[at] === '&' || line[at] === '!')) {
    while (at < line.length && !blank(at)) at++;
    while (at < line.length && blank(at)) at++;
  }
  return at;
}

function nextLine(text: string, pos: number): number {
  const newline = text.indexOf('\n', pos);
  return newline < 0 ? text.length : newline + 1;
}

/** The start of the first line at or after the line start `pos` that begins with a key character. */
function topLine(text: string, pos: number): number {
  if (pos === 0 && text.length > 0 && !' \t\r\n#%'.includes(text[0])) return 0;
  TOP_LINE.lastIndex = Math.max(pos - 1, 0);
  const m = TOP_LINE.exec(text);
  return m ? m.index + 1 : text.length;
}

const childKindPatterns = new Map<number, RegExp>();

function childKind(indent: number): RegExp {
  let pattern = childKindPatterns.get(indent);
  if (!pattern) {
    pattern = new RegExp(String.raw`\n[ \t]{${indent}}(?:kind|"kind"|'kind')[ \t]*:(?![^ \t\r\n])([^\n]*)`, 'g');
    childKindPatterns.set(indent, pattern);
  }
  return pattern;
}

/** The `kind` entries of the block mapping on the lines from `pos` (null: not a mapping). */
function blockRunKind(text: string, pos: number): Entry[] | null {
  FIRST_CONTENT.lastIndex = Math.max(pos - 1, 0);
  const first = FIRST_CONTENT.exec(text);
  if (first === null || !first[1]) return null;
  const after = first.index + first[0].length;
  if (first[2] === '-' && (after >= text.length || ' \t\r\n'.includes(text[after]))) return null;
  const end = topLine(text, first.index + 1);
  const found: Entry[] = [];
  const pattern = childKind(first[1].length);
  pattern.lastIndex = first.index;
  for (let m = pattern.exec(text); m !== null && m.index < end; m = pattern.exec(text)) {
    if (m.index + m[0].length > end) break;
    const rest = m[1].replace(/\r$/, '').replace(/^[ \t]+/, '');
    found.push({ key: 'kind', scalar: blockScalar(rest), mapping: null });
  }
  return found;
}

/** The top-level entries of each document of the stream. */
function documents(text: string): Entry[][] {
  const docs: Entry[][] = [[]];
  let pos = topLine(text, 0);
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).replace(/\r$/, '');
    const lineStart = pos;
    pos = end < text.length ? topLine(text, end + 1) : text.length;
    const entries = docs[docs.length - 1];
    if ((line.startsWith('---') || line.startsWith('...')) && (line.length === 3 || line[3] === ' ' || line[3] === '\t')) {
      docs.push([]);
      const at = valueStart(line, 3);
      if (line.startsWith('---') && line[at] === '{') {
        const [flowEnd, root] = scanFlow(text, lineStart + at);
        docs[docs.length - 1].push(...(root ?? []));
        pos = topLine(text, nextLine(text, flowEnd));
      }
      continue;
    }
    if (line[0] === '{' || line[0] === '[') {
      const [flowEnd, root] = scanFlow(text, lineStart);
      if (entries.length === 0) entries.push(...(root ?? []));
      pos = topLine(text, nextLine(text, flowEnd));
      continue;
    }
    const m = TOP_KEY.exec(line);
    if (!m) continue;
    const key = unquote(m[1]);
    const at = valueStart(line, m[0].length - m[2].length);
    const value = line.slice(at);
    if (value[0] === '{' || value[0] === '[') {
      const [flowEnd, mapping] = scanFlow(text, lineStart + at);
      entries.push({ key, scalar: value[0] === '{' ? null : '[', mapping });
      pos = topLine(text, nextLine(text, flowEnd));
      continue;
    }
    const scalar = blockScalar(value);
    if (key === 'run' && !scalar) {
      entries.push({ key, scalar: null, mapping: blockRunKind(text, end < text.length ? end + 1 : end) });
    } else {
      entries.push({ key, scalar, mapping: null });
    }
  }
  return docs;
}

function last(entries: readonly Entry[], key: string): Entry | null {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].key === key) return entries[i];
  return null;
}

function isPolyaxonDocument(entries: Entry[]): boolean {
  const kind = last(entries, 'kind');
  if (kind !== null && kind.mapping === null && kind.scalar !== null && FILE_KINDS.has(kind.scalar)) return true;
  if (kind !== null && (kind.mapping !== null || !NULLS.has(kind.scalar ?? ''))) return false;
  const keys = new Set(entries.map((e) => e.key));
  if (keys.size === 0) return false;
  for (const key of keys) if (!SECTIONS.has(key)) return false;
  for (const key of keys) if (POLYAXON_ONLY_KEYS.has(key)) return true;
  const run = last(entries, 'run');
  const runKind = run !== null && run.mapping !== null ? last(run.mapping, 'kind') : null;
  return runKind !== null && runKind.scalar !== null && RUN_KINDS.has(runKind.scalar);
}

/** The first `limit` code points of `text` (a surrogate pair counts once, as in Python). */
function headOf(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let i = 0;
  for (let n = 0; n < limit && i < text.length; n++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += pair ? 2 : 1;
  }
  return text.slice(0, i);
}

/** Content detection on the raw text (no YAML parser: tolerant of documents being edited; linear time). */
export function isPolyaxonContent(text: string): boolean {
  if (!text) return false;
  return documents(headOf(text, CONTENT_LIMIT)).some(isPolyaxonDocument);
}

/** Both rules together: name globs first (cheap), then content. */
export function isPolyaxonFile(
  filePath: string | undefined,
  text: string,
  globs: readonly string[],
  workspaceRoots: readonly string[] = [],
): boolean {
  if (filePath && matchesFileGlobs(filePath, globs, workspaceRoots)) return true;
  return isPolyaxonContent(text);
}
