// The verification worker (a module Web Worker): reads the files and runs the
// WebAssembly verifier off the page's thread, so a 50 MB PDF never freezes the
// page. It loads nothing but ../pkg/ (the wasm-bindgen package built by
// scripts/build-wasm.sh) and talks to app.js by messages:
//
//   in:  {id, type: 'version'}
//        {id, type: 'verify', evidence: [{name, file}], jwks: [...], trust: [...], options}
//   out: {id, type: 'progress', stage: 'engine' | 'reading' | 'verifying', loaded?, total?, file?}
//        {id, type: 'done', version?, json?, ms?, embedded?: [{from, name, bytes, mediaType}]}
//        {id, type: 'error', message}

let engine = null;

async function loadEngine() {
  if (!engine) {
    let mod;
    try {
      mod = await import('../pkg/index.js');
    } catch (e) {
      throw new Error(`The verification engine (pkg/index.js) could not be loaded: ${e && e.message ? e.message : e}. Build it with scripts/build-wasm.sh.`);
    }
    await mod.init();
    engine = mod;
  }
  return engine;
}

/** Reads every file into memory, reporting progress by bytes. */
async function readAll(id, groups) {
  const all = groups.flat();
  const total = all.reduce((n, e) => n + e.file.size, 0);
  let loaded = 0;
  let last = 0;
  const report = (name, force) => {
    const now = Date.now();
    if (force || now - last > 80) {
      last = now;
      postMessage({ id, type: 'progress', stage: 'reading', loaded, total, file: name });
    }
  };
  const out = [];
  for (const group of groups) {
    const read = [];
    for (const { name, file } of group) {
      const bytes = new Uint8Array(file.size);
      let offset = 0;
      const changed = `'${name}' could not be read: it changed or was removed after it was chosen. Add it again.`;
      try {
        const reader = file.stream().getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (offset + value.length > bytes.length) throw new Error(changed);
          bytes.set(value, offset);
          offset += value.length;
          loaded += value.length;
          report(name, false);
        }
      } catch (e) {
        throw e && e.message === changed ? e : new Error(`${changed} (${e && e.message ? e.message : e})`);
      }
      if (offset !== bytes.length) throw new Error(changed);
      read.push({ name, bytes });
    }
    out.push(read);
  }
  report('', true);
  return out;
}

/** A PDF header (`%PDF-`) within the first 1024 bytes (ISO 32000-1 §7.5.2 lets junk precede it). */
function looksLikePdf(bytes) {
  const n = Math.min(bytes.length, 1024);
  for (let i = 0; i + 5 <= n; i++) {
    if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x46 && bytes[i + 4] === 0x2d) return true;
  }
  return false;
}

async function handle(msg) {
  const { id } = msg;
  if (msg.type === 'version') {
    const api = await loadEngine();
    postMessage({ id, type: 'done', version: api.version() });
    return;
  }
  if (msg.type === 'verify') {
    postMessage({ id, type: 'progress', stage: 'engine' });
    const api = await loadEngine();
    const [evidence, jwks, trust] = await readAll(id, [msg.evidence, msg.jwks || [], msg.trust || []]);
    postMessage({ id, type: 'progress', stage: 'verifying' });
    const options = { ...msg.options };
    if (jwks.length) options.jwks = jwks;
    if (trust.length) options.trust = trust;
    const started = performance.now();
    // verifyJson returns exactly the text the CLI prints with --format json;
    // the page parses it and offers the same text for download.
    const json = api.verifyJson(evidence, options);
    const ms = performance.now() - started;
    // Files embedded in the PDFs, offered for download by the page.
    const embedded = [];
    for (const f of evidence) {
      if (!looksLikePdf(f.bytes)) continue;
      for (const e of api.embeddedFiles(f.bytes)) embedded.push({ ...e, from: f.name });
    }
    postMessage({ id, type: 'done', json, ms, embedded, version: api.version() }, embedded.map((e) => e.bytes.buffer));
    return;
  }
  throw new Error(`unknown request '${msg.type}'`);
}

self.addEventListener('message', (event) => {
  const msg = event.data || {};
  handle(msg).catch((e) => {
    postMessage({ id: msg.id, type: 'error', message: e && e.message ? e.message : String(e) });
  });
});
