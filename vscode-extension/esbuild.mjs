// Bundles the extension (one CommonJS file, `vscode` external) and, with --tests, the unit tests.
//   node esbuild.mjs               -> dist/extension.js (with source map)
//   node esbuild.mjs --production  -> dist/extension.js (minified, no source map; used by `vsce package`)
//   node esbuild.mjs --watch       -> rebuild on change
//   node esbuild.mjs --tests       -> out-test/*.test.js (pure modules + node:test files, no `vscode`)
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

if (args.has('--tests')) {
  rmSync('out-test', { recursive: true, force: true });
  const entryPoints = readdirSync('test/unit').filter((f) => f.endsWith('.test.ts')).map((f) => `test/unit/${f}`);
  await esbuild.build({
    entryPoints,
    outdir: 'out-test',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    // The unit tests must never reach the `vscode` module: leaving it unresolved makes the build fail if they do.
    logLevel: 'warning',
  });
} else {
  const options = {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
  };
  if (args.has('--watch')) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    console.log('watching…');
  } else {
    rmSync('dist', { recursive: true, force: true });
    await esbuild.build(options);
  }
}
