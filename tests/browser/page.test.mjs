// The offline verifier page (www/) in a real browser: Debian's Chromium driven
// by playwright-core. It serves the repository root on an ephemeral localhost
// port, drops test vectors into the page, and checks what a person sees against
// the native CLI (target/debug/sigaudit):
//   - the verdicts, every node section and every check id, in report order;
//   - the "Download JSON report" bytes equal the CLI's --format json output;
//   - no request leaves 127.0.0.1 / localhost, and no console error;
//   - screenshots (desktop and a 390 px phone) go to target/browser/.
//
// Run: (cd tests/browser && npm ci && node --test)   [needs pkg/ built and /usr/bin/chromium]
// Env: CHROMIUM (browser path), SIGAUDIT_BIN (CLI path), SIGAUDIT_SCENARIOS=0 (skip the all-scenarios sweep).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'target', 'browser');
const CLI = process.env.SIGAUDIT_BIN || path.join(ROOT, 'target', 'debug', 'sigaudit');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VECTORS = path.join(ROOT, 'test-vectors');
const REAL = path.join(VECTORS, 'real');
const FLIPPED = path.join(VECTORS, 'scenarios', 'real', 'ciba-pp-flipped-signature');

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  // Belt and braces: nothing but localhost resolves, so a stray request fails
  // fast (and is still recorded and reported below).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

// ------------------------------------------------------------------ server

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain', '.ts': 'text/plain',
};

