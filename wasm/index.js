// sigaudit: offline verification of e-signing evidence, as WebAssembly.
// The wrapper around the wasm-bindgen glue (sigaudit_wasm.js). See README.md.
//
// Everything impure lives here, nothing in the module: the clock (a missing
// `at` means now) and turning file lists into bytes. The module checks the
// options (sigaudit::Options + Policy::from_options) and verifies.

import initGlue, { initSync as initGlueSync, Job, EmbeddedFiles, version as wasmVersion, lastPanic } from './sigaudit_wasm.js';

const PACKAGE_VERSION = '__SIGAUDIT_VERSION__';
const WASM_FILE = 'sigaudit_wasm_bg.wasm';

let ready = false;
let pending;
/** Set when the module trapped (a panic): the instance is unusable afterwards. */
let crashed;

const isNode =
  typeof process === 'object' && process !== null && typeof process.versions === 'object' && process.versions !== null && typeof process.versions.node === 'string';

async function readFileNode(pathOrUrl) {
  // Kept out of sight of bundlers: this branch only runs under Node.
  const name = 'node:fs/promises';
  const fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ name);
  return fs.readFile(pathOrUrl);
}

/** Under Node, fetch() cannot read file: URLs, so local files are read here. */
async function resolveNodeInput(input) {
  if (input === undefined || input === null) return readFileNode(new URL(WASM_FILE, import.meta.url));
  if (input instanceof URL) return input.protocol === 'file:' ? readFileNode(input) : input;
  if (typeof input === 'string') {
    if (/^file:/i.test(input)) return readFileNode(new URL(input));
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input) || /^(data|blob):/i.test(input)) return input;
    return readFileNode(input); // a file system path
  }
  return input;
}

/**
 * Loads the WebAssembly module. Idempotent: later calls return the same promise.
 * Without an argument it loads sigaudit_wasm_bg.wasm next to this file (fetch in
 * browsers; the file system under Node). Also accepts a URL or path, a Response,
 * the module's bytes (Uint8Array / ArrayBuffer) or a compiled WebAssembly.Module.
 */
export function init(input) {
  if (ready) return Promise.resolve();
  if (pending === undefined) {
    pending = (async () => {
      const source = isNode ? await resolveNodeInput(input) : input ?? undefined;
      await initGlue(source === undefined ? undefined : { module_or_path: source });
      ready = true;
    })();
    // A failed load may be retried (e.g. after a network error).
    pending.catch(() => {
      pending = undefined;
    });
  }
  return pending;
}

/** Synchronous init from the module's bytes or a compiled WebAssembly.Module (e.g. in a worker). */
export function initSync(module) {
  if (ready) return;
  initGlueSync({ module });
  ready = true;
}

/** The sigaudit version (the `sigaudit` member of every report). */
export function version() {
  return ready ? wasmVersion() : PACKAGE_VERSION;
}

function ensureReady() {
  if (crashed !== undefined) {
    throw new Error(`sigaudit: the WebAssembly instance crashed earlier and cannot be used again (${crashed}); reload the page or restart the process`);
  }
  if (!ready) throw new Error('sigaudit: call `await init()` before verify()');
}

function toBytes(bytes, what) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError(`sigaudit: ${what}: bytes must be a Uint8Array (or ArrayBuffer / typed array)`);
}

function fileList(list, what) {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TypeError(`sigaudit: ${what} must be an array of {name, bytes}`);
  return list.map((f, i) => {
    if (f === null || typeof f !== 'object') throw new TypeError(`sigaudit: ${what}[${i}] must be {name, bytes}`);
    if (typeof f.name !== 'string') throw new TypeError(`sigaudit: ${what}[${i}].name must be a string`);
    return { name: f.name, bytes: toBytes(f.bytes, `${what}[${i}] ('${f.name}')`) };
  });
}

/**
 * Verifies one bundle of evidence and returns the report as JSON text: exactly
 * what `sigaudit verify --format json` prints (without the final newline).
 * Throws an Error when the options cannot be used; bad evidence never throws.
 */
export function verifyJson(files, options) {
  ensureReady();
  const inputs = fileList(files, 'files');
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError('sigaudit: options must be an object');
  const { jwks, trust, ...rest } = options;
  const keyFiles = fileList(jwks, 'options.jwks');
  const trustFiles = fileList(trust, 'options.trust');
  // The core has no clock: "now" is read here, as the CLI does without --at.
  if (rest.at === undefined || rest.at === null || rest.at === 'now') rest.at = new Date().toISOString();
  else if (rest.at instanceof Date) rest.at = rest.at.toISOString();
  const optionsJson = JSON.stringify(rest);

  return guarded(() => {
    const job = new Job();
    try {
      for (const f of inputs) job.addInput(f.name, f.bytes);
      for (const f of keyFiles) job.addJwks(f.name, f.bytes);
      for (const f of trustFiles) job.addTrust(f.name, f.bytes);
      const json = job.run(optionsJson);
      job.free();
      return json;
    } catch (e) {
      if (!isTrap(e)) job.free(); // a trapped instance must not be touched again
      throw e;
    }
  });
}

function isTrap(e) {
  return typeof WebAssembly === 'object' && e instanceof WebAssembly.RuntimeError;
}

/**
 * Runs a call into the module; a trap (a panic in Rust, a bug) marks the
 * instance unusable and becomes an Error carrying the panic message.
 */
function guarded(call) {
  try {
    return call();
  } catch (e) {
    if (isTrap(e)) {
      let panic;
      try {
        panic = lastPanic();
      } catch {
        panic = undefined;
      }
      crashed = String(panic ?? e.message).replace(/\s*\n\s*/g, ' ');
      throw new Error(`sigaudit crashed, a bug: please report it with the input. ${crashed}`, { cause: e });
    }
    throw e;
  }
}

/**
 * The files embedded in a PDF (attachments; the broker's sealed workflow PDFs
 * carry workflow_token.jwt, its certificate and OCSP response): the same files
 * `sigaudit verify --extract DIR` writes. Bytes that are not a readable PDF
 * give an empty array. Returns [{name, bytes, mediaType}] (mediaType may be
 * undefined).
 */
export function embeddedFiles(pdf) {
  ensureReady();
  const bytes = toBytes(pdf, 'pdf');
  return guarded(() => {
    const list = new EmbeddedFiles(bytes);
    try {
      const out = [];
      for (let i = 0; i < list.count(); i++) {
        out.push({ name: list.name(i), bytes: list.bytes(i), mediaType: list.mime(i) });
      }
      list.free();
      return out;
    } catch (e) {
      if (!isTrap(e)) list.free();
      throw e;
    }
  });
}

/**
 * Verifies one bundle of evidence; the report as a plain object, equal to
 * JSON.parse of the CLI's `--format json` output.
 */
export function verify(files, options) {
  return JSON.parse(verifyJson(files, options));
}
