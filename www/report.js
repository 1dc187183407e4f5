// Renders a sigaudit Report (src/report/mod.rs, src/report/fact.rs) as DOM.
//
// Every string in a report may come from the evidence (claims, subjects, file
// names), which an attacker controls: text is only ever set with textContent
// or createTextNode, never as HTML.

/** Creates an element: h('p', {class: 'x'}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(document.createTextNode(String(c)));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes (no children text). */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// ---------------------------------------------------------------- statuses

/** Icon paths (24x24, stroked) and words for each status; null = not checked. */
export const STATUS = {
  pass: { word: 'Pass', icon: 'M5 12.5l4.5 4.5L19 7.5' },
  warn: { word: 'Warning', icon: 'M12 8v5M12 16.6v.1' },
  indeterminate: { word: 'Indeterminate', icon: 'M9.6 9.3a2.5 2.5 0 1 1 3.4 2.3c-.7.3-1 .9-1 1.6v.4M12 16.6v.1' },
  fail: { word: 'Fail', icon: 'M8 8l8 8M16 8l-8 8' },
  none: { word: 'Not checked', icon: 'M8 12h8' },
};

/** The bottom line, in words. */
export const VERDICT = {
  pass: 'Valid',
  warn: 'Valid with warnings',
  indeterminate: 'Cannot be decided',
  fail: 'INVALID',
};

export function statusIcon(status, cls = 'icon') {
  const st = STATUS[status] || STATUS.none;
  const svg = s('svg', { viewBox: '0 0 24 24', class: cls, 'aria-hidden': 'true', focusable: 'false' });
  if (status === 'warn') {
    svg.append(s('path', { d: 'M12 3.2 22 20.5H2z', class: 'icon-shape' }));
  } else if (status === 'fail') {
    svg.append(s('path', { d: 'M8.3 2.5h7.4l5.3 5.3v7.4l-5.3 5.3H8.3L3 15.2V7.8z', class: 'icon-shape' }));
  } else {
    svg.append(s('circle', { cx: 12, cy: 12, r: 9.5, class: 'icon-shape' }));
  }
  svg.append(s('path', { d: st.icon, class: 'icon-glyph' }));
  return svg;
}

/** A status mark: icon and word, never colour alone. */
export function mark(status) {
  const key = status || 'none';
  return h('span', { class: `mark mark-${key}` }, statusIcon(key), h('span', { class: 'mark-word' }, (STATUS[key] || STATUS.none).word));
}

// ---------------------------------------------------------------- formatting