function startServer() {
  const served = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(ROOT, `.${rel}`);
    served.push(url.pathname);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !file.startsWith(`${ROOT}${path.sep}`)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': MIME[path.extname(file)] || 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, served, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

// ------------------------------------------------------------------ CLI

/** Runs the CLI in `cwd` (so report names are the bare file names) and returns its JSON text, as verifyJson gives it. */
function cliJson(cwd, files, opts) {
  const args = ['verify', ...files];
  if (opts.env) args.push('--env', opts.env);
  if (opts.at) args.push('--at', opts.at);
  for (const [key, flag] of [['issuer', '--issuer'], ['audience', '--audience'], ['nonce', '--nonce'],
    ['referenceText', '--reference-text'], ['maxAge', '--max-age'], ['minLevel', '--min-level'],
    ['idp', '--idp'], ['identityType', '--identity-type'], ['leeway', '--leeway'], ['ocspSkew', '--ocsp-skew']]) {
    if (opts[key] === undefined) continue;
    // audience may be an array: one flag per value, as a repeated --audience.
    for (const v of Array.isArray(opts[key]) ? opts[key] : [opts[key]]) args.push(flag, String(v));
  }
  for (const k of opts.jwks || []) args.push('--jwks', k);
  for (const t of opts.trust || []) args.push('--trust', t);
  args.push('--format', 'json');
  const r = spawnSync(CLI, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.ok(r.status !== null && r.status !== 2 && r.stdout.length > 0,
    `sigaudit ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  // The CLI ends its output with a newline; verifyJson (and so the download) does not.
  return r.stdout.replace(/\n$/, '');
}

/** Copies files into one fresh directory under their base names; null on a name clash. */
function flatCopy(paths) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigaudit-browser-'));
  const names = new Set();
  for (const p of paths) {
    const name = path.basename(p);
    if (names.has(name)) return null;
    names.add(name);
    fs.copyFileSync(p, path.join(dir, name));
  }
  return dir;
}

// ------------------------------------------------------------------ page driving

let browser;
let srv;
const problems = []; // console errors, page errors, requests leaving localhost

function isLocal(u) {
  const url = new URL(u);
  if (url.protocol === 'blob:') return isLocal(url.pathname);
  if (url.protocol === 'data:') return true;
  return (url.protocol === 'http:' || url.protocol === 'https:')
    && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
}

async function newPage(viewport, colorScheme = 'light') {
  const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.base });
  const requests = [];
  context.on('request', (r) => {
    requests.push(r.url());
    if (!isLocal(r.url())) problems.push(`request left localhost: ${r.url()}`);
  });
  const page = await context.newPage();
  // Generous: CI machines have two cores and may be busy compiling.
  page.setDefaultTimeout(60000);
  // Listening from the start turns file-chooser interception on before any
  // click (waitForEvent alone races with a fast keypress).
  const choosers = [];
  page.on('filechooser', (fc) => choosers.push(fc));
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('worker', (w) => {
    if (typeof w.on === 'function') w.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`worker console: ${m.text()}`); });
  });
  await page.goto(`${srv.base}/www/`);
  // The footer shows the engine's version once the worker has loaded the wasm.
  await page.waitForFunction(() => document.body.dataset.engine, null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => document.body.dataset.engine), 'ready',
    `engine failed to load: ${await page.textContent('#form-error')}`);
  return { context, page, requests, consoleErrors, choosers };
}

/** RFC 3339 -> the value of the page's datetime-local field (UTC). */
function utcField(at) {
  const ms = Date.parse(at);
  assert.ok(!Number.isNaN(ms), `bad time ${at}`);
  return new Date(ms).toISOString().slice(0, 19);
}

const FORM_FIELDS = {
  issuer: '#opt-issuer', audience: '#opt-audience', nonce: '#opt-nonce', referenceText: '#opt-reference-text',
  idp: '#opt-idp', maxAge: '#opt-max-age', leeway: '#opt-leeway', ocspSkew: '#opt-ocsp-skew',
};
const FORM_SELECTS = { identityType: '#opt-identity-type', minLevel: '#opt-min-level' };

async function openDetails(page, sel) {
  if (!(await page.$eval(sel, (d) => d.open))) await page.click(`${sel} > summary`);
}

/** Fills the form like a person would and presses Verify; returns {report, json}. */
async function verifyInPage(page, { files, jwks = [], trust = [], opts = {} }) {
  await page.setInputFiles('#evidence-input', files);
  await page.check(`input[name="env"][value="${opts.env || ''}"]`);
  if (opts.at === 'signing') {
    await page.check('input[name="at-mode"][value="signing"]');
  } else if (opts.at) {
    await page.check('input[name="at-mode"][value="at"]');
    await page.fill('#at-datetime', utcField(opts.at));
    await page.selectOption('#at-zone', 'utc');
  }
  if (jwks.length || trust.length) {
    await openDetails(page, '#trust-card');
    if (jwks.length) await page.setInputFiles('#jwks-input', jwks);
    if (trust.length) await page.setInputFiles('#trust-input', trust);
  }
  const expected = Object.keys(opts).filter((k) => k in FORM_FIELDS || k in FORM_SELECTS);
  if (expected.length) {
    await openDetails(page, '#expect-card');
    for (const k of expected) {
      // Several audiences go in their one field, comma-separated.
      if (k in FORM_FIELDS) await page.fill(FORM_FIELDS[k], Array.isArray(opts[k]) ? opts[k].join(', ') : String(opts[k]));
      else await page.selectOption(FORM_SELECTS[k], String(opts[k]));
    }
  }
  for (const k of Object.keys(opts)) {
    assert.ok(['env', 'at', 'jwks', 'trust'].includes(k) || k in FORM_FIELDS || k in FORM_SELECTS, `the form has no field for option '${k}'`);
  }
  await page.click('#verify-button');
  await page.waitForFunction(() => !document.getElementById('result-view').hidden
    || document.getElementById('form-error').textContent !== '', null, { timeout: 60000 });
  assert.equal(await page.textContent('#form-error'), '', 'the page reported an error');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  assert.match(download.suggestedFilename(), /^sigaudit-report-.*\.json$/);
  const json = fs.readFileSync(await download.path(), 'utf8');
  return { json, report: JSON.parse(json) };
}

function flatChecks(nodes, out = []) {
  for (const n of nodes) {
    for (const c of n.checks) out.push(`${c.id}=${c.status}`);
    flatChecks(n.children, out);
  }
  return out;
}

function flatSubjects(nodes, out = []) {
  for (const n of nodes) { out.push(n.subject); flatSubjects(n.children, out); }
  return out;
}

const WORDS = { pass: 'Valid', warn: 'Valid with warnings', indeterminate: 'Cannot be decided', fail: 'INVALID' };

/** What the page rendered agrees with the report: verdict, sections, checks, timeline. */
async function assertRendered(page, report) {
  assert.equal(await page.textContent('#verdict-word'), WORDS[report.verdict]);
  assert.equal(await page.getAttribute('.summary-card', 'data-verdict'), report.verdict);
  assert.equal(await page.getAttribute('#result-summary', 'aria-live'), 'polite');
  const c = report.counts;
  const chips = await page.$$eval('.counts .count', (els) => els.map((e) => e.textContent.trim()));
  assert.deepEqual(chips, [`${c.pass} passed`, `${c.warn} warning${c.warn === 1 ? '' : 's'}`,
    `${c.indeterminate} indeterminate`, `${c.fail} failed`]);
  // One section per node, in report order, headed by its subject.
  const subjects = await page.$$eval('#nodes section.node', (els) => els.map((e) => e.querySelector('.node-title').textContent));
  assert.deepEqual(subjects, flatSubjects(report.nodes));
  // Every check, in order, with its status as icon + word.
  const checks = await page.$$eval('#nodes li.check', (els) => els.map((e) => `${e.dataset.checkId}=${e.dataset.status}`));
  assert.deepEqual(checks, flatChecks(report.nodes));
  const shownIds = await page.$$eval('#nodes li.check .check-id', (els) => els.map((e) => e.textContent));
  assert.deepEqual(shownIds, checks.map((x) => x.split('=')[0]));
  const words = await page.$$eval('#nodes li.check .mark-word', (els) => els.map((e) => e.textContent));
  const word = { pass: 'Pass', warn: 'Warning', indeterminate: 'Indeterminate', fail: 'Fail' };
  assert.deepEqual(words, checks.map((x) => word[x.split('=')[1]]));
  // The timeline marks the validation time.
  const hasTimes = JSON.stringify(report.nodes).includes('"type":"time"') || JSON.stringify(report.nodes).includes('"type": "time"');
  if (hasTimes) {
    assert.equal(await page.isVisible('#timeline-section'), true);
    const markerLabels = await page.$$eval('#timeline .tl-marker-label', (els) => els.map((e) => e.textContent));
    assert.ok(markerLabels.length > 0, 'no validation-time marker on the timeline');
    if (report.policy.validation_time !== 'signing') {
      const shown = report.policy.validation_time.replace('T', ' ').replace('Z', ' UTC');
      assert.ok(markerLabels.some((t) => t.includes(shown)), `timeline marker ${markerLabels} lacks ${shown}`);
    }
  }
}

async function noHorizontalScroll(page) {
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw, `page scrolls horizontally: ${sw} > ${cw}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function finish(p) {
  assert.deepEqual(p.consoleErrors, [], 'console errors');
  const outside = p.requests.filter((u) => !isLocal(u));
  assert.deepEqual(outside, [], 'requests left localhost');
  await p.context.close();
}

// ------------------------------------------------------------------ tests

before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'pkg', 'index.js')), 'pkg/index.js is missing: run scripts/build-wasm.sh first');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  if (!fs.existsSync(CLI)) {
    const r = spawnSync('cargo', ['build', '--quiet', '--bin', 'sigaudit'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'cargo build failed');
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) srv.server.close();
  assert.deepEqual(problems, []);
});

