// Drives a running code-server (real VS Code 1.100 workbench) with Debian's headless chromium via
// playwright-core, and checks what a user of the plx-init extension sees. Started by run.sh.
// Env: CS_URL, WS_FOLDER, SHOT_DIR, CHROME_TMP, CHROMIUM, PLX_E2E_TIMEOUT (ms per UI condition),
//      PLX_LSP (the working server path, put back through the Settings UI after breaking it)
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const CS_URL = process.env.CS_URL;
const WS = process.env.WS_FOLDER;
const SHOT_DIR = process.env.SHOT_DIR || '/tmp';
const PLX_LSP = process.env.PLX_LSP || '';
const TIMEOUT = Number(process.env.PLX_E2E_TIMEOUT || 30000);
const ONE_HANDLER = 'Only one built-in handler per init entry:';
// the settings editor counts the extension's settings in its table of contents
const SETTINGS = Object.keys(require('../../package.json').contributes.configuration.properties).length;
const HANDLERS = ['artifacts', 'paths', 'git', 'dockerfile', 'file', 'tensorboard', 'lineageRef', 'modelRef', 'artifactRef',
  'connection', 'path', 'container'];
const FIX_TITLE = 'Split into separate init entries';

const t0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const norm = (s) => (s || '').replace(/\u00a0/g, ' ').replace(/\s+$/, '');

