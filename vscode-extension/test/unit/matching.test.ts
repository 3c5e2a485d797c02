import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

// The corpus shared with tests/test_detect.py: both implementations must give the same answers.
const REPO = path.resolve(__dirname, '..', '..');
const CORPUS = path.join(REPO, 'tests', 'not-polyaxonfiles');
const FIXTURES = path.join(REPO, 'tests', 'fixtures');
interface Expectations {
  cases: { text: string; polyaxonfile: boolean; why: string }[];
  fixturesNotDetected: Record<string, string>;
}
const EXPECTATIONS: Expectations = JSON.parse(fs.readFileSync(path.join(CORPUS, 'detection-cases.json'), 'utf-8'));
const DATA_FILE = /\.(ya?ml|json)$/;

test('shared corpus: inline cases', () => {
  for (const c of EXPECTATIONS.cases) assert.equal(isPolyaxonContent(c.text), c.polyaxonfile, c.why);
});

test('shared corpus: other YAML files are not polyaxonfiles', () => {
  const files = fs.readdirSync(CORPUS).filter((f) => DATA_FILE.test(f) && f !== 'detection-cases.json');
  assert.ok(files.length >= 20, `only ${files.length} files`);
  for (const f of files) {
    const full = path.join(CORPUS, f);
    assert.equal(isPolyaxonFile(full, fs.readFileSync(full, 'utf-8'), G), false, f);
  }
});

test('shared corpus: fixtures are polyaxonfiles unless listed', () => {
  let count = 0;
  for (const kind of ['positive', 'negative']) {
    for (const f of fs.readdirSync(path.join(FIXTURES, kind)).filter((n) => n.endsWith('.yaml'))) {
      const expected = !(`${kind}/${f}` in EXPECTATIONS.fixturesNotDetected);
      assert.equal(isPolyaxonContent(fs.readFileSync(path.join(FIXTURES, kind, f), 'utf-8')), expected, `${kind}/${f}`);
      count++;
    }
  }
  assert.ok(count > 100, `only ${count} fixtures`);
});

test('real-world polyaxonfiles are detected (skipped when the external corpus is absent)', (t) => {
  const corpus = path.join(process.env.PLX_SHARED_DIR ?? path.join(REPO, '..', 'shared'), 'corpus', 'realworld');
  const files = fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f)) : [];
  if (files.length === 0) {
    t.skip(`the real-world corpus is external data and is absent here (${corpus})`);
    return;
  }
  const missed = files.filter((f) => !isPolyaxonContent(fs.readFileSync(path.join(corpus, f), 'utf-8')));
  assert.deepEqual(missed, []);
});

test('content: a run line 100,000 levels deep is read in one pass', () => {
  assert.equal(isPolyaxonContent('run: ' + '{'.repeat(100_000) + '}'.repeat(99_990)), false);
  assert.equal(isPolyaxonContent('run: {kind: job, a: ' + '[{'.repeat(60_000)), true);
});

test('content: only the first 200,000 code points are read (astral characters count once)', () => {
  const filler = '# ' + '😀'.repeat(199_990) + '\n';
  assert.equal(isPolyaxonContent(filler + 'kind: component\n'), false);
  assert.equal(isPolyaxonContent('# ' + '😀'.repeat(10) + '\nkind: component\n'), true);
});
