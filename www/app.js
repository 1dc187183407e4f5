// The offline verifier page: collects files and options, hands them to the
// worker (worker.js, which runs the WebAssembly verifier), and renders the
// report. No framework, no build step, no network: see index.html's CSP.

import { h, formatBytes, formatTime, renderSummary, renderNodes, announce } from './report.js';
import { renderTimeline } from './timeline.js';

const $ = (id) => document.getElementById(id);

const state = {
  evidence: [], // [{name, file}]
  jwks: [],
  trust: [],
  json: null, // the exact verifyJson text of the last run
  report: null,
  embedded: [], // files embedded in the PDFs: [{from, name, bytes, mediaType}]
  finishedAt: null,
};

// ---------------------------------------------------------------- worker

let worker = null;
let seq = 0;
const pending = new Map();

function getWorker() {
  if (!worker) {
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'sigaudit-verifier' });
    worker.addEventListener('message', (event) => {
      const msg = event.data || {};
      const p = pending.get(msg.id);
      if (!p) return;
      if (msg.type === 'progress') { if (p.onProgress) p.onProgress(msg); return; }
      pending.delete(msg.id);
      if (msg.type === 'done') p.resolve(msg);
      else p.reject(new Error(msg.message || 'verification failed'));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      failAll(new Error(event.message || 'the verification worker could not start'));
      resetWorker();
    });
  }
  return worker;
}

function failAll(err) {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function resetWorker() {
  if (worker) worker.terminate();
  worker = null;
}

function call(type, payload, onProgress) {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    getWorker().postMessage({ id, type, ...payload });
  });
}

// ---------------------------------------------------------------- file lists

function fileKey(e) {
  return `${e.name}\u0000${e.file.size}\u0000${e.file.lastModified}`;
}

function addFiles(list, entries) {
  const seen = new Set(list.map(fileKey));
  for (const e of entries) {
    if (!seen.has(fileKey(e))) { list.push(e); seen.add(fileKey(e)); }
  }
}

function guessKind(name) {
  const ext = (name.split('.').pop() || '').toLowerCase();
  return ({
    pdf: 'PDF', jwt: 'token', txt: 'text', json: 'JSON', pem: 'PEM', crt: 'certificate', cer: 'certificate',
    der: 'DER', jwks: 'JWKS', ocsp: 'OCSP', p7s: 'CMS', xml: 'XML',
  })[ext] || 'file';
}

function renderFileList(ul, list, what) {
  ul.replaceChildren(...list.map((e, i) => h('li', { class: 'file-item' },
    h('span', { class: 'file-kind' }, guessKind(e.name)),
    h('span', { class: 'file-name' }, e.name),
    h('span', { class: 'file-size' }, formatBytes(e.file.size)),
    h('button', {
      type: 'button', class: 'btn-icon', 'aria-label': `Remove ${e.name} from the ${what}`, title: 'Remove',
      onclick: () => {
        list.splice(i, 1);
        refreshLists();
        announce(`${e.name} removed`);
        const buttons = ul.querySelectorAll('button');
        const fallback = ul.id === 'evidence-list' ? $('dropzone') : ul.parentElement.querySelector('button.picker');
        (buttons[Math.min(i, buttons.length - 1)] || fallback).focus();
      },
    }, '×'))));
  ul.hidden = list.length === 0;
}

function refreshLists() {
  renderFileList($('evidence-list'), state.evidence, 'evidence');
  renderFileList($('jwks-list'), state.jwks, 'trusted key files');
  renderFileList($('trust-list'), state.trust, 'trust anchors');
  const n = state.evidence.length;
  const total = state.evidence.reduce((a, e) => a + e.file.size, 0);
  $('dropzone').classList.toggle('has-files', n > 0);
  $('dropzone').querySelector('.dz-title').firstChild.textContent = n
    ? `${n} file${n === 1 ? '' : 's'} (${formatBytes(total)}). Drop more here, or `
    : 'Drop files here, or ';
  if (n) $('form-error').textContent = '';
}