async function main() {
  const udd = fs.mkdtempSync(path.join(process.env.CHROME_TMP || '/tmp', 'chrome-udd-'));
  const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(udd, 'xdg-config'), XDG_CACHE_HOME: path.join(udd, 'xdg-cache') },
    viewport: { width: 1280, height: 800 },
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.setDefaultTimeout(TIMEOUT);
  let ok = false;
  let stage = 'start';
  const shot = async (name) => {
    const file = path.join(SHOT_DIR, name);
    await page.screenshot({ path: file });
    log(`screenshot ${file}`);
  };

  // ---- helpers ------------------------------------------------------------------------------
  const editor = () => page.locator('.editor-group-container.active .monaco-editor').first();
  const focusEditor = async () => {
    await editor().locator('.view-lines').click({ position: { x: 5, y: 5 } });
  };
  const openFile = async (name) => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
    await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor();
    await editor().locator('.view-lines').waitFor();
  };
  /** Puts the cursor at 1-based line:column with "Go to Line" (Ctrl+G). */
  const gotoPos = async (line, col) => {
    await focusEditor();
    await page.keyboard.press('Control+g');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${col}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await page.waitForFunction(([l, c]) => {
      const el = document.querySelector('.statusbar-item[id="status.editor.selection"]');
      return !!el && el.textContent.includes(`Ln ${l}, Col ${c}`);
    }, [line, col]);
  };
  const cursorCol = async () => {
    const t = await page.locator('.statusbar-item[id="status.editor.selection"]').innerText();
    const m = /Col (\d+)/.exec(t);
    return m ? Number(m[1]) : -1;
  };
  /** Opens a new line below `line` and removes the auto-indentation, leaving the cursor at column 1. */
  const newLineBelow = async (line) => {
    await gotoEnd(line);
    await page.keyboard.press('Enter');
    await page.waitForFunction((l) => {
      const el = document.querySelector('.statusbar-item[id="status.editor.selection"]');
      return !!el && el.textContent.includes(`Ln ${l},`);
    }, line + 1);
    for (let i = 0; i < 40; i++) {
      const col = await cursorCol();
      if (col === 1) return;
      await page.keyboard.press('Backspace');
      await page.waitForFunction(([l, c]) => {
        const el = document.querySelector('.statusbar-item[id="status.editor.selection"]');
        return !!el && !el.textContent.includes(`Ln ${l}, Col ${c}`);
      }, [line + 1, col]);
    }
    throw new Error('could not clear the indentation of the new line');
  };
  /** Sets `plx.server.path` through the Settings editor, as a user would. */
  const setServerPath = async (value) => {
    await focusEditor();
    await page.keyboard.press('Control+,');
    const search = page.locator('.settings-editor .settings-header .suggest-input-container');
    await search.waitFor();
    await search.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('plx.server.path');
    const input = page.locator('.settings-editor .setting-item-contents', { hasText: 'Path to a' }).locator('input').first();
    await input.waitFor();
    await input.fill(value);
    await input.press('Tab');
  };
  /** Puts the cursor at the end of a 1-based line. */
  const gotoEnd = async (line) => {
    await gotoPos(line, 1);
    await page.keyboard.press('End');
  };
  const editorLines = async () =>
    (await editor().locator('.view-lines .view-line').evaluateAll((els) =>
      els.map((e) => ({ top: parseFloat(e.style.top) || 0, text: e.textContent })))).sort((a, b) => a.top - b.top).map((l) => norm(l.text));
  const waitEditorText = (pred, what) =>
    page.waitForFunction((src) => {
      const ed = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!ed) return false;
      const lines = [...ed.querySelectorAll('.view-lines .view-line')]
        .sort((a, b) => (parseFloat(a.style.top) || 0) - (parseFloat(b.style.top) || 0))
        .map((e) => e.textContent.replace(/\u00a0/g, ' ').replace(/\s+$/, ''));
      // eslint-disable-next-line no-new-func
      return new Function('lines', `return (${src})(lines)`)(lines);
    }, pred.toString()).catch((e) => { throw new Error(`editor text: ${what}: ${e.message}`); });
  const problems = () => page.locator('.markers-panel .monaco-list-row');
  const openProblems = async () => {
    if (!(await page.locator('.markers-panel').isVisible())) {
      await page.keyboard.press('Control+Shift+M');
    }
    await page.locator('.markers-panel').waitFor({ state: 'visible' });
  };
  const problemRows = async () => (await problems().allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

  try {
    // ---- workbench ------------------------------------------------------------------------------
    stage = 'workbench';
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WS)}`);
    await page.locator('.monaco-workbench .explorer-folders-view').waitFor();
    log('workbench ready');

    // ---- 1. diagnostic in the Problems panel -------------------------------------------------------
    stage = 'diagnostic';
    await openFile('polyaxonfile.yaml');
    log('polyaxonfile.yaml open');
    await editor().locator('.squiggly-error').first().waitFor();
    log('error squiggle shown');
    await openProblems();
    const row = problems().filter({ hasText: ONE_HANDLER });
    await row.first().waitFor();
    const rowText = (await row.first().innerText()).replace(/\s+/g, ' ');
    log(`Problems: ${rowText}`);
    if (!/\bplx\b/.test(rowText)) throw new Error(`diagnostic source is not "plx": ${rowText}`);
    if (!/Ln 8, Col 7/.test(rowText)) throw new Error(`diagnostic not on the second handler key (git, Ln 8 Col 7): ${rowText}`);
    if ((await row.count()) !== 1) throw new Error(`expected exactly one one-handler diagnostic, got ${await row.count()}: ${JSON.stringify(await problemRows())}`);

    // ---- 2. hover on `git` -------------------------------------------------------------------------
    stage = 'hover';
    await gotoPos(8, 8);
    await page.keyboard.press('Control+k');
    await page.keyboard.press('Control+i');
    const hoverMd = page.locator('.monaco-hover .rendered-markdown').filter({ has: page.locator('strong', { hasText: /^git$/ }) });
    await hoverMd.first().waitFor();
    const hoverHtml = await hoverMd.first().innerHTML();
    const hoverText = (await hoverMd.first().innerText()).trim();
    if (!/^<p><strong>git<\/strong>/.test(hoverHtml.trim()) && !hoverText.startsWith('git')) {
      throw new Error(`hover does not start with **git**: ${hoverText}`);
    }
    log(`hover: ${hoverText.replace(/\s+/g, ' ').slice(0, 120)}`);
    await shot('plx-diagnostic-hover.png');
    await page.keyboard.press('Escape');
    await page.locator('.monaco-hover .rendered-markdown strong', { hasText: /^git$/ }).first().waitFor({ state: 'hidden' });

    // ---- 3. quick fix ------------------------------------------------------------------------------
    stage = 'quick fix';
    await gotoPos(8, 8);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: FIX_TITLE });
    await fix.first().waitFor();
    log('quick fix offered');
    await shot('plx-quickfix.png');
    // the menu's first entry is focused; move down to ours if something else comes first
    for (let i = 0; i < 10; i++) {
      const focused = page.locator('.action-widget .monaco-list-row.focused');
      if ((await focused.count()) > 0 && (await focused.first().innerText()).includes(FIX_TITLE)) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await waitEditorText((lines) =>
      lines.filter((l) => /^ {4}- artifacts: \{dirs: \[data\]\}$/.test(l)).length === 1 &&
      lines.filter((l) => /^ {4}- git: \{url: https:\/\/github\.com\/o\/r\}$/.test(l)).length === 1, 'two init entries');
    log(`after fix: ${JSON.stringify((await editorLines()).slice(5, 8))}`);
    await openProblems();
    await page.waitForFunction((msg) =>
      ![...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => r.textContent.includes(msg)), ONE_HANDLER);
    log('one-handler error gone from Problems');

    // ---- 4. completion on an empty init entry ---------------------------------------------------------
    stage = 'completion';
    await newLineBelow(8);                                 // below the `- git: …` entry
    await page.keyboard.type('    - ');
    await page.keyboard.press('Escape');                   // close anything a trigger character opened
    await page.keyboard.press('Control+Space');
    const widget = page.locator('.editor-widget.suggest-widget.visible');
    await widget.locator('.monaco-list-row', { hasText: 'artifacts' }).first().waitFor();
    const labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
    const rowsAria = await widget.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || ''));
    const seen = new Set(labels.map((l) => l.trim()));
    const missing = HANDLERS.filter((h) => !seen.has(h) && !rowsAria.some((a) => a.split(',')[0].trim() === h));
    log(`completion items: ${[...seen].join(', ')}`);
    if (missing.length) throw new Error(`completion lacks: ${missing.join(', ')}`);
    await shot('plx-completion.png');
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+z');                // back to the fixed file
    await page.keyboard.press('Control+z');

    // ---- 5. a plain YAML file is left alone ---------------------------------------------------------
    stage = 'plain yaml';
    await openFile('other.yaml');
    log('other.yaml open');
    // no completion from us there
    await newLineBelow(6);
    await page.keyboard.type('  - ');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Space');
    await page.locator('.editor-widget.suggest-widget.visible').waitFor();
    await page.waitForFunction(() => {
      const w = document.querySelector('.editor-widget.suggest-widget.visible');
      if (!w) return false;
      const msg = w.querySelector('.message');
      return (msg && /No suggestions/i.test(msg.textContent) && getComputedStyle(msg).display !== 'none') ||
        w.querySelectorAll('.monaco-list-row').length > 0;
    });
    const otherItems = (await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row .label-name').allInnerTexts()).map((s) => s.trim());
    if (otherItems.some((l) => HANDLERS.includes(l))) throw new Error(`our completion showed up in other.yaml: ${otherItems.join(', ')}`);
    log(`other.yaml completion: ${otherItems.length ? otherItems.join(', ') : '(no suggestions)'}`);
    await page.keyboard.press('Escape');
    // Barrier: re-break polyaxonfile.yaml and wait for its diagnostic. Anything the server had to say
    // about other.yaml (opened and edited before) would have arrived before that diagnostic.
    await openFile('polyaxonfile.yaml');
    await gotoPos(8, 5);
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('  git: {url: https://github.com/o/r}');
    await waitEditorText((lines) => lines.some((l) => l === '      git: {url: https://github.com/o/r}'), 're-broken entry');
    await openProblems();
    await problems().filter({ hasText: ONE_HANDLER }).first().waitFor();
    const rows = await problemRows();
    log(`Problems after the barrier: ${JSON.stringify(rows)}`);
    if (rows.some((r) => r.includes('other.yaml'))) throw new Error(`other.yaml has diagnostics: ${JSON.stringify(rows)}`);
    await openFile('other.yaml');
    if ((await editor().locator('.squiggly-error, .squiggly-warning, .squiggly-info').count()) > 0) {
      throw new Error('other.yaml shows squiggles');
    }
    log('other.yaml: no diagnostics, no completion from plx');

    // ---- 5b. content detection follows edits: `kind: component` makes other.yaml a polyaxonfile ------
    stage = 'content detection while editing';
    await gotoPos(2, 1);
    await page.keyboard.type('kind: component');
    await page.keyboard.press('Enter');
    await openProblems();
    await problems().filter({ hasText: 'other.yaml' }).first().waitFor();
    await problems().filter({ hasText: ONE_HANDLER }).filter({ hasText: 'Ln 6, Col 5' }).first().waitFor();
    log('other.yaml with `kind: component` is served');
    await gotoPos(2, 1);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Delete');
    await waitEditorText((lines) => lines[1] === 'service: demo', 'kind line removed');
    await page.waitForFunction(() =>
      ![...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => r.textContent.includes('other.yaml')));
    log('…and left alone again once it is removed');

    // ---- 6. a broken server path: one clear error with "Open Settings"; fixing the setting restarts ----
    stage = 'broken server path';
    await setServerPath('/nonexistent/plx-lsp');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'plx.server.path' });
    await toast.first().waitFor();
    const toastText = (await toast.first().innerText()).replace(/\s+/g, ' ');
    log(`notification: ${toastText.slice(0, 160)}…`);
    if (!/pip install/.test(toastText)) throw new Error(`the error does not say what to install: ${toastText}`);
    await openProblems();
    await page.waitForFunction((msg) =>                    // the stopped server's diagnostics are gone
      ![...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => r.textContent.includes(msg)), ONE_HANDLER);
    await shot('plx-no-server.png');
    await page.keyboard.press('Control+w');                // close the settings editor
    await toast.first().locator('.monaco-button', { hasText: 'Open Settings' }).click();
    await page.waitForFunction(() => {
      const input = document.querySelector('.settings-editor .settings-header .suggest-input-container .view-lines');
      return !!input && input.textContent.replace(/\u00a0/g, ' ').trim() === 'plx';
    });
    await page.locator('.settings-editor .settings-toc-container', { hasText: `Polyaxon Init (${SETTINGS})` }).first().waitFor();
    log('"Open Settings" opened the settings filtered to plx');
    // put the good path back: the extension restarts the server by itself and the diagnostic returns
    await setServerPath(PLX_LSP);
    await openProblems();
    await problems().filter({ hasText: ONE_HANDLER }).first().waitFor();
    log('server restarted after the settings change; diagnostic is back');
    ok = true;
  } catch (e) {
    console.error(`E2E FAILURE at stage "${stage}": ${e && e.message ? e.message : e}`);
    try { console.error(`Problems: ${JSON.stringify(await problemRows())}`); } catch { /* ignore */ }
    try { console.error(`Editor: ${JSON.stringify(await editorLines())}`); } catch { /* ignore */ }
    await page.screenshot({ path: path.join(SHOT_DIR, 'failure.png') }).catch(() => {});
    console.error(`failure screenshot: ${path.join(SHOT_DIR, 'failure.png')}`);
  } finally {
    await ctx.close().catch(() => {});
    fs.rmSync(udd, { recursive: true, force: true });
  }
  log(ok ? 'E2E PASS' : 'E2E FAIL');
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
