// The JS API of pkg/ (scripts/build-wasm.sh): init, verify, verifyJson,
// version, option checking and its messages (compared with the CLI's).
// Builds nothing; needs pkg/ and target/{debug,release}/sigaudit.
//
//   node --test tests/node/api.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = path.join(ROOT, 'pkg');
if (!fs.existsSync(path.join(PKG, 'index.js'))) {
  console.error('api tests: pkg/ is missing; build it first with scripts/build-wasm.sh');
  process.exit(2);
}
const INDEX_URL = pathToFileURL(path.join(PKG, 'index.js')).href;
const WASM_PATH = path.join(PKG, 'sigaudit_wasm_bg.wasm');
const sigaudit = await import(INDEX_URL);

const CLI =
  process.env.SIGAUDIT_BIN ||
  ['debug', 'release'].map((p) => path.join(ROOT, 'target', p, 'sigaudit')).find((p) => fs.existsSync(p));

const SCENARIO = path.join(ROOT, 'test-vectors', 'scenarios', 'real', 'ciba-pp-as-of-issuance');
const inputNames = fs.readdirSync(path.join(SCENARIO, 'input')).sort().map((n) => `input/${n}`);
const files = () => inputNames.map((name) => ({ name, bytes: fs.readFileSync(path.join(SCENARIO, name)) }));
const AT = '2024-05-07T13:10:55Z';