const PASS_FILES = ['ciba_token_response.json', 'pp_jwks_2024.json'];
const PASS_OPTS = { env: 'pp', at: '2024-05-07T13:10:55Z' };

test('the empty page: offline promise, labelled controls, version, no horizontal scroll', async () => {
  for (const [viewport, tag] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
    const p = await newPage(viewport);
    const { page } = p;
    assert.equal(await page.isVisible('text=Nothing leaves your browser'), true);
    const version = JSON.parse(cliJson(REAL, PASS_FILES, PASS_OPTS)).sigaudit;
    assert.equal(await page.textContent('#engine-version'), version);
    // The drop zone is a real button that opens the file picker, reached by
    // keyboard (after the skip link and the brand link) with a visible focus ring.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'dropzone');
    const ring = await page.$eval('#dropzone', (e) => getComputedStyle(e).outlineStyle);
    assert.notEqual(ring, 'none', 'no visible focus on the drop zone');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => true); // let the event reach us
    for (let i = 0; i < 100 && !p.choosers.length; i += 1) await page.waitForTimeout(50);
    assert.equal(p.choosers.length, 1, 'Enter on the drop zone did not open the file picker');
    assert.equal(p.choosers[0].isMultiple(), true);
    // Every form control has an accessible name.
    const unnamed = await page.$$eval('input:not([type=hidden]):not(.visually-hidden), select, button', (els) =>
      els.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()).map((e) => e.outerHTML));
    assert.deepEqual(unnamed, []);
    // Files dropped on the page are added (a synthetic drop: a DataTransfer with one file).
    const dt = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.items.add(new File(['eyJhbGciOiJub25lIn0.e30.'], 'dropped.jwt', { type: 'text/plain' }));
      return d;
    });
    await page.dispatchEvent('#dropzone', 'dragenter', { dataTransfer: dt });
    await page.dispatchEvent('#dropzone', 'drop', { dataTransfer: dt });
    await page.waitForSelector('#evidence-list li .file-name >> text=dropped.jwt');
    await page.click('#evidence-list li button[aria-label^="Remove dropped.jwt"]');
    assert.equal(await page.$$eval('#evidence-list li', (els) => els.length), 0);
    await noHorizontalScroll(page);
    await shot(page, `form-${tag}`);
    // Verify with nothing selected explains itself.
    await page.click('#verify-button');
    assert.match(await page.textContent('#form-error'), /at least one evidence file/);
    await finish(p);
  }
});

