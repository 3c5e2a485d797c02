import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { failureMessage, probe, ProbeResult, Resolution, ResolveEnv, resolveServer, which } from '../../src/resolve';

/** A fake machine: `works` lists command lines (`cmd arg arg`) that exit 0; `path` maps names to full paths. */
function fakeEnv(opts: { works?: string[]; path?: Record<string, string>; pyExt?: string[] | Error }): ResolveEnv & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    probe: async (cmd: string, args: string[]): Promise<ProbeResult> => {
      const line = [cmd, ...args].join(' ');
      calls.push(line);
      return (opts.works ?? []).includes(line) ? { ok: true, output: '0.1.0' } : { ok: false, output: 'boom' };
    },
    which: (name: string) => opts.path?.[name],
    pythonExtensionInterpreter:
      opts.pyExt === undefined
        ? undefined
        : async () => {
            if (opts.pyExt instanceof Error) throw opts.pyExt;
            return opts.pyExt;
          },
    platform: 'linux',
  };
}

const none = { serverPath: '', python: '' };

function ok(r: Resolution) {
  assert.equal(r.ok, true, JSON.stringify(r));
  return (r as Extract<Resolution, { ok: true }>).server;
}

test('plx.server.path wins and is checked with --version', async () => {
  const env = fakeEnv({ works: ['/v/bin/plx-lsp --version', '/usr/bin/python3 -c import plxinit'], path: { python3: '/usr/bin/python3' } });
  const s = ok(await resolveServer({ serverPath: '/v/bin/plx-lsp', python: '/usr/bin/python3' }, env));
  assert.deepEqual(s, { command: '/v/bin/plx-lsp', args: [], source: 'plx.server.path' });
  assert.deepEqual(env.calls, ['/v/bin/plx-lsp --version']);
});

test('a broken plx.server.path is an error naming the setting, with no fallback', async () => {
  const env = fakeEnv({ works: ['/usr/bin/plx-lsp --version'], path: { 'plx-lsp': '/usr/bin/plx-lsp' } });
  const r = await resolveServer({ serverPath: '/nope/plx-lsp', python: '' }, env);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.failedSetting, 'plx.server.path');
  const msg = failureMessage(r as Extract<Resolution, { ok: false }>);
  assert.match(msg, /plx\.server\.path/);
  assert.match(msg, /pip install/);
  assert.deepEqual(env.calls, ['/nope/plx-lsp --version']);
});

test('plx.python runs `-m plxinit` after an import check', async () => {
  const env = fakeEnv({ works: ['/venv/bin/python -c import plxinit'] });
  const s = ok(await resolveServer({ serverPath: '', python: '/venv/bin/python' }, env));
  assert.deepEqual(s, { command: '/venv/bin/python', args: ['-m', 'plxinit'], source: 'plx.python' });
});

test('a plx.python without plxinit is an error naming the setting', async () => {
  const env = fakeEnv({ works: [], path: { 'plx-lsp': '/usr/bin/plx-lsp' } });
  const r = await resolveServer({ serverPath: '', python: '/usr/bin/python3' }, env);
  assert.equal(!r.ok && r.failedSetting, 'plx.python');
  assert.match(failureMessage(r as Extract<Resolution, { ok: false }>), /"plx\.python" cannot import plxinit/);
});

test('the Python extension interpreter comes next (with a conda-style prefix)', async () => {
  const env = fakeEnv({
    works: ['conda run -n e python -c import plxinit', '/usr/bin/plx-lsp --version'],
    path: { 'plx-lsp': '/usr/bin/plx-lsp' },
    pyExt: ['conda', 'run', '-n', 'e', 'python'],
  });
  const s = ok(await resolveServer(none, env));
  assert.deepEqual(s, { command: 'conda', args: ['run', '-n', 'e', 'python', '-m', 'plxinit'], source: 'python-extension' });
});

