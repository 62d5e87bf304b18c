// The console's shared parts: the API client, DOM helpers, tables, charts, and the state every page reads. No browser
// storage: the session (with its CSRF token) lives in this module's memory and is fetched again after a reload.
import uPlot from '../vendor/uplot/uPlot.esm.js';

export const main = document.getElementById('main');

/**
 * What the pages share: the session; the work a page goes on with after it is interactive; the route's generation
 * (a page's timers stop when it changes); the live page's timer; what to do when the session ends.
 */
export const state = { session: null, pending: [], generation: 0, liveTimer: null, onSessionEnded: () => {} };

/** Work a page goes on with after it is interactive; the route marks the page complete when all of it is done. */
export function later(promise) {
  state.pending.push(promise);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.session) headers['X-CSRF-Token'] = state.session.csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (response.status === 401 && path !== '/console/session') {
    state.session = null;
    state.onSessionEnded('Your session ended: log in again.');
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** An element with attributes (on* attributes become listeners) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const fmt = {
  money: (v) => (v === undefined || v === null ? '–' : Number(v).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })),
  int: (v) => (v === undefined || v === null ? '–' : Number(v).toLocaleString()),
  pct: (v) => (v === undefined || v === null ? '–' : `${(Number(v) * 100).toFixed(2)} %`),
  time: (v) => (v ? new Date(v).toLocaleString() : '–'),
};

export function table(columns, rows, empty = 'Nothing yet.') {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : '' }, c.title)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : c.wrap ? 'wrap' : '' }, c.cell(r))))))));
}

export function kpis(items) {
  return h('div', { class: 'kpis' }, items.map(([label, value]) => h('div', { class: 'kpi' },
    h('div', { class: 'label' }, label), h('div', { class: 'value' }, value))));
}

export function page(title, ...content) {
  main.replaceChildren(h('h1', {}, title), ...content.filter((c) => c !== null && c !== undefined && c !== false));
}

export function failure(e) {
  return h('p', { class: 'error', role: 'alert' }, e.status === 403 ? `Your role may not see this: ${e.message}` : e.message);
}

export function isOperator() {
  return state.session && state.session.role === 'operator';
}

/**
 * A time-series chart (uPlot): x in epoch seconds, one line per series; lastSeconds: show only that much; onPoint: called
 * with the index of the point under the cursor when the chart is clicked.
 */
export function chart(title, xs, series, lastSeconds, onPoint) {
  const box = h('div', { class: 'chart', 'data-chart': title });
  const plot = new uPlot({
    title, width: chartWidth(), height: 300,
    series: [{}, ...series.map((s) => ({
      label: s.label, stroke: s.color, width: 2, paths: s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
    }))],
    axes: [{}, { size: 70 }],
    // a window that moves with the newest point (uPlot reads the data it was last given)
    scales: lastSeconds ? { x: { time: true, range: (u) => {
      const last = u.data[0][u.data[0].length - 1];
      return [last - lastSeconds, last];
    } } } : undefined,
    hooks: onPoint ? { ready: [(u) => u.over.addEventListener('click', () => {
      if (u.cursor.idx !== null && u.cursor.idx !== undefined) onPoint(u.cursor.idx);
    })] } : {},
  }, [xs, ...series.map((s) => s.values)], box);
  plots.add(plot);
  box.plot = plot;
  return box;
}

/** The charts drawn; one resize listener for all, which also forgets (destroys) charts no longer on the page. */
const plots = new Set();

function chartWidth() {
  return Math.max(280, Math.min(main.clientWidth - 20, 1150));
}

window.addEventListener('resize', () => {
  for (const plot of plots) {
    if (plot.root.isConnected) plot.setSize({ width: chartWidth(), height: 300 });
    else {
      plot.destroy();
      plots.delete(plot);
    }
  }
});

/** Destroys the charts of the page being left. */
export function forgetCharts() {
  for (const plot of plots) if (!plot.root.isConnected) {
    plot.destroy();
    plots.delete(plot);
  }
}