/** "2024-05-07T13:10:53Z" -> "2024-05-07 13:10:53 UTC"; other text unchanged. */
export function formatTime(rfc3339) {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return String(rfc3339);
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(19, 23) === '.000' ? '' : iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac} UTC`;
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** A rough human duration: "5 minutes", "1 hour", "20 years". */
export function formatDuration(ms) {
  const sec = Math.round(Math.abs(ms) / 1000);
  const units = [[365.25 * 86400, 'year'], [30.44 * 86400, 'month'], [86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [size, name] of units) {
    if (sec >= size) {
      const v = Math.round((sec / size) * 10) / 10;
      const shown = v >= 10 || Number.isInteger(v) ? Math.round(v) : v;
      return `${shown} ${name}${shown === 1 ? '' : 's'}`;
    }
  }
  return '0 seconds';
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

const KIND_LABEL = {
  inputs: 'Inputs',
  token_response: 'Token response',
  id_token: 'ID token',
  access_token: 'Access token',
  transaction_token: 'Transaction token',
  workflow_token: 'Workflow token',
  jwt: 'JWT',
  signing_key: 'Signing key',
  ocsp: 'OCSP response',
  document: 'Document',
  workflow_result: 'Workflow result',
  workflow_status: 'Workflow status',
};

export function kindLabel(kind) {
  if (KIND_LABEL[kind]) return KIND_LABEL[kind];
  const words = String(kind || 'item').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// ---------------------------------------------------------------- copy

let announcer = null;
/** Says something to screen readers without moving focus. */
export function announce(text) {
  if (!announcer) {
    announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.append(announcer);
  }
  announcer.textContent = '';
  setTimeout(() => { announcer.textContent = text; }, 30);
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Fallback for browsers without the async clipboard in this context.
    const ta = h('textarea', { class: 'visually-hidden', readonly: true });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    ta.remove();
    return ok;
  }
}

/** A monospace value in its own scroll box, with a Copy button. */
export function monoValue(text, what) {
  const btn = h('button', { type: 'button', class: 'copy', 'aria-label': `Copy ${what}`, title: `Copy ${what}` }, 'Copy');
  btn.addEventListener('click', async () => {
    const ok = await copyText(text);
    btn.textContent = ok ? 'Copied' : 'Copy failed';
    btn.classList.toggle('copied', ok);
    announce(ok ? `${what} copied to the clipboard` : 'Copying failed');
    setTimeout(() => { btn.textContent = 'Copy'; btn.classList.remove('copied'); }, 1600);
  });
  return h('span', { class: 'mono-value' },
    h('code', { class: 'mono scroll', tabindex: '0', 'data-copy': text }, text), btn);
}

// ---------------------------------------------------------------- facts

/** Fact names whose text values are identifiers best read in monospace. */
const MONO_NAME = /(sha|hash|serial|thumbprint|fingerprint|digest|kid|x5t|nonce|jti|^sub$|_id$|^id$|oid)/i;
const HEXISH = /^[0-9A-Fa-f:]{16,}$/;

function factValue(fact) {
  const v = fact.value;
  switch (fact.type) {
    case 'time':
      return h('time', { datetime: v }, formatTime(v));
    case 'period': {
      const ms = Date.parse(v.to) - Date.parse(v.from);
      return h('span', { class: 'period' },
        h('time', { datetime: v.from }, formatTime(v.from)), ' → ', h('time', { datetime: v.to }, formatTime(v.to)),
        Number.isNaN(ms) ? null : h('span', { class: 'muted' }, ` (${formatDuration(ms)})`));
    }
    case 'digest':
      return h('span', { class: 'digest' }, h('span', { class: 'alg' }, v.alg), monoValue(v.hex, `${fact.name} (${v.alg})`));
    case 'int':
      return h('span', null, String(v));
    case 'bool':
      return h('span', null, v ? 'true' : 'false');
    case 'list': {
      const items = Array.isArray(v) ? v : [];
      if (items.length === 0) return h('span', { class: 'muted' }, '(none)');
      const mono = MONO_NAME.test(fact.name);
      if (items.length === 1) return mono ? monoValue(items[0], fact.name) : h('span', { class: 'text-value' }, items[0]);
      return h('ul', { class: 'value-list' }, items.map((i) => h('li', null, mono ? monoValue(i, fact.name) : h('span', { class: 'text-value' }, i))));
    }
    default: {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      if (MONO_NAME.test(fact.name) || HEXISH.test(text)) return monoValue(text, fact.name);
      return h('span', { class: 'text-value' }, text);
    }
  }
}

export function renderFacts(facts, cls = 'facts-list') {
  return h('dl', { class: cls }, facts.map((f) =>
    h('div', { class: 'fact', dataset: { type: f.type } },
      h('dt', null, f.name),
      h('dd', null, factValue(f)))));
}

// ---------------------------------------------------------------- nodes

/** Walks nodes depth first: fn(node, path) with path like "0.1". */
export function walk(nodes, fn, prefix = '') {
  nodes.forEach((n, i) => {
    const path = prefix ? `${prefix}-${i}` : String(i);
    fn(n, path);
    walk(n.children || [], fn, path);
  });
}

function renderCheck(check, id) {
  const ev = check.evidence || [];
  return h('li', { class: `check status-${check.status}`, id, dataset: { checkId: check.id, status: check.status } },
    h('div', { class: 'check-head' }, mark(check.status), h('code', { class: 'check-id' }, check.id)),
    h('p', { class: 'check-msg' }, check.message),
    ev.length ? h('details', { class: 'evidence', open: check.status !== 'pass' },
      h('summary', null, `Evidence (${ev.length})`),
      renderFacts(ev)) : null);
}

function renderNode(node, path, depth) {
  const level = Math.min(3 + depth, 6);
  const titleId = `node-${path}-title`;
  const checks = node.checks || [];
  const facts = node.facts || [];
  const children = node.children || [];
  const counts = { pass: 0, warn: 0, indeterminate: 0, fail: 0 };
  for (const c of checks) counts[c.status] = (counts[c.status] || 0) + 1;
  const tally = Object.entries(counts).filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k === 'indeterminate' ? 'indeterminate' : STATUS[k].word.toLowerCase()}`).join(' · ');

  return h('section', {
    class: `node depth-${Math.min(depth, 3)} verdict-${node.verdict || 'none'}`,
    id: `node-${path}`,
    'aria-labelledby': titleId,
    dataset: { kind: node.kind, verdict: node.verdict || 'none' },
  },
  h('header', { class: 'node-head' },
    mark(node.verdict),
    h(`h${level}`, { id: titleId, class: 'node-title' }, node.subject),
    h('span', { class: 'kind-tag' }, kindLabel(node.kind))),
  facts.length ? h('details', { class: 'node-facts', open: facts.length <= 16 && !narrow() },
    h('summary', null, `Facts (${facts.length})`), renderFacts(facts)) : null,
  checks.length ? h('div', { class: 'checks-block' },
    h('p', { class: 'checks-tally' }, `${plural(checks.length, 'check')}: ${tally}`),
    h('ul', { class: 'checks' }, checks.map((c, i) => renderCheck(c, `check-${path}-${i}`)))) : null,
  children.length ? h('div', { class: 'children' }, children.map((c, i) => renderNode(c, `${path}-${i}`, depth + 1))) : null);
}

