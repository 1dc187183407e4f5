// The timeline: every `time` and `period` fact of a report on one UTC axis,
// with the validation time marked. Drawn as inline SVG, sized to its container,
// plus the same data as a table for screen readers and exact reading.
//
// Evidence mixes scales (a certificate valid for 20 years, a token valid for
// 5 minutes), so when the short items sit in a sliver of the overview a second,
// close-up axis is drawn around them.

import { h, s, formatTime, formatDuration, kindLabel, walk } from './report.js';

const NAME_LABEL = {
  iat: 'issued (iat)',
  nbf: 'not before (nbf)',
  exp: 'expires (exp)',
  auth_time: 'authenticated (auth_time)',
  certificate_validity: 'certificate validity',
};

function nameLabel(name) {
  return NAME_LABEL[name] || name.replace(/_/g, ' ');
}

/** Gathers rows (deduplicated by name and value) and validation-time markers. */
export function collect(report) {
  const rows = new Map();
  const markers = new Map();
  const addMarker = (value, who) => {
    const t = Date.parse(value);
    if (Number.isNaN(t)) return;
    const m = markers.get(t) || { t, value, who: new Set() };
    if (who) m.who.add(who);
    markers.set(t, m);
  };
  const policyTime = report.policy && report.policy.validation_time;
  if (policyTime && policyTime !== 'signing') addMarker(policyTime, null);

  walk(report.nodes || [], (node) => {
    const who = kindLabel(node.kind);
    const facts = [...(node.facts || [])];
    for (const c of node.checks || []) facts.push(...(c.evidence || []));
    for (const f of facts) {
      if (f.type !== 'time' && f.type !== 'period') continue;
      if (f.name === 'validation_time') {
        if (f.type === 'time' && Date.parse(f.value) !== Date.parse(policyTime)) addMarker(f.value, who);
        continue;
      }
      const from = Date.parse(f.type === 'time' ? f.value : f.value.from);
      const to = Date.parse(f.type === 'time' ? f.value : f.value.to);
      if (Number.isNaN(from) || Number.isNaN(to)) continue;
      const key = `${f.name}|${from}|${to}|${f.type}`;
      const row = rows.get(key) || { name: f.name, type: f.type, from, to, raw: f.value, who: [] };
      if (!row.who.includes(who)) row.who.push(who);
      rows.set(key, row);
    }
  });
  const list = [...rows.values()].sort((a, b) => a.from - b.from || a.to - b.to || a.name.localeCompare(b.name));
  return { rows: list, markers: [...markers.values()].sort((a, b) => a.t - b.t) };
}

// ---------------------------------------------------------------- axis ticks

const SEC = 1000; const MIN = 60 * SEC; const HOUR = 60 * MIN; const DAY = 24 * HOUR;
const STEPS = [
  [SEC, 'ms'], [5 * SEC, 'ms'], [15 * SEC, 'ms'], [30 * SEC, 'ms'],
  [MIN, 'ms'], [5 * MIN, 'ms'], [15 * MIN, 'ms'], [30 * MIN, 'ms'],
  [HOUR, 'ms'], [3 * HOUR, 'ms'], [6 * HOUR, 'ms'], [12 * HOUR, 'ms'],
  [DAY, 'ms'], [2 * DAY, 'ms'], [7 * DAY, 'ms'],
  [1, 'month'], [3, 'month'], [6, 'month'],
  [1, 'year'], [2, 'year'], [5, 'year'], [10, 'year'], [20, 'year'], [50, 'year'], [100, 'year'],
];

function approxMs([n, unit]) {
  if (unit === 'ms') return n;
  if (unit === 'month') return n * 30.44 * DAY;
  return n * 365.25 * DAY;
}

function ticks(t0, t1, maxTicks) {
  const span = t1 - t0;
  const step = STEPS.find((st) => span / approxMs(st) <= maxTicks) || STEPS[STEPS.length - 1];
  const [n, unit] = step;
  const out = [];
  if (unit === 'ms') {
    for (let t = Math.ceil(t0 / n) * n; t <= t1; t += n) out.push(t);
  } else {
    const d = new Date(t0);
    let y = d.getUTCFullYear();
    let m = unit === 'year' ? 0 : d.getUTCMonth();
    if (unit === 'year') y = Math.floor(y / n) * n;
    else m = Math.floor(m / n) * n;
    for (let guard = 0; guard < 500; guard += 1) {
      const t = Date.UTC(y, m, 1);
      if (t > t1) break;
      if (t >= t0) out.push(t);
      if (unit === 'year') y += n; else m += n;
    }
  }
  const fmt = (t) => {
    const iso = new Date(t).toISOString();
    if (unit === 'year') return iso.slice(0, 4);
    if (unit === 'month') return iso.slice(0, 7);
    if (n >= DAY) return iso.slice(0, 10);
    if (n >= MIN) return iso.slice(11, 16);
    return iso.slice(11, 19);
  };
  return { ticks: out, fmt, subDay: unit === 'ms' && n < DAY };
}

