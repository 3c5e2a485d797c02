// Which YAML documents are polyaxonfiles. Pure: no `vscode` import (unit tested with node:test).
//
// A document is a polyaxonfile when its path matches one of the `plx.files` globs, or when its
// content says so: a top-level `kind: component` / `kind: operation`, or a top-level `run:` mapping
// that has a `kind:` key. The language server applies the same rules.
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

const TOP_LEVEL_KEY = /^([A-Za-z_][\w.-]*|"[^"]*"|'[^']*')\s*:(?=\s|$)(.*)$/;

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

/** The value of a `key: value` line without a trailing comment, unquoted. */
function scalarValue(rest: string): string {
  const v = rest.trim();
  const q = v[0];
  if (q === '"' || q === "'") {
    const end = v.indexOf(q, 1);
    return end > 0 ? v.slice(1, end) : v;
  }
  return v.replace(/(^|\s+)#.*$/, '').trim();
}

/** Does a flow mapping like `{kind: job, init: [...]}` have a top-level `kind` key? */
function flowMappingHasKind(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('{')) return false;
  let depth = 0;
  let quote = '';
  let tokenStart = true;
  for (let i = 0; i < t.length; i++) {
    const ch = t[i];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") {
      if (depth === 1 && tokenStart && /^["']kind["']\s*:/.test(t.slice(i))) return true;
      quote = ch;
      tokenStart = false;
      continue;
    }
    if (ch === '{' || ch === '[') { depth++; tokenStart = true; continue; }
    if (ch === '}' || ch === ']') { depth--; tokenStart = false; continue; }
    if (ch === ',') { tokenStart = true; continue; }
    if (/\s/.test(ch)) continue;
    if (depth === 1 && tokenStart && /^kind\s*:/.test(t.slice(i))) return true;
    tokenStart = false;
  }
  return false;
}

/**
 * Content detection on the raw text (no YAML parser; tolerant of documents being edited):
 * a top-level `kind: component|operation`, or a top-level `run:` block/flow mapping with a `kind:` key.
 * Every document of a multi-document stream is looked at.
 */
const JSON_KIND = /"kind"\s*:\s*"(component|operation)"/;

export function isPolyaxonContent(text: string): boolean {
  if (!text) return false;
  // a document written as one flow mapping (JSON style): `{"kind": "component", ...}`
  if (/^\s*(#[^\n]*\n\s*)*\{/.test(text) && JSON_KIND.test(text)) return true;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = TOP_LEVEL_KEY.exec(line);
    if (!m) continue;
    const key = unquote(m[1]);
    const rest = m[2];
    if (key === 'kind') {
      const v = scalarValue(rest);
      if (v === 'component' || v === 'operation') return true;
    } else if (key === 'run') {
      const inline = rest.replace(/\s+#.*$/, '').trim();
      if (inline) {
        if (flowMappingHasKind(inline)) return true;
        continue;
      }
      // block mapping: the following more-indented lines, up to the next top-level line
      let indent = -1;
      for (let j = i + 1; j < lines.length; j++) {
        const l = lines[j];
        if (/^\s*(#.*)?$/.test(l)) continue;            // blank or comment
        const ind = l.length - l.trimStart().length;
        if (ind === 0) break;                          // next top-level key / document marker
        if (indent < 0) indent = ind;                  // the mapping's own indentation
        if (ind !== indent) continue;                  // deeper lines belong to nested values
        if (/^\s*("kind"|'kind'|kind)\s*:(\s|$)/.test(l)) return true;
      }
    }
  }
  return false;
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