/** The files of a drop, reading dropped folders recursively (names keep their path). */
async function droppedFiles(dataTransfer) {
  const items = [...(dataTransfer.items || [])].filter((i) => i.kind === 'file');
  // Entries must be taken synchronously, before the event ends.
  const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
  if (!entries.some((e) => e && e.isDirectory)) {
    return [...dataTransfer.files].map((file) => ({ name: file.name, file }));
  }
  const out = [];
  const walkEntry = async (entry) => {
    if (entry.isFile) {
      const file = await new Promise((res, rej) => entry.file(res, rej));
      out.push({ name: entry.fullPath.replace(/^\//, ''), file });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const child of batch) await walkEntry(child);
      }
    }
  };
  for (const e of entries) if (e) await walkEntry(e);
  out.sort((a, b) => a.name.localeCompare(b.name));
  return out;
}

function setupInputs() {
  const dz = $('dropzone');
  const input = $('evidence-input');
  dz.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    addFiles(state.evidence, [...input.files].map((file) => ({ name: file.name, file })));
    input.value = '';
    refreshLists();
    announce(`${state.evidence.length} evidence file${state.evidence.length === 1 ? '' : 's'} selected`);
  });
  for (const btn of document.querySelectorAll('button.picker')) {
    btn.addEventListener('click', () => $(btn.dataset.input).click());
  }
  for (const [id, list] of [['jwks-input', state.jwks], ['trust-input', state.trust]]) {
    const el = $(id);
    el.addEventListener('change', () => {
      addFiles(list, [...el.files].map((file) => ({ name: file.name, file })));
      el.value = '';
      refreshLists();
    });
  }

  // Drops anywhere on the input view count as evidence; elsewhere they are
  // ignored rather than letting the browser navigate to the file.
  let depth = 0;
  const view = $('input-view');
  window.addEventListener('dragover', (e) => { e.preventDefault(); });
  window.addEventListener('drop', (e) => { e.preventDefault(); });
  view.addEventListener('dragenter', (e) => { e.preventDefault(); depth += 1; dz.classList.add('dragging'); });
  view.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) dz.classList.remove('dragging'); });
  view.addEventListener('drop', async (e) => {
    e.preventDefault();
    depth = 0;
    dz.classList.remove('dragging');
    if (!e.dataTransfer) return;
    addFiles(state.evidence, await droppedFiles(e.dataTransfer));
    refreshLists();
    announce(`${state.evidence.length} evidence file${state.evidence.length === 1 ? '' : 's'} selected`);
  });
}

// ---------------------------------------------------------------- options

function radio(name) {
  const el = document.querySelector(`input[name="${name}"]:checked`);
  return el ? el.value : '';
}

/** RFC 3339 without milliseconds. */
function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The specific validation time from the date-time field and zone, or null. */
function specificTime() {
  const v = $('at-datetime').value;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(v);
  if (!m) return null;
  const [y, mo, d, hh, mi, ss] = m.slice(1).map((x) => Number(x || 0));
  const ms = $('at-zone').value === 'local' ? new Date(y, mo - 1, d, hh, mi, ss).getTime() : Date.UTC(y, mo - 1, d, hh, mi, ss);
  return Number.isNaN(ms) ? null : iso(ms);
}

function updateAtFields() {
  const mode = radio('at-mode');
  $('at-fields').hidden = mode !== 'at';
  const t = specificTime();
  $('at-preview').textContent = mode === 'at'
    ? (t ? `The evidence will be judged as of ${formatTime(t)} (${t}).` : 'Enter a date and time.')
    : '';
}

class FormError extends Error {}