test('Python extension absent, failing, or without plxinit: falls through to plx-lsp on PATH', async () => {
  for (const pyExt of [undefined, new Error('api broke'), [] as string[], ['/venv/bin/python']]) {
    const env = fakeEnv({ works: ['/usr/local/bin/plx-lsp --version'], path: { 'plx-lsp': '/usr/local/bin/plx-lsp' }, pyExt });
    const r = await resolveServer(none, env);
    assert.deepEqual(ok(r), { command: '/usr/local/bin/plx-lsp', args: [], source: 'PATH plx-lsp' });
  }
});

test('then python3 -m plxinit from PATH, then python', async () => {
  let env = fakeEnv({ works: ['/usr/bin/python3 -c import plxinit'], path: { python3: '/usr/bin/python3' } });
  assert.deepEqual(ok(await resolveServer(none, env)), { command: '/usr/bin/python3', args: ['-m', 'plxinit'], source: 'PATH python' });
  // a plx-lsp on PATH that does not run is skipped
  env = fakeEnv({ works: ['/usr/bin/python -c import plxinit'], path: { 'plx-lsp': '/b/plx-lsp', python3: '/usr/bin/python3', python: '/usr/bin/python' } });
  assert.deepEqual(ok(await resolveServer(none, env)), { command: '/usr/bin/python', args: ['-m', 'plxinit'], source: 'PATH python' });
  assert.deepEqual(env.calls, ['/b/plx-lsp --version', '/usr/bin/python3 -c import plxinit', '/usr/bin/python -c import plxinit']);
});

test('nothing works: one message saying what to install and which setting to set', async () => {
  const env = fakeEnv({ path: { python3: '/usr/bin/python3' } });
  const r = await resolveServer(none, env);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.failedSetting, undefined);
  assert.ok(r.attempts.length >= 2);
  const msg = failureMessage(r as Extract<Resolution, { ok: false }>);
  assert.match(msg, /pip install/);
  assert.match(msg, /plx-lsp/);
  assert.match(msg, /"plx\.server\.path"/);
  assert.match(msg, /"plx\.python"/);
});

test('which() finds executables on PATH and ignores non-executables', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plx-which-'));
  try {
    const exe = path.join(dir, 'plx-lsp');
    fs.writeFileSync(exe, '#!/bin/sh\necho 1\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'notexec'), 'x', { mode: 0o644 });
    assert.equal(which('plx-lsp', { PATH: `/nonexistent:${dir}` }, 'linux'), exe);
    assert.equal(which('notexec', { PATH: dir }, 'linux'), undefined);
    assert.equal(which('missing', { PATH: dir }, 'linux'), undefined);
    assert.equal(which(exe, { PATH: '' }, 'linux'), exe);
    // Windows: PATHEXT, fake executable check
    const seen: string[] = [];
    const r = which('plx-lsp', { Path: 'C:\\a;C:\\b', PATHEXT: '.EXE;.CMD' }, 'win32', (p) => { seen.push(p); return p.endsWith('plx-lsp.CMD') && p.includes('b'); });
    assert.ok(r && r.endsWith('plx-lsp.CMD'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('probe() runs commands: exit 0, non-zero, missing, timeout', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plx-probe-'));
  try {
    const good = path.join(dir, 'good');
    fs.writeFileSync(good, '#!/bin/sh\necho "plx-lsp 0.1.0"\n', { mode: 0o755 });
    const bad = path.join(dir, 'bad');
    fs.writeFileSync(bad, '#!/bin/sh\necho "No module named plxinit" >&2\nexit 1\n', { mode: 0o755 });
    const slow = path.join(dir, 'slow');
    fs.writeFileSync(slow, '#!/bin/sh\nsleep 5\n', { mode: 0o755 });
    const g = await probe(good, ['--version']);
    assert.equal(g.ok, true);
    assert.match(g.output, /plx-lsp 0\.1\.0/);
    const b = await probe(bad, []);
    assert.equal(b.ok, false);
    assert.match(b.output, /No module named plxinit/);
    const m = await probe(path.join(dir, 'missing'), []);
    assert.equal(m.ok, false);
    assert.match(m.output, /not found/);
    const s = await probe(slow, [], 300);
    assert.equal(s.ok, false);
    assert.match(s.output, /timed out/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