test('a passing token bundle (PP, 2024-05-07T13:10:55Z) matches the CLI, then re-verified without a profile', async () => {
  const p = await newPage(DESKTOP);
  const { page } = p;
  const files = PASS_FILES.map((f) => path.join(REAL, f));
  const { json, report } = await verifyInPage(page, { files, opts: PASS_OPTS });
  assert.equal(json, cliJson(REAL, PASS_FILES, PASS_OPTS), 'downloaded JSON differs from the CLI');
  assert.equal(report.verdict, 'pass');
  assert.equal(await page.textContent('#verdict-word'), 'Valid');
  await assertRendered(page, report);
  for (const id of ['jws.signature', 'jws.key_trusted', 'env.token_key_pin', 'jwt.at_hash', 'jwt.exp']) {
    assert.ok(await page.$(`#nodes li.check[data-check-id="${id}"][data-status="pass"]`), `${id} not shown as passing`);
  }
  // The wasm itself came from this server: the worker's requests are recorded too.
  assert.ok(p.requests.some((u) => u.endsWith('.wasm')), `no .wasm request recorded: ${p.requests.join(' ')}`);
  await noHorizontalScroll(page);
  await shot(page, 'pass-desktop');
  // Hashes are copyable.
  await page.click('.input-list li:first-child .copy');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), report.inputs[0].sha256);

  // "Change inputs" keeps the files; without the PP profile the keys are not trusted.
  await page.click('#edit-button');
  await page.check('input[name="env"][value=""]');
  await page.click('#verify-button');
  await page.waitForSelector('#result-view:not([hidden])');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const json2 = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(json2, cliJson(REAL, PASS_FILES, { at: PASS_OPTS.at }));
  const report2 = JSON.parse(json2);
  assert.notEqual(report2.verdict, 'pass');
  await assertRendered(page, report2);

  // "Start over" clears everything.
  await page.click('#start-over');
  assert.equal(await page.isVisible('#input-view'), true);
  assert.equal(await page.$$eval('#evidence-list li', (els) => els.length), 0);
  assert.equal(await page.isChecked('input[name="at-mode"][value="now"]'), true);
  await finish(p);
});