function collectOptions() {
  const opts = {};
  const mode = radio('at-mode');
  if (mode === 'now') opts.at = iso(Date.now());
  else if (mode === 'signing') opts.at = 'signing';
  else {
    const t = specificTime();
    if (!t) { $('at-datetime').focus(); throw new FormError('Enter the date and time to validate at.'); }
    opts.at = t;
  }
  const env = radio('env');
  if (env) opts.env = env;
  for (const [id, key] of [['opt-issuer', 'issuer'], ['opt-audience', 'audience'], ['opt-nonce', 'nonce'],
    ['opt-reference-text', 'referenceText'], ['opt-idp', 'idp'], ['opt-identity-type', 'identityType'], ['opt-min-level', 'minLevel']]) {
    const v = $(id).value;
    if (key === 'audience') {
      // Several audiences (client id, organisation TIN), separated by commas or
      // whitespace: any of them passes. One value goes as a string, several as an array.
      const list = v.split(/[\s,]+/).filter((a) => a !== '');
      if (list.length) opts.audience = list.length === 1 ? list[0] : list;
      continue;
    }
    // Reference texts are compared exactly, spaces included; others are trimmed.
    const value = key === 'referenceText' ? v : v.trim();
    if (value !== '') opts[key] = value;
  }
  for (const [id, key, label] of [['opt-max-age', 'maxAge', 'Maximum authentication age'], ['opt-leeway', 'leeway', 'Clock leeway'],
    ['opt-ocsp-skew', 'ocspSkew', 'OCSP clock skew']]) {
    const v = $(id).value.trim();
    if (v === '') continue;
    if (!/^\d+$/.test(v)) {
      $('expect-card').open = true;
      $(id).focus();
      throw new FormError(`${label} must be a whole number of seconds.`);
    }
    opts[key] = Number(v);
  }
  return opts;
}

// ---------------------------------------------------------------- views

function show(view) {
  $('input-view').hidden = view !== 'input';
  $('progress-view').hidden = view !== 'progress';
  $('result-view').hidden = view !== 'result';
}

function setProgress(msg) {
  const bar = $('progress-bar');
  const text = $('progress-text');
  if (msg.stage === 'engine') {
    bar.removeAttribute('value');
    text.textContent = 'Starting the verifier…';
  } else if (msg.stage === 'reading') {
    bar.max = msg.total || 1;
    bar.value = msg.loaded;
    text.textContent = `Reading files: ${formatBytes(msg.loaded)} of ${formatBytes(msg.total)}`;
  } else if (msg.stage === 'verifying') {
    bar.removeAttribute('value');
    text.textContent = 'Verifying signatures, certificates and claims…';
  }
}

let running = null;

async function onSubmit(event) {
  event.preventDefault();
  const err = $('form-error');
  err.textContent = '';
  if (!state.evidence.length) {
    err.textContent = 'Add at least one evidence file to verify.';
    $('dropzone').focus();
    return;
  }
  let options;
  try {
    options = collectOptions();
  } catch (e) {
    err.textContent = e.message;
    return;
  }
  show('progress');
  setProgress({ stage: 'engine' });
  $('progress-heading').focus();
  const job = { cancelled: false };
  running = job;
  let result;
  try {
    result = await call('verify', {
      evidence: state.evidence, jwks: state.jwks, trust: state.trust, options,
    }, setProgress);
  } catch (e) {
    if (job.cancelled) return;
    // A trapped or failed engine is not reused.
    resetWorker();
    show('input');
    err.textContent = `Could not verify: ${e.message}`;
    $('verify-button').focus();
    return;
  } finally {
    if (running === job) running = null;
  }
  if (job.cancelled) return;
  state.json = result.json;
  state.report = JSON.parse(result.json);
  state.embedded = result.embedded || [];
  state.finishedAt = new Date();
  renderResult({ ms: result.ms });
}

function cancel() {
  if (running) running.cancelled = true;
  running = null;
  const err = new Error('cancelled');
  err.cancelled = true;
  failAll(err);
  resetWorker();
  show('input');
  announce('Verification cancelled');
  $('verify-button').focus();
}

function renderResult(meta) {
  const report = state.report;
  show('result');
  $('result-summary').replaceChildren(renderSummary(report, meta));
  $('nodes').replaceChildren(...renderNodes(report));
  const tl = $('timeline-section');
  tl.hidden = false;
  tl.hidden = !renderTimeline(report, $('timeline'));
  renderEmbeddedFiles(state.embedded, $('embedded-files'));
  applyProblemFilter();
  document.title = `${$('verdict-word').textContent} · sigaudit`;
  // #result-summary is a live region, but it was hidden until now; say it too.
  announce(`Result: ${$('verdict-word').textContent}. ${$('verdict-explain').textContent}`);
  $('result-heading').focus();
  window.scrollTo({ top: 0 });
}

