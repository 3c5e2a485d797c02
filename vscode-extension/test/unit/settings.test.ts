import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DEFAULT_FILE_GLOBS } from '../../src/matching';
import { expandPath, initializationOptions, needsRestart, normalizeFiles, readSettings, RESTART_KEYS } from '../../src/settings';

const getter = (o: Record<string, unknown>) => (k: string) => o[k];

test('defaults when nothing is set', () => {
  const s = readSettings(getter({}));
  assert.deepEqual(s, { serverPath: '', python: '', files: [...DEFAULT_FILE_GLOBS], trace: 'off', catalog: '' });
  assert.deepEqual(initializationOptions(s), { files: [...DEFAULT_FILE_GLOBS] });
});

test('values are read, trimmed and expanded', () => {
  const s = readSettings(
    getter({ 'server.path': '  ~/venv/bin/plx-lsp ', python: '${workspaceFolder}/.venv/bin/python', files: ['*.yaml', ' ', 3, 'x/**'], 'trace.server': 'verbose', catalog: '${workspaceFolder}/plx-catalog.yaml' }),
    { home: '/home/me', workspaceFolder: '/ws' },
  );
  assert.equal(s.serverPath, path.join('/home/me', 'venv/bin/plx-lsp'));
  assert.equal(s.python, '/ws/.venv/bin/python');
  assert.deepEqual(s.files, ['*.yaml', 'x/**']);
  assert.equal(s.trace, 'verbose');
  assert.equal(s.catalog, '/ws/plx-catalog.yaml');
  assert.deepEqual(initializationOptions(s), { files: ['*.yaml', 'x/**'], catalog: '/ws/plx-catalog.yaml' });
});

test('invalid values fall back', () => {
  const s = readSettings(getter({ 'server.path': 42, python: null, files: 'not-an-array', 'trace.server': 'loud' }));
  assert.equal(s.serverPath, '');
  assert.equal(s.python, '');
  assert.deepEqual(s.files, [...DEFAULT_FILE_GLOBS]);
  assert.equal(s.trace, 'off');
  assert.deepEqual(normalizeFiles([]), [...DEFAULT_FILE_GLOBS]);
  assert.deepEqual(normalizeFiles(['', '  ']), [...DEFAULT_FILE_GLOBS]);
});

test('expandPath', () => {
  const ctx = { home: '/h', workspaceFolder: '/w', env: { VENV: '/v' } };
  assert.equal(expandPath('~', ctx), '/h');
  assert.equal(expandPath('${userHome}/x', ctx), '/h/x');
  assert.equal(expandPath('${env:VENV}/bin/plx-lsp', ctx), '/v/bin/plx-lsp');
  assert.equal(expandPath('${env:NOPE}x', ctx), 'x');
  assert.equal(expandPath('/abs/~/p', ctx), '/abs/~/p');
  assert.equal(expandPath('${workspaceFolder}/p', { home: '/h' }), '${workspaceFolder}/p'); // no folder: left as is
  assert.equal(expandPath('   ', ctx), '');
});

test('needsRestart: server path, python, files; not trace', () => {
  const base = readSettings(getter({}));
  assert.equal(needsRestart(base, { ...base }), false);
  assert.equal(needsRestart(base, { ...base, trace: 'verbose' }), false);
  assert.equal(needsRestart(base, { ...base, serverPath: '/x/plx-lsp' }), true);
  assert.equal(needsRestart(base, { ...base, python: '/usr/bin/python3' }), true);
  assert.equal(needsRestart(base, { ...base, files: ['a.yaml'] }), true);
  assert.equal(needsRestart(base, { ...base, files: [...base.files].reverse() }), true);
  assert.deepEqual([...RESTART_KEYS].sort(), ['plx.files', 'plx.python', 'plx.server.path']);
});