// ---------------------------------------------------------------- drawing

const PAD_X = 14;
const LINE_H = 16;
const ROW_BASE_H = 36;
const MARKER_LINE_H = 18;
const AXIS_H = 26;

function shortTime(t, span) {
  const iso = new Date(t).toISOString();
  if (span < 2 * DAY) return iso.slice(11, 19);
  if (span < 400 * DAY) return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(0, 10);
}

function rowText(row, span) {
  if (row.type === 'time' || row.from === row.to) return shortTime(row.from, span);
  // A period is written at its own scale, not the axis's: a 20-year validity
  // reads as dates even in a one-hour close-up.
  const scale = Math.max(span, row.to - row.from);
  return `${shortTime(row.from, scale)} → ${shortTime(row.to, scale)} (${formatDuration(row.to - row.from)})`;
}

/** Splits a label into at most two lines of about maxChars, ellipsis on overflow. */
function wrapLabel(text, maxChars) {
  if (text.length <= maxChars) return [text];
  const cut = (t) => (t.length <= maxChars ? t : `${t.slice(0, Math.max(1, maxChars - 1)).trimEnd()}…`);
  let i = text.lastIndexOf(' ', maxChars);
  if (i < maxChars * 0.5) i = maxChars;
  return [text.slice(0, i).trimEnd(), cut(text.slice(i).trimStart())];
}