/** On a phone, descriptive facts start folded so the checks come first. */
function narrow() {
  return typeof matchMedia === 'function' && matchMedia('(max-width: 520px)').matches;
}

export function renderNodes(report) {
  return (report.nodes || []).map((n, i) => renderNode(n, String(i), 0));
}

// ---------------------------------------------------------------- summary

function explanation(report) {
  const c = report.counts || { pass: 0, warn: 0, indeterminate: 0, fail: 0 };
  const total = c.pass + c.warn + c.indeterminate + c.fail;
  const at = report.policy && report.policy.validation_time;
  const when = at === 'signing' ? "at each item's own signing time" : `as of ${formatTime(at)}`;
  if (total === 0) return 'Nothing in these files could be checked, so nothing is proven.';
  switch (report.verdict) {
    case 'pass':
      return `All ${plural(total, 'check')} passed, judged ${when}.`;
    case 'warn':
      return `Nothing failed, but ${plural(c.warn, 'check')} raised a caveat worth reading (judged ${when}).`;
    case 'indeterminate':
      return `Nothing was found to be wrong, but ${plural(c.indeterminate, 'check')} could not be decided from the evidence given (judged ${when}); that is not proof of forgery.`;
    case 'fail':
      return `${plural(c.fail, 'check')} failed: this evidence does not hold up (judged ${when}).`;
    default:
      return '';
  }
}

function problemList(report) {
  const items = [];
  walk(report.nodes || [], (node, path) => {
    (node.checks || []).forEach((c, i) => {
      if (c.status !== 'pass') items.push({ c, node, id: `check-${path}-${i}` });
    });
  });
  const rank = { fail: 0, indeterminate: 1, warn: 2 };
  items.sort((a, b) => rank[a.c.status] - rank[b.c.status]);
  if (!items.length) return null;
  const shown = items.slice(0, 12);
  return h('div', { class: 'problems' },
    h('h3', null, 'Needs attention'),
    h('ul', null, shown.map(({ c, node, id }) => h('li', { class: `status-${c.status}` },
      mark(c.status),
      h('span', { class: 'problem-text' },
        h('a', { href: `#${id}`, class: 'check-id' }, c.id), ' ', c.message,
        h('span', { class: 'problem-where' }, ` (${kindLabel(node.kind)})`))))),
    items.length > shown.length ? h('p', { class: 'muted' }, `…and ${items.length - shown.length} more below.`) : null);
}

