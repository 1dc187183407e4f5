#!/usr/bin/env node
// wasm vs native speed on the same inputs, in process on both sides
// (issue 4): RS256 token verification (the real PP CIBA response, two RS256
// tokens) and a 10 MB signed PDF inspection.
//
//   python3 scripts/make-big-pdf.py target/bench/10mb.pdf --mb 10 --pages 100
//   scripts/build-wasm.sh && node scripts/bench-wasm.mjs
//
// Method: each side loads the files once, warms up (wasm: two seconds, so V8
// reaches its optimising tier), then times N calls of the public API (options
// checked, key/anchor files parsed, bundle verified, JSON written) and reports the mean; native runs examples/speed.rs
// built with --release (the same core), wasm runs pkg/ under this Node.
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = await import(join(root, 'pkg', 'index.js'));
await pkg.init();

const cases = [
  {
    name: 'RS256 tokens (real PP CIBA response, 2 tokens)',
    n: 300,
    at: '2024-05-07T13:10:55Z',
    env: 'pp',
    files: ['test-vectors/real/ciba_token_response.json', 'test-vectors/real/pp_jwks_2024.json'],
  },
  {
    name: '10 MB signed PDF (100 pages, PAdES B-T, seal profile)',
    n: 10,
    at: '2025-03-10T10:05:00Z',
    trust: 'test-vectors/scenarios/pades/b-lt/trust/oces_root.pem',
    files: ['target/bench/10mb.pdf'],
  },
];

execFileSync('cargo', ['build', '--release', '--example', 'speed'], { cwd: root, stdio: 'inherit' });
const rows = [];
for (const c of cases) {
  if (!c.files.every((f) => existsSync(join(root, f)))) {
    console.log(`skip: ${c.name}: missing ${c.files.join(', ')} (see the header)`);
    continue;
  }
  const args = [String(c.n), c.at, ...(c.trust ? ['--trust', c.trust] : []), ...(c.env ? ['--env', c.env] : []), ...c.files];
  const native = JSON.parse(execFileSync(join(root, 'target/release/examples/speed'), args, { cwd: root }).toString());
  const files = c.files.map((f) => ({ name: f, bytes: readFileSync(join(root, f)) }));
  const options = { at: c.at, ...(c.env ? { env: c.env } : {}), ...(c.trust ? { trust: [{ name: c.trust, bytes: readFileSync(join(root, c.trust)) }] } : {}) };
  const first = pkg.verify(files, options);
  // Warm up for two seconds so V8 has tiered the hot code up from its baseline
  // compiler (Liftoff) to its optimising one (TurboFan), as in a page that verifies often.
  const warm = Date.now();
  while (Date.now() - warm < 2000) pkg.verifyJson(files, options);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < c.n; i++) pkg.verifyJson(files, options);
  const wasmUs = Number(process.hrtime.bigint() - t0) / 1e3 / c.n;
  rows.push({ case: c.name, verdict: `${native.verdict}/${first.verdict}`, native_ms: (native.us_per_verify / 1e3).toFixed(2), wasm_ms: (wasmUs / 1e3).toFixed(2), ratio: (wasmUs / native.us_per_verify).toFixed(2) });
}
console.table(rows);
const worst = Math.max(...rows.map((r) => Number(r.ratio)));
console.log(`worst wasm/native ratio: ${worst.toFixed(2)} (target: at most 3)`);
process.exit(worst <= 3 ? 0 : 1);