/** Draws one axis from t0 to t1 at the given pixel width. */
function drawScale({ rows, markers, t0, t1, width, title, idBase }) {
  const span = t1 - t0;
  const innerW = width - 2 * PAD_X;
  const x = (t) => PAD_X + ((t - t0) / span) * innerW;
  const clampX = (v) => Math.max(PAD_X, Math.min(width - PAD_X, v));
  const markerBand = Math.max(markers.length, 1) * MARKER_LINE_H + 6;
  const axisY = markerBand + AXIS_H;
  const maxChars = Math.max(16, Math.floor(innerW / 7.4));
  const laid = [];
  let yCursor = axisY;
  for (const row of rows) {
    const label = row.type === 'cluster' ? row.label : `${nameLabel(row.name)} · ${row.who.join(', ')}`;
    const lines = wrapLabel(label, maxChars);
    const rowH = ROW_BASE_H + lines.length * LINE_H;
    laid.push({ row, label, lines, y: yCursor, rowH });
    yCursor += rowH;
  }
  const height = yCursor + 10;

  const svg = s('svg', {
    class: 'timeline-svg', width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'img', 'aria-labelledby': `${idBase}-title ${idBase}-desc`,
  });
  svg.append(s('title', { id: `${idBase}-title` }, title));
  const mDesc = markers.map((m) => `validation time ${formatTime(m.value)}`).join('; ');
  svg.append(s('desc', { id: `${idBase}-desc` },
    `${rows.length} rows from ${formatTime(new Date(t0).toISOString())} to ${formatTime(new Date(t1).toISOString())}${mDesc ? `; ${mDesc}` : ''}. The table below lists every time exactly.`));

  // Layers, back to front: row bands, grid, validation-time lines, rows, marker labels.
  const bands = s('g', { class: 'tl-bands' });
  const grid = s('g', { class: 'tl-grid' });
  const lines = s('g', { class: 'tl-marker-lines' });
  const content = s('g', { class: 'tl-rows' });
  const labels = s('g', { class: 'tl-marker-labels' });
  svg.append(bands, grid, lines, content, labels);

  const tk = ticks(t0, t1, Math.max(2, Math.floor(innerW / 84)));
  for (const t of tk.ticks) {
    const tx = x(t);
    grid.append(s('line', { x1: tx, x2: tx, y1: axisY - 4, y2: height - 6, class: 'tl-gridline' }));
    const anchor = tx < PAD_X + 24 ? 'start' : tx > width - PAD_X - 24 ? 'end' : 'middle';
    grid.append(s('text', { x: tx, y: axisY - 9, class: 'tl-tick', 'text-anchor': anchor }, tk.fmt(t)));
  }
  grid.append(s('line', { x1: PAD_X, x2: width - PAD_X, y1: axisY, y2: axisY, class: 'tl-axis' }));

  const arrow = (atX, y, left) => s('path', { d: left ? `M${atX + 8} ${y - 6}l-8 6 8 6` : `M${atX - 8} ${y - 6}l8 6-8 6`, class: 'tl-arrow' });

  laid.forEach(({ row, label, lines: text, y, rowH }, i) => {
    const odd = i % 2 === 1;
    if (odd) bands.append(s('rect', { x: 0, y, width, height: rowH, class: 'tl-band' }));
    const g = s('g', { class: `tl-row tl-${row.type}${odd ? ' odd' : ''}` });
    text.forEach((line, k) => g.append(s('text', { x: PAD_X, y: y + 16 + k * LINE_H, class: 'tl-label' }, line)));
    const cy = y + 12 + text.length * LINE_H; // centre line of the mark
    g.append(s('line', { x1: PAD_X, x2: width - PAD_X, y1: cy, y2: cy, class: 'tl-track' }));
    const a = x(row.from);
    const b = x(row.to);
    const ca = clampX(a);
    const cb = clampX(b);
    const isSpan = row.type !== 'time' && row.to > row.from;
    if (isSpan) {
      const cls = row.type === 'cluster' ? 'tl-cluster-bar' : 'tl-bar';
      g.append(s('rect', { x: Math.min(ca, cb - 3), y: cy - 4, width: Math.max(cb - ca, 6), height: 8, rx: 4, class: cls }));
      if (a < PAD_X) g.append(arrow(PAD_X, cy, true));
      if (b > width - PAD_X) g.append(arrow(width - PAD_X, cy, false));
    } else if (a >= PAD_X - 0.5 && a <= width - PAD_X + 0.5) {
      g.append(s('circle', { cx: a, cy, r: 5, class: 'tl-point' }));
    } else {
      g.append(arrow(a < PAD_X ? PAD_X : width - PAD_X, cy, a < PAD_X));
    }
    // The value, next to the mark, on the side with room.
    const anchorStart = (ca + cb) / 2 < width / 2;
    const nudge = isSpan ? 0 : 8;
    g.append(s('text', {
      x: anchorStart ? ca + nudge : cb - nudge,
      y: cy + 19, class: 'tl-value', 'text-anchor': anchorStart ? 'start' : 'end',
    }, row.type === 'cluster' ? row.valueText : rowText(row, span)));
    const exact = row.type === 'time' ? formatTime(row.raw) : row.type === 'period' ? `${formatTime(row.raw.from)} → ${formatTime(row.raw.to)}` : row.valueText;
    g.append(s('title', null, `${label}: ${exact}`));
    content.append(g);
  });

  // Validation-time markers: a dashed line each, labelled on its own line above the axis.
  const markerChars = Math.max(16, Math.floor(innerW / 7));
  markers.forEach((m, i) => {
    const ly = 14 + i * MARKER_LINE_H;
    const inRange = m.t >= t0 && m.t <= t1;
    const mx = clampX(x(m.t));
    const who = m.who.size ? ` (${[...m.who].join(', ')})` : '';
    let text = `Validation time${who}: ${formatTime(m.value)}`;
    if (!inRange) text = m.t < t0 ? `← ${text}, earlier` : `${text}, later →`;
    if (text.length > markerChars) text = `${text.slice(0, markerChars - 1)}…`;
    if (inRange) lines.append(s('line', { x1: mx, x2: mx, y1: ly + 4, y2: height - 6, class: 'tl-marker-line' }));
    // Start the label just left of its line, pulled back inside the figure when it would overflow.
    const textW = text.length * 7.2;
    const tx = Math.max(PAD_X, Math.min(mx - 4, width - PAD_X - textW));
    labels.append(s('text', { x: tx, y: ly, class: 'tl-marker-label' }, text));
  });
  return svg;
}

function range(rows, markers) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) { lo = Math.min(lo, r.from); hi = Math.max(hi, r.to); }
  for (const m of markers) { lo = Math.min(lo, m.t); hi = Math.max(hi, m.t); }
  return pad(lo, hi);
}

function pad(lo, hi) {
  const span = hi - lo;
  if (span <= 0) return [lo - MIN, hi + MIN];
  return [lo - span * 0.05, hi + span * 0.05];
}

