// The extension manifest keeps the promises the README makes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_FILE_GLOBS } from '../../src/matching';

// out-test/<file>.js -> the extension folder
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));

test('engines.vscode is not newer than 1.100 (code-server 4.100.3)', () => {
  const m = /^[\^~>=]*\s*(\d+)\.(\d+)/.exec(pkg.engines.vscode);
  assert.ok(m, pkg.engines.vscode);
  assert.ok(Number(m[1]) === 1 && Number(m[2]) <= 100, pkg.engines.vscode);
});

test('activates on YAML, registers no schema with the YAML extension', () => {
  assert.deepEqual(pkg.activationEvents, ['onLanguage:yaml']);
  assert.equal(pkg.contributes.yamlValidation, undefined);
  assert.equal(pkg.contributes.jsonValidation, undefined);
  assert.equal(pkg.contributes.languages, undefined); // YAML stays VS Code's `yaml` language
});

test('settings and their defaults', () => {
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props).sort(), ['plx.catalog', 'plx.files', 'plx.python', 'plx.server.path', 'plx.trace.server']);
  assert.deepEqual(props['plx.files'].default, [...DEFAULT_FILE_GLOBS]);
  assert.equal(props['plx.server.path'].default, '');
  assert.equal(props['plx.python'].default, '');
  assert.equal(props['plx.catalog'].default, '');
  assert.deepEqual(props['plx.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['plx.server.path', 'plx.python']);
});

test('restart command', () => {
  const cmd = pkg.contributes.commands.find((c: { command: string }) => c.command === 'plx.restartServer');
  assert.ok(cmd);
  assert.equal(`${cmd.category}: ${cmd.title}`, 'Polyaxon: Restart Language Server');
});

test('bundled entry point and dependency versions', () => {
  assert.equal(pkg.main, './dist/extension.js');
  assert.match(pkg.dependencies['vscode-languageclient'], /^\^?9\./);
  assert.match(pkg.devDependencies['@vscode/vsce'], /^\^?3\./);
  for (const s of ['build', 'typecheck', 'test', 'package', 'e2e']) assert.ok(pkg.scripts[s], s);
});
