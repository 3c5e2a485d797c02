import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_FILE_GLOBS, isPolyaxonContent, isPolyaxonFile, matchesFileGlobs, toPosixPath } from '../../src/matching';

const G = DEFAULT_FILE_GLOBS;

test('default globs: polyaxonfiles by name', () => {
  for (const p of [
    '/ws/polyaxonfile.yaml',
    '/ws/polyaxonfile.yml',
    '/ws/sub/dir/polyaxonfile-train.yaml',
    '/ws/polyaxonfile_dev.yml',
    '/ws/train.plx.yaml',
    '/ws/a/b/train.plx.yml',
    '/ws/polyaxon/job.yaml',
    '/ws/polyaxon/deep/nested/job.yml',
    '/ws/.polyaxon/config.yaml',
    '/ws/x/.polyaxon/y/z.yml',
    '/polyaxonfile.yaml',
    'C:\\Users\\me\\proj\\polyaxonfile.yaml',
    'C:\\Users\\me\\proj\\polyaxon\\exp.yml',
  ]) {
    assert.equal(matchesFileGlobs(p, G), true, p);
  }
});

test('default globs: other YAML files are not matched by name', () => {
  for (const p of [
    '/ws/other.yaml',
    '/ws/docker-compose.yml',
    '/ws/polyaxonfile.json',
    '/ws/polyaxonfile.yaml.bak',
    '/ws/my-polyaxonfile.yaml',
    '/ws/plx.yaml',
    '/ws/polyaxon.yaml',
    '/ws/polyaxonish/job.yaml',
    '/ws/.polyaxonrc/job.yaml',
    '/ws/polyaxon/job.json',
    '',
  ]) {
    assert.equal(matchesFileGlobs(p, G), false, p);
  }
});

test('custom globs: relative to a workspace folder, basename-only globs, empty list', () => {
  assert.equal(matchesFileGlobs('/ws/configs/a.yaml', ['configs/*.yaml'], ['/ws']), true);
  assert.equal(matchesFileGlobs('/ws/other/configs/a.yaml', ['configs/*.yaml'], ['/ws']), false);
  assert.equal(matchesFileGlobs('/elsewhere/configs/a.yaml', ['configs/*.yaml'], ['/ws']), false);
  assert.equal(matchesFileGlobs('/ws/deep/x.job.yaml', ['*.job.yaml'], ['/ws']), true);
  assert.equal(matchesFileGlobs('/ws/polyaxonfile.yaml', [], ['/ws']), false);
  assert.equal(matchesFileGlobs('C:\\ws\\Configs\\A.yaml', ['configs/*.yaml'], ['c:\\ws']), true);
  assert.equal(toPosixPath('C:\\a\\b\\'), 'C:/a/b');
});

test('content: top-level kind component / operation', () => {
  assert.equal(isPolyaxonContent('version: 1.1\nkind: component\nrun:\n  kind: job\n'), true);
  assert.equal(isPolyaxonContent('kind: operation\nhubRef: foo\n'), true);
  assert.equal(isPolyaxonContent('kind: "component"  # comment\n'), true);
  assert.equal(isPolyaxonContent("kind: 'operation'\r\nname: x\r\n"), true);
  assert.equal(isPolyaxonContent('"kind": component\n'), true);
  assert.equal(isPolyaxonContent('---\nfoo: 1\n---\nkind: component\n'), true);
  assert.equal(isPolyaxonContent('{"version": 1.1, "kind": "component", "run": {"kind": "job"}}'), true);
  assert.equal(isPolyaxonContent('# c\n{"kind": "operation"}'), true);
});

test('content: top-level run mapping with kind', () => {
  assert.equal(isPolyaxonContent('name: x\nrun:\n  kind: job\n  container: {image: a}\n'), true);
  assert.equal(isPolyaxonContent('run:\n  # a comment\n\n  init: []\n  kind: service\n'), true);
  assert.equal(isPolyaxonContent('run: {kind: job, init: []}\n'), true);
  assert.equal(isPolyaxonContent('run: {"kind": job}\n'), true);
  assert.equal(isPolyaxonContent('run:   # the run\n    kind: job\n'), true);
});

test('content: not polyaxon', () => {
  for (const t of [
    '',
    'service: demo\ninit:\n  - artifacts: {dirs: [data]}\n    git: {url: https://github.com/o/r}\n',
    'kind: Deployment\napiVersion: apps/v1\n',
    'kind: componentx\n',
    'metadata:\n  kind: component\n',                 // not top-level
    '  kind: component\n',                             // indented
    '# kind: component\n',                             // comment
    'run:\n  container:\n    kind: job\n',             // kind nested deeper than run's own keys
    'run: {container: {kind: job}}\n',                 // same, flow style
    'run: job\nkind: x\n',                             // run is a scalar
    'run:\nkind: Pod\n',                               // empty run
    'items:\n  - run:\n      kind: job\n',            // run not top-level
    'text: |\n  kind: component\n',                   // inside a block scalar
    'a: {"kind": "component"}\n',                    // JSON-style kind, but not the document itself
  ]) {
    assert.equal(isPolyaxonContent(t), false, JSON.stringify(t));
  }
});

test('isPolyaxonFile combines name and content', () => {
  assert.equal(isPolyaxonFile('/ws/polyaxonfile.yaml', 'a: 1', G), true);
  assert.equal(isPolyaxonFile('/ws/other.yaml', 'kind: component\n', G), true);
  assert.equal(isPolyaxonFile(undefined, 'kind: operation\n', G), true);
  assert.equal(isPolyaxonFile('/ws/other.yaml', 'service: demo\n', G), false);
  assert.equal(isPolyaxonFile(undefined, 'a: 1', G), false);
});
