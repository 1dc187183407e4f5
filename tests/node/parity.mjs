#!/usr/bin/env node
// Parity: every scenario under test-vectors/scenarios through the WebAssembly
// package (pkg/, from scripts/build-wasm.sh) and through the native CLI
// (target/debug/sigaudit or target/release/sigaudit; SIGAUDIT_BIN overrides).
// The wasm's verifyJson output plus "\n" must be byte-identical to what
// `sigaudit verify --format json` prints in the scenario folder; a scenario
// whose options are rejected must be rejected by both with the same message.
// Every wasm report is also checked against the types in pkg/index.d.ts.
//
// Builds nothing. Exit codes: 0 all equal, 1 a difference, 2 cannot run.
//
//   node tests/node/parity.mjs [name-filter]

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkAgainstRust, checkReport, readDeclarations } from './shape.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = path.join(ROOT, 'pkg');
const SCENARIOS = path.join(ROOT, 'test-vectors', 'scenarios');
const OUT = path.join(ROOT, 'target', 'parity');
const filter = process.argv[2];

function cannotRun(msg) {
  console.error(`parity: cannot run: ${msg}`);
  process.exit(2);
}

if (!fs.existsSync(path.join(PKG, 'index.js')) || !fs.existsSync(path.join(PKG, 'sigaudit_wasm_bg.wasm'))) {
  cannotRun('pkg/ is missing or incomplete; build it first with scripts/build-wasm.sh');
}

function findCli() {
  if (process.env.SIGAUDIT_BIN) {
    if (!fs.existsSync(process.env.SIGAUDIT_BIN)) cannotRun(`SIGAUDIT_BIN=${process.env.SIGAUDIT_BIN} does not exist`);
    return path.resolve(process.env.SIGAUDIT_BIN);
  }
  const candidates = ['debug', 'release']
    .map((p) => path.join(ROOT, 'target', p, 'sigaudit'))
    .filter((p) => fs.existsSync(p))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs); // the newest
  if (!candidates.length) cannotRun('no target/debug/sigaudit or target/release/sigaudit; run `cargo build` first');
  return candidates[0];
}

/** Names in byte order, as Rust sorts paths. */
function sortedEntries(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/** Scenario folders (those holding expected.json), sorted as tests/common/mod.rs does. */
function scenarios(dir, out = []) {
  for (const e of sortedEntries(dir)) {
    if (!e.isDirectory()) continue;
    const p = path.join(dir, e.name);
    if (fs.existsSync(path.join(p, 'expected.json'))) out.push(p);
    else scenarios(p, out);
  }
  return out;
}

/** Every file under dir, as paths relative to base with '/', sorted. */
function filesUnder(dir, base, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of sortedEntries(dir)) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, base, out);
    else out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out;
}

const kebab = (name) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

function firstDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n      wasm: ${JSON.stringify(la[i])}\n      cli:  ${JSON.stringify(lb[i])}`;
  }
  return 'same lines; the bytes differ (line endings or encoding)';
}

const sigaudit = await import(pathToFileURL(path.join(PKG, 'index.js')).href);
const t0 = performance.now();
await sigaudit.init();
const initMs = performance.now() - t0;
const cli = findCli();
const decl = readDeclarations(path.join(PKG, 'index.d.ts'));

const failures = [];
const drift = checkAgainstRust(ROOT, decl);
for (const p of drift.problems) failures.push(`pkg/index.d.ts (from wasm/index.d.ts) is out of date: ${p}`);
for (const w of drift.warnings) console.warn(`parity: warning: pkg/index.d.ts declares more than the Rust source: ${w}`);
const cliVersion = spawnSync(cli, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (cliVersion !== `sigaudit ${sigaudit.version()}`) {
  failures.push(`version: wasm says ${sigaudit.version()}, CLI says '${cliVersion}' (stale pkg/ or binary?)`);
}

const all = scenarios(SCENARIOS).filter((d) => !filter || path.relative(SCENARIOS, d).includes(filter));
if (!all.length) cannotRun(`no scenarios under ${path.relative(ROOT, SCENARIOS)}${filter ? ` matching '${filter}'` : ''}`);
console.log(`parity: ${all.length} scenarios; wasm ${path.relative(ROOT, PKG)}/ (sigaudit ${sigaudit.version()}, init ${initMs.toFixed(0)} ms) vs ${path.relative(ROOT, cli)}`);

let same = 0;
let bothRejected = 0;
let wasmMs = 0;
for (const dir of all) {
  const name = path.relative(SCENARIOS, dir).split(path.sep).join('/');
  const problems = [];
  const optionsJson = JSON.parse(fs.readFileSync(path.join(dir, 'options.json'), 'utf8'));
  const load = (rel) => ({ name: rel, bytes: fs.readFileSync(path.join(dir, rel)) });
  const inputs = filesUnder(path.join(dir, 'input'), dir);

  // JS options and CLI flags from the same options.json (tests/common/mod.rs cli_args).
  const options = {};
  const args = ['verify', '--format', 'json'];
  const jwks = optionsJson.jwks ?? [];
  const trust = optionsJson.trust ?? [];
  for (const [key, value] of Object.entries(optionsJson)) {
    if (key === 'jwks' || key === 'trust' || value === null) continue;
    options[key] = value;
    // audience may be an array: one flag per value, as a repeated --audience.
    for (const v of Array.isArray(value) ? value : [value]) args.push(`--${kebab(key)}`, String(v));
  }
  if (options.at === undefined) problems.push("options.json has no 'at': the wasm and the CLI would each read their own clock");
  options.jwks = jwks.map(load);
  options.trust = trust.map(load);
  for (const j of jwks) args.push('--jwks', j);
  for (const t of trust) args.push('--trust', t);
  args.push(...inputs);

  let json;
  let error;
  const t = performance.now();
  try {
    json = sigaudit.verifyJson(inputs.map(load), options);
  } catch (e) {
    error = e;
  }
  wasmMs += performance.now() - t;

  const run = spawnSync(cli, args, { cwd: dir, maxBuffer: 1 << 30 });
  if (run.error) cannotRun(`running ${cli}: ${run.error.message}`);
  const stdout = run.stdout;
  const stderr = run.stderr.toString('utf8').trim();

  if (error !== undefined) {
    const expected = `sigaudit: ${error.message}`;
    if (run.status === 2 && stderr === expected) {
      bothRejected++;
    } else {
      problems.push(`wasm threw ${JSON.stringify(error.message)}; CLI exit ${run.status}, stderr ${JSON.stringify(stderr)}`);
    }
  } else {
    const wasmBytes = Buffer.from(json + '\n', 'utf8');
    if (Buffer.compare(wasmBytes, stdout) === 0) {
      same++;
    } else {
      const outDir = path.join(OUT, name);
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, 'wasm.json'), wasmBytes);
      fs.writeFileSync(path.join(outDir, 'cli.json'), stdout);
      const cliText = stdout.toString('utf8');
      problems.push(
        `JSON differs (wasm ${wasmBytes.length} bytes, CLI ${stdout.length} bytes, CLI exit ${run.status}${stderr ? `, stderr ${JSON.stringify(stderr)}` : ''}); ` +
          `first difference at ${firstDifference(json + '\n', cliText)}\n      both saved under ${path.relative(ROOT, outDir)}/`,
      );
    }
    let report;
    try {
      report = JSON.parse(json);
    } catch (e) {
      problems.push(`wasm output is not JSON: ${e.message}`);
    }
    if (report !== undefined) {
      for (const p of checkReport(report, decl).slice(0, 5)) problems.push(`index.d.ts: ${p}`);
    }
  }
  if (problems.length) failures.push(`${name}:\n    ${problems.join('\n    ')}`);
}

const different = all.length - same - bothRejected;
console.log(
  `parity: ${same} of ${all.length} byte-identical` +
    (bothRejected ? `, ${bothRejected} rejected by both with the same message` : '') +
    `; wasm verify ${wasmMs.toFixed(0)} ms in all (${(wasmMs / all.length).toFixed(1)} ms per scenario)`,
);
if (failures.length) {
  console.error(`parity: FAILED (${different} scenario(s) differ; ${failures.length} with problems)\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('parity: ok');