test('the flipped-signature scenario is INVALID and matches the CLI', async () => {
  const p = await newPage(DESKTOP);
  const { page } = p;
  const opts = JSON.parse(fs.readFileSync(path.join(FLIPPED, 'options.json'), 'utf8'));
  const inputDir = path.join(FLIPPED, 'input');
  const names = fs.readdirSync(inputDir).sort();
  const { json, report } = await verifyInPage(page, { files: names.map((n) => path.join(inputDir, n)), opts });
  assert.equal(json, cliJson(inputDir, names, opts), 'downloaded JSON differs from the CLI');
  assert.equal(report.verdict, 'fail');
  assert.equal(await page.textContent('#verdict-word'), 'INVALID');
  await assertRendered(page, report);
  assert.ok(await page.$('#nodes li.check[data-check-id="jws.signature"][data-status="fail"] .mark-fail'));
  // The failure is named in the bottom line, linked to its check.
  const problem = await page.$('.problems a.check-id');
  assert.equal(await problem.textContent(), 'jws.signature');
  await shot(page, 'fail-desktop');
  // Only-problems filter hides passing checks.
  await page.check('#only-problems');
  assert.equal(await page.isVisible('#nodes li.check.status-pass >> nth=0'), false);
  assert.equal(await page.isVisible('#nodes li.check.status-fail'), true);
  await finish(p);
});

test('phone width (390 px): both bundles render without horizontal scrolling', async () => {
  const p = await newPage(PHONE);
  const { page } = p;
  const pass = await verifyInPage(page, { files: PASS_FILES.map((f) => path.join(REAL, f)), opts: PASS_OPTS });
  await assertRendered(page, pass.report);
  await noHorizontalScroll(page);
  await shot(page, 'pass-phone');
  await page.click('#start-over');
  const inputDir = path.join(FLIPPED, 'input');
  const fail = await verifyInPage(page, { files: fs.readdirSync(inputDir).sort().map((n) => path.join(inputDir, n)), opts: PASS_OPTS });
  assert.equal(fail.report.verdict, 'fail');
  await noHorizontalScroll(page);
  await shot(page, 'fail-phone');
  await finish(p);
});

test('dark colour scheme renders the result', async () => {
  const p = await newPage(DESKTOP, 'dark');
  const { page } = p;
  const { report } = await verifyInPage(page, { files: PASS_FILES.map((f) => path.join(REAL, f)), opts: PASS_OPTS });
  await assertRendered(page, report);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(245, 246, 248)', 'dark scheme not applied');
  await page.setViewportSize({ width: DESKTOP.width, height: 1400 });
  await page.screenshot({ path: path.join(SHOTS, 'pass-desktop-dark.png') });
  await finish(p);
});