/**
 * Offers the files embedded in the supplied PDFs (attachments, the broker's
 * sealed workflow bundle) as downloads; the section stays hidden when there is
 * none. The bytes come from the worker (embeddedFiles() in pkg/), never from
 * the network.
 */
function renderEmbeddedFiles(files, section) {
  section.hidden = files.length === 0;
  $('embedded-list').replaceChildren(...files.map((f) => h('li', { class: 'file-item' },
    h('span', { class: 'file-name' }, f.name),
    h('span', { class: 'file-size' }, `${formatBytes(f.bytes.length)} · in ${f.from}`),
    h('button', {
      type: 'button',
      class: 'btn',
      'aria-label': `Download ${f.name} (embedded in ${f.from})`,
      onclick: () => downloadBytes(f.bytes, safeName(f.name), f.mediaType || 'application/octet-stream'),
    }, 'Download'))));
}

/** A name from a PDF is untrusted: keep the last path component, no control characters. */
function safeName(name) {
  const base = String(name).split(/[\\/]/).pop().replace(/[\u0000-\u001f\u007f]/g, '_');
  return base === '' || base === '.' || base === '..' ? 'embedded-file' : base;
}

/** Saves bytes or text as a file, from memory (Blob + object URL). */
function downloadBytes(data, name, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h('a', { href: url, download: name, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

function downloadJson() {
  if (state.json === null) return;
  const stamp = iso(state.finishedAt.getTime()).replace(/[-:]/g, '').replace('T', '-').replace('Z', 'Z');
  downloadBytes(state.json, `sigaudit-report-${stamp}.json`, 'application/json');
  announce('JSON report downloaded');
}

function applyProblemFilter() {
  $('nodes').classList.toggle('only-problems', $('only-problems').checked);
}

function startOver() {
  state.evidence.length = 0;
  state.jwks.length = 0;
  state.trust.length = 0;
  state.json = null;
  state.report = null;
  state.embedded = [];
  $('verify-form').reset();
  $('trust-card').open = false;
  $('expect-card').open = false;
  updateAtFields();
  refreshLists();
  $('result-summary').replaceChildren();
  $('nodes').replaceChildren();
  $('timeline').replaceChildren();
  document.title = 'sigaudit · offline verifier';
  show('input');
  $('dropzone').focus();
}

function editInputs() {
  show('input');
  document.title = 'sigaudit · offline verifier';
  $('verify-button').focus();
}

// ---------------------------------------------------------------- start

function main() {
  $('load-warning').remove();
  setupInputs();
  refreshLists();
  for (const el of document.querySelectorAll('input[name="at-mode"]')) el.addEventListener('change', updateAtFields);
  $('at-datetime').addEventListener('input', updateAtFields);
  $('at-zone').addEventListener('change', updateAtFields);
  updateAtFields();
  $('verify-form').addEventListener('submit', onSubmit);
  $('cancel-button').addEventListener('click', cancel);
  $('download-json').addEventListener('click', downloadJson);
  $('start-over').addEventListener('click', startOver);
  $('edit-button').addEventListener('click', editInputs);
  $('only-problems').addEventListener('change', applyProblemFilter);
  announce(''); // creates the live region early, so the first message is heard

  loadEngine();
}

/** Loading the engine early makes the first Verify fast and fills the footer. */
function loadEngine() {
  call('version', {}).then(
    (r) => { $('engine-version').textContent = r.version; document.body.dataset.engine = 'ready'; },
    (e) => {
      if (e.cancelled) { loadEngine(); return; } // a Cancel ended the worker it was loading in
      $('engine-version').textContent = '(engine unavailable)';
      document.body.dataset.engine = 'unavailable';
      $('form-error').textContent = e.message;
      resetWorker();
    },
  );
}

main();