function contextList(report, meta) {
  const p = report.policy || {};
  const rows = [];
  rows.push(['Validation time', p.validation_time === 'signing'
    ? "each item's own signing time (as its signer claims it)" : formatTime(p.validation_time)]);
  rows.push(['Environment', p.env ? p.env.toUpperCase() : 'none']);
  rows.push(['Tolerances', `${p.leeway_seconds} s clock leeway${p.ocsp_skew_seconds !== undefined ? `, ${p.ocsp_skew_seconds} s OCSP skew` : ''}`]);
  const expected = [['issuer', 'Issuer'], ['audience', 'Audience'], ['nonce', 'Nonce'], ['reference_text', 'Reference text'],
    ['max_auth_age_seconds', 'Max. authentication age'], ['min_level', 'Minimum level'], ['idp', 'Identity provider'],
    ['identity_type', 'Identity type']];
  for (const [k, label] of expected) {
    if (p[k] === undefined || p[k] === null) continue;
    // audience is a list (any of its values passes).
    const text = k === 'max_auth_age_seconds' ? `${p[k]} s` : Array.isArray(p[k]) ? p[k].join(', ') : String(p[k]);
    rows.push([label, text]);
  }
  if ((p.trusted_key_files || []).length) rows.push(['Trusted key files', p.trusted_key_files.join(', ')]);
  if ((p.trust_anchor_files || []).length) rows.push(['Trust anchors', p.trust_anchor_files.join(', ')]);
  rows.push(['Verified by', `sigaudit ${report.sigaudit} on this device${meta && meta.ms !== undefined ? ` in ${meta.ms < 1000 ? `${Math.max(1, Math.round(meta.ms))} ms` : `${(meta.ms / 1000).toFixed(1)} s`}` : ''}`]);
  return h('dl', { class: 'context-list' }, rows.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))));
}

function inputsTable(report) {
  const inputs = report.inputs || [];
  if (!inputs.length) return null;
  return h('div', { class: 'inputs' },
    h('h3', null, `Files examined (${inputs.length})`),
    h('ul', { class: 'input-list' }, inputs.map((f) => h('li', null,
      h('div', { class: 'input-head' },
        h('span', { class: 'input-name' }, f.name),
        h('span', { class: 'muted' }, ` ${formatBytes(f.size)} · ${f.kind}`)),
      h('div', { class: 'input-hash' }, h('span', { class: 'alg' }, 'SHA-256'), monoValue(f.sha256, `SHA-256 of ${f.name}`))))));
}

/** The bottom line: verdict in words and colour, one sentence, counts, context. */
export function renderSummary(report, meta) {
  const v = report.verdict || 'indeterminate';
  const c = report.counts || { pass: 0, warn: 0, indeterminate: 0, fail: 0 };
  const chip = (status, n, word) => h('li', { class: `count count-${status}${n ? '' : ' zero'}` }, statusIcon(status), h('span', null, `${n} ${word}`));
  return h('div', { class: `summary-card verdict-${v}`, dataset: { verdict: v } },
    h('div', { class: 'verdict-row' },
      statusIcon(v, 'verdict-icon'),
      h('div', { class: 'verdict-text' },
        h('p', { class: 'verdict-label' }, 'Result'),
        h('p', { class: 'verdict-word', id: 'verdict-word' }, VERDICT[v] || v),
        h('p', { class: 'verdict-explain', id: 'verdict-explain' }, explanation(report)))),
    h('ul', { class: 'counts', 'aria-label': 'Checks by outcome' },
      chip('pass', c.pass, 'passed'),
      chip('warn', c.warn, c.warn === 1 ? 'warning' : 'warnings'),
      chip('indeterminate', c.indeterminate, 'indeterminate'),
      chip('fail', c.fail, 'failed')),
    problemList(report),
    h('div', { class: 'summary-grid' }, contextList(report, meta), inputsTable(report)));
}