function table(rows, markers) {
  return h('details', { class: 'timeline-table' },
    h('summary', null, 'Show the timeline as a table'),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Timeline table' },
      h('table', null,
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'Of'), h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'To'))),
        h('tbody', null,
          markers.map((m) => h('tr', { class: 'marker-row' },
            h('th', { scope: 'row' }, 'validation time'), h('td', null, m.who.size ? [...m.who].join(', ') : 'all evidence'),
            h('td', null, h('time', { datetime: m.value }, formatTime(m.value))), h('td', null, ''))),
          rows.map((r) => h('tr', null,
            h('th', { scope: 'row' }, nameLabel(r.name)), h('td', null, r.who.join(', ')),
            h('td', null, h('time', { datetime: r.type === 'time' ? r.raw : r.raw.from }, formatTime(r.type === 'time' ? r.raw : r.raw.from))),
            h('td', null, r.type === 'period' ? h('time', { datetime: r.raw.to }, formatTime(r.raw.to)) : '')))))));
}

/**
 * Renders the timeline into `container`; returns false when the report holds
 * no time at all (the caller hides the section). Re-renders on resize.
 */
export function renderTimeline(report, container) {
  const { rows, markers } = collect(report);
  container.replaceChildren();
  if (container._tlObserver) container._tlObserver.disconnect();
  if (!rows.length) return false;

  const [t0, t1] = range(rows, markers);
  const overviewSpan = t1 - t0;
  // Close-up: the items much shorter than the overview, if they sit in a sliver of it.
  const short = rows.filter((r) => r.to - r.from < overviewSpan * 0.02);
  const long = rows.filter((r) => !short.includes(r));
  let closeUp = null;
  if (short.length && long.length) {
    let lo = Math.min(...short.map((r) => r.from));
    let hi = Math.max(...short.map((r) => r.to));
    const nearby = markers.filter((m) => m.t >= lo - (hi - lo + HOUR) && m.t <= hi + (hi - lo + HOUR));
    for (const m of nearby) { lo = Math.min(lo, m.t); hi = Math.max(hi, m.t); }
    const [c0, c1] = pad(lo, hi);
    if (c1 - c0 < overviewSpan * 0.05) {
      const visible = rows.filter((r) => r.to >= c0 && r.from <= c1);
      const hidden = rows.length - visible.length;
      closeUp = { t0: c0, t1: c1, rows: visible, hidden };
    }
  }

  // With a close-up, the overview shows the short items as one cluster row.
  let overviewRows = rows;
  if (closeUp) {
    const lo = Math.min(...short.map((r) => r.from));
    const hi = Math.max(...short.map((r) => r.to));
    const who = [...new Set(short.flatMap((r) => r.who))];
    overviewRows = [...long, {
      type: 'cluster', from: lo, to: hi, who,
      label: `${short.length} shorter times · ${who.join(', ')}`,
      valueText: `${shortTime(lo, overviewSpan)}: see the close-up below`,
    }].sort((a, b) => a.from - b.from || a.to - b.to);
  }

  const figures = h('div', { class: 'timeline-figures' });
  const draw = () => {
    const width = Math.max(280, Math.floor(container.clientWidth || 640));
    const parts = [];
    parts.push(h('figure', { class: 'timeline-figure' },
      drawScale({ rows: overviewRows, markers, t0, t1, width, title: 'Timeline: all times and periods', idBase: 'tl-overview' }),
      h('figcaption', null, `Overview, ${formatTime(new Date(t0).toISOString()).slice(0, 10)} to ${formatTime(new Date(t1).toISOString()).slice(0, 10)} (UTC)`)));
    if (closeUp) {
      parts.push(h('figure', { class: 'timeline-figure' },
        drawScale({ ...closeUp, markers, width, title: 'Timeline close-up', idBase: 'tl-closeup' }),
        h('figcaption', null, `Close-up, ${formatTime(new Date(closeUp.t0).toISOString())} to ${formatTime(new Date(closeUp.t1).toISOString())} (${formatDuration(closeUp.t1 - closeUp.t0)})${closeUp.hidden ? `; ${closeUp.hidden} item(s) fall outside it` : ''}. Arrows mark periods that continue beyond the window.`)));
    }
    figures.replaceChildren(...parts);
  };
  container.append(figures, table(rows, markers));
  draw();
  let lastWidth = container.clientWidth;
  let timer = null;
  const ro = new ResizeObserver(() => {
    if (Math.abs(container.clientWidth - lastWidth) < 8) return;
    lastWidth = container.clientWidth;
    clearTimeout(timer);
    timer = setTimeout(draw, 80);
  });
  ro.observe(container);
  container._tlObserver = ro;
  return true;
}