test('a 50 MB file: progress is shown, Cancel stops it, and it verifies', async () => {
  const big = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sigaudit-big-')), 'big.pdf');
  const block = Buffer.alloc(1 << 20);
  const fd = fs.openSync(big, 'w');
  for (let i = 0; i < 50; i += 1) { block.fill(i); fs.writeSync(fd, block); }
  fs.closeSync(fd);
  const p = await newPage(DESKTOP);
  const { page } = p;
  // Cancel: pressed the moment the first progress message appears.
  await page.setInputFiles('#evidence-input', [big]);
  await page.evaluate(() => {
    const text = document.getElementById('progress-text');
    const mo = new MutationObserver(() => {
      if (text.textContent.startsWith('Reading files')) { mo.disconnect(); document.getElementById('cancel-button').click(); }
    });
    mo.observe(text, { childList: true, characterData: true, subtree: true });
  });
  await page.click('#verify-button');
  await page.waitForSelector('#input-view:not([hidden])');
  assert.equal(await page.isVisible('#result-view'), false, 'cancel did not stop the verification');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'verify-button');
  // The file stays selected; choosing it again does not add it twice.
  // Record every progress message the page shows.
  await page.evaluate(() => {
    window.__progress = [];
    const text = document.getElementById('progress-text');
    new MutationObserver(() => window.__progress.push(text.textContent)).observe(text, { childList: true, characterData: true, subtree: true });
  });
  const opts = { at: '2024-05-07T13:10:55Z' };
  const { json, report } = await verifyInPage(page, { files: [big], opts });
  assert.equal(report.inputs[0].size, 50 << 20);
  assert.equal(json, cliJson(path.dirname(big), ['big.pdf'], opts));
  const progress = await page.evaluate(() => window.__progress);
  assert.ok(progress.some((t) => t.startsWith('Reading files')), `no reading progress: ${progress}`);
  assert.ok(progress.some((t) => t.startsWith('Verifying')), `no verifying progress: ${progress}`);
  fs.rmSync(path.dirname(big), { recursive: true, force: true });
  await finish(p);
});

/**
 * Every scenario folder under test-vectors/scenarios/: the page, driven through
 * its form, produces the CLI's report byte for byte and renders all of it.
 * (Whether the verdicts are the expected ones is tests/vectors.rs's job.)
 */
function scenarios() {
  const base = path.join(VECTORS, 'scenarios');
  const out = [];
  for (const group of fs.readdirSync(base).sort()) {
    const gdir = path.join(base, group);
    if (!fs.statSync(gdir).isDirectory()) continue;
    for (const name of fs.readdirSync(gdir).sort()) {
      const dir = path.join(gdir, name);
      if (fs.existsSync(path.join(dir, 'options.json')) && fs.existsSync(path.join(dir, 'input'))) out.push({ id: `${group}/${name}`, dir });
    }
  }
  return out;
}

/**
 * Runs one scenario folder through the page's form and through the CLI (on
 * flat copies, so both name the files alike); returns null when it cannot be
 * compared (names clash after flattening, or no fixed validation time).
 */
async function runScenario(page, dir) {
  const opts = JSON.parse(fs.readFileSync(path.join(dir, 'options.json'), 'utf8'));
  const inputs = fs.readdirSync(path.join(dir, 'input')).sort().map((n) => path.join(dir, 'input', n))
    .filter((f) => fs.statSync(f).isFile());
  const jwks = (opts.jwks || []).map((f) => path.join(dir, f));
  const trust = (opts.trust || []).map((f) => path.join(dir, f));
  const flat = flatCopy([...inputs, ...jwks, ...trust]);
  if (!flat || !opts.at) return null;
  const base = (l) => l.map((f) => path.basename(f));
  const formOpts = { ...opts };
  delete formOpts.jwks;
  delete formOpts.trust;
  try {
    const { json, report } = await verifyInPage(page, { files: inputs, jwks, trust, opts: formOpts });
    assert.equal(json, cliJson(flat, base(inputs), { ...opts, jwks: base(jwks), trust: base(trust) }),
      'downloaded JSON differs from the CLI');
    await assertRendered(page, report);
    return { report, expected: JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) };
  } finally {
    fs.rmSync(flat, { recursive: true, force: true });
  }
}

