// Checks a parsed report against the types declared in pkg/index.d.ts (or
// wasm/index.d.ts), so the declarations cannot drift from what the Rust core
// serialises. A deliberately small reader of that one file: it knows
// `export interface X { member?: type; }`, string-literal unions, and the
// `type: 'x'` tags of the Fact union.

import fs from 'node:fs';

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

/** Reads the interfaces and string-literal unions of a .d.ts file. */
export function readDeclarations(file) {
  const text = stripComments(fs.readFileSync(file, 'utf8'));
  const interfaces = {};
  for (const m of text.matchAll(/export interface (\w+)\s*\{([\s\S]*?)\n\}/g)) {
    const members = {};
    for (const line of m[2].split(/;\s*\n|\n/)) {
      const mm = line.trim().match(/^(\w+)(\??):\s*(.+?);?$/);
      if (mm) members[mm[1]] = { optional: mm[2] === '?', type: mm[3].trim() };
    }
    interfaces[m[1]] = members;
  }
  const unions = {};
  for (const m of text.matchAll(/export type (\w+)\s*=([\s\S]*?);\s*\n/g)) {
    const body = m[2];
    const literals = [...body.matchAll(/'([^']*)'/g)].map((x) => x[1]);
    if (literals.length && /^[\s|'a-z_0-9.-]*$/i.test(body)) unions[m[1]] = new Set(literals);
  }
  const factBody = text.match(/export type Fact\s*=([\s\S]*?);\s*\n\n/);
  const factTypes = new Set(factBody ? [...factBody[1].matchAll(/type:\s*'(\w+)'/g)].map((x) => x[1]) : []);
  return { interfaces, unions, factTypes };
}

/** Returns a list of problems (empty when the report fits the declarations). */
export function checkReport(report, decl) {
  const problems = [];
  const where = [];
  const fail = (msg) => problems.push(`${where.join('')}: ${msg}`);
  const statuses = decl.unions.Status;
  const kinds = decl.unions.NodeKind;

  function object(value, iface) {
    const members = decl.interfaces[iface];
    if (!members) return fail(`no interface ${iface} in index.d.ts`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail(`${iface}: not an object`);
    for (const key of Object.keys(value)) {
      if (!(key in members)) fail(`${iface}: member '${key}' is not declared in index.d.ts`);
    }
    for (const [key, m] of Object.entries(members)) {
      if (!(key in value) && !m.optional) fail(`${iface}: declared member '${key}' is missing`);
    }
    for (const [key, m] of Object.entries(members)) {
      if (!(key in value)) continue;
      const v = value[key];
      where.push(`.${key}`);
      scalar(v, m.type);
      where.pop();
    }
  }

  function scalar(v, type) {
    const t = type.replace(/\s+/g, ' ');
    const union = decl.unions[t];
    if (union) {
      if (!union.has(v)) fail(`${JSON.stringify(v)} is not a ${t}`);
      return;
    }
    if (t === 'string') return typeof v === 'string' || fail('not a string');
    if (t === 'number') return (typeof v === 'number' && Number.isInteger(v)) || fail('not an integer');
    if (t === 'boolean') return typeof v === 'boolean' || fail('not a boolean');
    if (t === 'string[]') return (Array.isArray(v) && v.every((x) => typeof x === 'string')) || fail('not a string[]');
    if (t === 'Status | null') return v === null || statuses.has(v) || fail(`${JSON.stringify(v)} is not a Status or null`);
    if (t === 'CheckId') return typeof v === 'string' || fail('not a string id');
    if (/^'[^']*'( \| '[^']*')*$/.test(t)) {
      const allowed = [...t.matchAll(/'([^']*)'/g)].map((x) => x[1]);
      return allowed.includes(v) || fail(`${JSON.stringify(v)} is not one of ${t}`);
    }
    if (t === 'Fact[]') return list(v, fact);
    const arr = t.match(/^(\w+)\[\]$/);
    if (arr && decl.interfaces[arr[1]]) return list(v, (x) => object(x, arr[1]));
    if (decl.interfaces[t]) return object(v, t);
    fail(`the check does not know the declared type '${t}'`);
  }

  function list(v, each) {
    if (!Array.isArray(v)) return fail('not an array');
    v.forEach((x, i) => {
      where.push(`[${i}]`);
      each(x);
      where.pop();
    });
  }

  function fact(f) {
    if (f === null || typeof f !== 'object') return fail('fact: not an object');
    const keys = Object.keys(f).join(',');
    if (keys !== 'name,type,value') return fail(`fact: members ${keys}, expected name,type,value`);
    if (typeof f.name !== 'string') fail('fact: name is not a string');
    if (!decl.factTypes.has(f.type)) return fail(`fact type '${f.type}' is not declared in the Fact union`);
    const v = f.value;
    const ok = {
      text: () => typeof v === 'string',
      time: () => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v),
      period: () => v && typeof v.from === 'string' && typeof v.to === 'string' && Object.keys(v).join() === 'from,to',
      digest: () => v && typeof v.alg === 'string' && /^[0-9a-f]*$/.test(v.hex) && Object.keys(v).join() === 'alg,hex',
      int: () => typeof v === 'number' && Number.isInteger(v),
      bool: () => typeof v === 'boolean',
      list: () => Array.isArray(v) && v.every((x) => typeof x === 'string'),
    }[f.type];
    if (ok && !ok()) fail(`fact '${f.name}' of type ${f.type} has value ${JSON.stringify(v)}`);
  }

  if (!statuses || !kinds) return ['index.d.ts declares no Status or NodeKind union'];
  where.push('report');
  object(report, 'Report');
  return problems;
}

const snake = (s) => s.replace(/[a-z0-9][A-Z]/g, (m) => m[0] + '_' + m[1]).toLowerCase();
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** The variants / fields of a Rust `pub enum` / `pub struct` in a source file. */
function rustItems(file, kind, name) {
  const text = fs.readFileSync(file, 'utf8').replace(/\/\/[^\n]*/g, '');
  const m = text.match(new RegExp(`pub ${kind} ${name}\\s*\\{([\\s\\S]*?)\\n\\}`));
  if (!m) return null;
  if (kind === 'enum') return [...m[1].matchAll(/^\s*(\w+)\s*[,{(]/gm)].map((x) => x[1]);
  return [...m[1].matchAll(/^\s*pub (\w+):/gm)].map((x) => x[1]);
}

/**
 * Compares index.d.ts with the Rust sources, for what the vectors may not
 * exercise: every NodeKind variant, every Options field (the JS options), every
 * PolicySummary and InputSummary field. Returns {problems, warnings}: something
 * Rust has and index.d.ts lacks is a problem; the reverse (declared but no
 * longer produced, harmless to TypeScript users) only a warning.
 */
export function checkAgainstRust(root, decl) {
  const problems = [];
  const warnings = [];
  const same = (what, rust, ts) => {
    if (rust === null) return problems.push(`${what}: not found in the Rust source (moved? update tests/node/shape.mjs)`);
    const r = new Set(rust);
    const missing = [...r].filter((x) => !ts.has(x));
    const extra = [...ts].filter((x) => !r.has(x));
    if (missing.length) problems.push(`${what}: in Rust but not in index.d.ts: ${missing.join(', ')}`);
    if (extra.length) warnings.push(`${what}: in index.d.ts but not in Rust: ${extra.join(', ')}`);
  };
  const report = `${root}/src/report/mod.rs`;
  same('NodeKind', rustItems(report, 'enum', 'NodeKind')?.map(snake) ?? null, decl.unions.NodeKind ?? new Set());
  same('Status', rustItems(report, 'enum', 'Status')?.map((s) => s.toLowerCase()) ?? null, decl.unions.Status ?? new Set());
  same('PolicySummary', rustItems(report, 'struct', 'PolicySummary'), new Set(Object.keys(decl.interfaces.PolicySummary ?? {})));
  same('InputSummary', rustItems(report, 'struct', 'InputSummary'), new Set(Object.keys(decl.interfaces.InputSummary ?? {})));
  const options = rustItems(`${root}/src/policy.rs`, 'struct', 'Options');
  same('VerifyOptions', options && [...options.map(camel), 'jwks', 'trust'], new Set(Object.keys(decl.interfaces.VerifyOptions ?? {})));
  return { problems, warnings };
}