function cli(args) {
  const r = spawnSync(CLI, ['verify', '--format', 'json', ...args, ...inputNames], { cwd: SCENARIO, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

test('verify before init throws a clear Error', () => {
  assert.throws(() => sigaudit.verifyJson(files(), { at: AT }), { message: /call `await init\(\)`/ });
});

test('version works before init and matches Cargo.toml', () => {
  const cargo = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.equal(sigaudit.version(), cargo);
});

test('init is idempotent, also when called concurrently', async () => {
  const [a, b] = [sigaudit.init(), sigaudit.init()];
  await Promise.all([a, b]);
  await sigaudit.init();
  assert.equal(typeof sigaudit.version(), 'string');
});

test('verifyJson is the CLI output; verify is its JSON.parse', { skip: !CLI && 'no CLI binary' }, () => {
  const json = sigaudit.verifyJson(files(), { at: AT, env: 'pp' });
  const run = cli(['--at', AT, '--env', 'pp']);
  assert.equal(json + '\n', run.stdout);
  assert.deepEqual(sigaudit.verify(files(), { at: AT, env: 'pp' }), JSON.parse(run.stdout));
  assert.equal(JSON.parse(json).sigaudit, sigaudit.version());
});

test('bytes may be ArrayBuffer, a typed-array view or a Node Buffer', () => {
  const want = sigaudit.verifyJson(files(), { at: AT, env: 'pp' });
  const asBuffer = files().map((f) => ({ name: f.name, bytes: f.bytes.buffer.slice(f.bytes.byteOffset, f.bytes.byteOffset + f.bytes.length) }));
  assert.equal(sigaudit.verifyJson(asBuffer, { at: AT, env: 'pp' }), want);
  const asView = files().map((f) => {
    const padded = new Uint8Array(f.bytes.length + 8);
    padded.set(f.bytes, 4);
    return { name: f.name, bytes: new DataView(padded.buffer, 4, f.bytes.length) };
  });
  assert.equal(sigaudit.verifyJson(asView, { at: AT, env: 'pp' }), want);
});

test('a missing at means now; a Date and "signing" are accepted', () => {
  const before = Math.floor(Date.now() / 1000);
  const r = sigaudit.verify(files(), { env: 'pp' });
  const t = Date.parse(r.policy.validation_time) / 1000;
  assert.ok(t >= before - 1 && t <= Date.now() / 1000 + 1, `validation_time ${r.policy.validation_time} is not now`);
  assert.equal(sigaudit.verify(files(), { at: new Date(AT), env: 'pp' }).policy.validation_time, AT);
  assert.equal(sigaudit.verify(files(), { at: 'signing' }).policy.validation_time, 'signing');
  assert.equal(sigaudit.verify(files(), { at: AT, issuer: undefined }).policy.validation_time, AT);
});

test('the key and trust file lists are named in the report', () => {
  const jwks = { name: 'keys/pp.json', bytes: fs.readFileSync(path.join(SCENARIO, 'input', 'pp_jwks_2024.json')) };
  const r = sigaudit.verify(files(), { at: AT, jwks: [jwks] });
  assert.deepEqual(r.policy.trusted_key_files, ['keys/pp.json']);
});

test('no files is a report (indeterminate), not an error', () => {
  assert.equal(sigaudit.verify([], { at: AT }).verdict, 'indeterminate');
});

// Options the core rejects: the same message as the CLI's (after "sigaudit: ").
const rejected = [
  [{ env: 'xx' }, ['--env', 'xx']],
  [{ at: 'yesterday' }, ['--at', 'yesterday']],
  [{ minLevel: 'mid' }, ['--min-level', 'mid']],
  [{ identityType: 'robot' }, ['--identity-type', 'robot']],
  [{ issuer: '' }, ['--issuer', '']],
  [{ audience: '' }, ['--audience', '']],
  [{ audience: ['x', ''] }, ['--audience', 'x', '--audience', '']],
];
for (const [opts, args] of rejected) {
  test(`options ${JSON.stringify(opts)} throw the CLI's message`, { skip: !CLI && 'no CLI binary' }, () => {
    const run = cli(args.includes('--at') ? args : ['--at', AT, ...args]);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^sigaudit: /);
    assert.throws(
      () => sigaudit.verifyJson(files(), { at: AT, ...opts }),
      (e) => e instanceof Error && e.message === run.stderr.replace(/^sigaudit: /, ''),
    );
  });
}

// audience: a string (one --audience) or an array (--audience repeated); any value passes jwt.aud.
const PP_CLIENT = '62b8cc03-aa73-4d6a-922c-7c8fb0a4a1d9';
test('audience as a string or an array gives the CLI output of one or repeated --audience', { skip: !CLI && 'no CLI binary' }, () => {
  for (const [audience, args] of [
    [PP_CLIENT, ['--audience', PP_CLIENT]],
    [[PP_CLIENT], ['--audience', PP_CLIENT]],
    [['DK29915938', PP_CLIENT], ['--audience', 'DK29915938', '--audience', PP_CLIENT]],
    [['DK29915938', 'other'], ['--audience', 'DK29915938', '--audience', 'other']],
  ]) {
    const run = cli(['--at', AT, '--env', 'pp', ...args]);
    assert.equal(sigaudit.verifyJson(files(), { at: AT, env: 'pp', audience }) + '\n', run.stdout, JSON.stringify(audience));
  }
});

test('several audiences: any passes jwt.aud, none fails it; the policy lists them', () => {
  const audChecks = (r) => {
    const out = [];
    const walk = (n) => { out.push(...n.checks.filter((c) => c.id === 'jwt.aud')); n.children.forEach(walk); };
    r.nodes.forEach(walk);
    return out;
  };
  const any = sigaudit.verify(files(), { at: AT, env: 'pp', audience: ['DK29915938', PP_CLIENT] });
  assert.deepEqual(any.policy.audience, ['DK29915938', PP_CLIENT]);
  assert.ok(audChecks(any).length > 0 && audChecks(any).every((c) => c.status === 'pass'));
  const none = sigaudit.verify(files(), { at: AT, env: 'pp', audience: ['DK29915938', 'other'] });
  assert.ok(audChecks(none).length > 0 && audChecks(none).every((c) => c.status === 'fail'));
  assert.ok(audChecks(none).every((c) => c.evidence.some((f) => f.name === 'expected' && f.type === 'list')));
  assert.deepEqual(sigaudit.verify(files(), { at: AT, audience: PP_CLIENT }).policy.audience, [PP_CLIENT]);
  assert.equal(sigaudit.verify(files(), { at: AT }).policy.audience, undefined);
  assert.throws(() => sigaudit.verify(files(), { at: AT, audience: [] }), { message: 'audience must not be an empty list: give at least one value' });
  assert.throws(() => sigaudit.verify(files(), { at: AT, audience: 5 }), {
    message: "option 'audience': invalid type: integer `5`, expected a string or an array of strings",
  });
  assert.throws(() => sigaudit.verify(files(), { at: AT, audience: ['x', 5] }), { message: /^option 'audience': invalid type: integer `5`/ });
});

test('a bad key file throws the CLI message', { skip: !CLI && 'no CLI binary' }, () => {
  const run = cli(['--at', AT, '--jwks', 'input/ciba_token_response.json']);
  assert.equal(run.status, 2, run.stderr);
  const bad = { name: 'input/ciba_token_response.json', bytes: fs.readFileSync(path.join(SCENARIO, 'input/ciba_token_response.json')) };
  assert.throws(() => sigaudit.verifyJson(files(), { at: AT, jwks: [bad] }), { message: run.stderr.replace(/^sigaudit: /, '') });
});

test('unknown and ill-typed options are rejected by name', () => {
  assert.throws(() => sigaudit.verify(files(), { at: AT, referencetext: 'x' }), {
    message: /^unknown option 'referencetext' \(known options: at, env, .*referenceText.*, jwks, trust\)$/,
  });
  assert.throws(() => sigaudit.verify(files(), { at: AT, maxAge: '300' }), { message: /^option 'maxAge': invalid type: string "300"/ });
  assert.throws(() => sigaudit.verify(files(), { at: AT, leeway: -1 }), { message: /^option 'leeway': / });
  assert.throws(() => sigaudit.verify(files(), { at: AT, leeway: 1.5 }), { message: /^option 'leeway': / });
  assert.throws(() => sigaudit.verify(files(), { at: 42 }), { message: /^option 'at': / });
});

test('wrong argument shapes throw TypeErrors', () => {
  assert.throws(() => sigaudit.verify('token.jwt', { at: AT }), TypeError);
  assert.throws(() => sigaudit.verify([{ name: 'x' }], { at: AT }), TypeError);
  assert.throws(() => sigaudit.verify([{ name: 1, bytes: new Uint8Array() }], { at: AT }), TypeError);
  assert.throws(() => sigaudit.verify([{ name: 'x', bytes: 'text' }], { at: AT }), TypeError);
  assert.throws(() => sigaudit.verify([], 'pp'), TypeError);
  assert.throws(() => sigaudit.verify([], { at: AT, jwks: {} }), TypeError);
});

// init's other inputs, each in a fresh process (a module instance initialises once).
const initInputs = {
  'a file system path': `await init(${JSON.stringify(WASM_PATH)})`,
  'a file: URL': `await init(new URL(${JSON.stringify(pathToFileURL(WASM_PATH).href)}))`,
  'the bytes': `await init(fs.readFileSync(${JSON.stringify(WASM_PATH)}))`,
  'a compiled module': `await init(await WebAssembly.compile(fs.readFileSync(${JSON.stringify(WASM_PATH)})))`,
  'initSync with the bytes': `initSync(fs.readFileSync(${JSON.stringify(WASM_PATH)}))`,
};
for (const [what, call] of Object.entries(initInputs)) {
  test(`init accepts ${what}`, () => {
    const script = `import fs from 'node:fs'; import { init, initSync, verify } from ${JSON.stringify(INDEX_URL)};
      ${call}; console.log(verify([], { at: '${AT}' }).verdict);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'indeterminate');
    assert.equal(r.stderr, '', 'no warnings');
  });
}

test('embeddedFiles lists a PDF\'s attachments; other bytes give none', () => {
  const sealed = fs.readFileSync(path.join(ROOT, 'test-vectors', 'scenarios', 'pades', 'broker-sealed-workflow', 'input', 'Lejeaftale_Testvej_1_forseglet.pdf'));
  const list = sigaudit.embeddedFiles(sealed);
  assert.deepEqual(list.map((f) => f.name).sort(), ['workflow_token.jwt', 'workflow_token.ocsp', 'workflow_token_pub.pem']);
  const jwt = list.find((f) => f.name === 'workflow_token.jwt');
  assert.ok(jwt.bytes instanceof Uint8Array);
  assert.match(Buffer.from(jwt.bytes).toString('latin1'), /^eyJ[\w-]+\.[\w-]+\.[\w-]+\s*$/);
  assert.deepEqual(sigaudit.embeddedFiles(new TextEncoder().encode('not a pdf')), []);
  assert.deepEqual(sigaudit.embeddedFiles(sealed.subarray(0, 100)), []);
  assert.throws(() => sigaudit.embeddedFiles('x'), TypeError);
});