test('every test-vector scenario: the page produces and renders the CLI report', { skip: process.env.SIGAUDIT_SCENARIOS === '0' }, async (t) => {
  const p = await newPage(DESKTOP);
  const { page } = p;
  let ran = 0;
  for (const sc of scenarios()) {
    let result;
    try {
      result = await runScenario(page, sc.dir);
    } catch (e) {
      e.message = `scenario ${sc.id}: ${e.message}`;
      throw e;
    }
    if (!result) {
      t.diagnostic(`${sc.id}: skipped (file names clash, or no fixed validation time)`);
      continue;
    }
    await page.click('#start-over');
    ran += 1;
  }
  t.diagnostic(`${ran} scenarios verified in the page`);
  assert.ok(ran > 0);
  await finish(p);
});

// PDFs: a PAdES B-LTA signature passes with its signing time on the
// timeline; a shadow attack is named in the bottom line; embedded files are
// offered for download, byte-identical to what `sigaudit verify --extract` writes.
test('a signed PDF (PAdES B-LTA) is Valid in the page', async () => {
  const p = await newPage(DESKTOP);
  const r = await runScenario(p.page, path.join(VECTORS, 'scenarios', 'pades', 'b-lta'));
  await shot(p.page, 'pdf-signed-desktop');
  assert.equal(r.report.verdict, 'pass');
  assert.equal(await p.page.textContent('#verdict-word'), 'Valid');
  await finish(p);
});

test('an attacked PDF (shadow hide-and-replace) is INVALID in the page', async () => {
  const p = await newPage(DESKTOP);
  const r = await runScenario(p.page, path.join(VECTORS, 'scenarios', 'attacks', 'shadow-hide-and-replace'));
  await shot(p.page, 'pdf-attacked-desktop');
  assert.equal(r.report.verdict, 'fail');
  assert.equal(await p.page.textContent('#verdict-word'), 'INVALID');
  const named = await p.page.$$eval('.problems a.check-id', (els) => els.map((e) => e.textContent));
  assert.ok(named.includes('mod.shadow'), `mod.shadow not named in the bottom line: ${named}`);
  await finish(p);
});

test('files embedded in a sealed workflow PDF are offered for download, as --extract writes them', async () => {
  const dir = path.join(VECTORS, 'scenarios', 'pades', 'broker-sealed-workflow');
  const p = await newPage(DESKTOP);
  const r = await runScenario(p.page, dir);
  assert.equal(r.report.verdict, 'pass');
  assert.equal(await p.page.isVisible('#embedded-files'), true);
  const names = await p.page.$$eval('#embedded-list .file-name', (els) => els.map((e) => e.textContent));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sigaudit-extract-'));
  try {
    const opts = JSON.parse(fs.readFileSync(path.join(dir, 'options.json'), 'utf8'));
    const sealed = path.join(dir, 'input', 'Lejeaftale_Testvej_1_forseglet.pdf');
    const run = spawnSync(CLI, ['verify', sealed, '--at', opts.at, '--extract', out, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(run.status !== null && run.status !== 2, `sigaudit --extract failed (exit ${run.status}): ${run.stderr}`);
    const extracted = fs.readdirSync(out, { recursive: true }).filter((f) => fs.statSync(path.join(out, f)).isFile());
    const byBase = new Map(extracted.map((f) => [path.basename(f), path.join(out, f)]));
    assert.deepEqual([...names].sort(), [...byBase.keys()].sort(), 'the page and --extract list different files');
    assert.ok(names.includes('workflow_token.jwt'), `workflow_token.jwt not offered: ${names}`);
    const buttons = await p.page.$$('#embedded-list button');
    for (let k = 0; k < buttons.length; k++) {
      const [download] = await Promise.all([p.page.waitForEvent('download'), buttons[k].click()]);
      const got = fs.readFileSync(await download.path());
      assert.ok(got.equals(fs.readFileSync(byBase.get(download.suggestedFilename()))), `${download.suggestedFilename()} differs from --extract`);
    }
    await shot(p.page, 'pdf-embedded-files-desktop');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  await finish(p);
});
