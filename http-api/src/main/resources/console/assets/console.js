// The Kairos operator console: one page, hash routes, the /v1 API with the session cookie. No inline script, no
// browser storage: the CSRF token lives in this module's memory and is fetched again after a reload.
import uPlot from '../vendor/uplot/uPlot.esm.js';

const main = document.getElementById('main');
let session = null;

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session) headers['X-CSRF-Token'] = session.csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (response.status === 401 && path !== '/console/session') {
    session = null;
    showLogin('Your session ended: log in again.');
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** An element with attributes (on* attributes become listeners) and children (strings become text). */
function h(tag, attrs = {}, ...children) {
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

const fmt = {
  money: (v) => (v === undefined || v === null ? '–' : Number(v).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })),
  int: (v) => (v === undefined || v === null ? '–' : Number(v).toLocaleString()),
  pct: (v) => (v === undefined || v === null ? '–' : `${(Number(v) * 100).toFixed(2)} %`),
  time: (v) => (v ? new Date(v).toLocaleString() : '–'),
};

function table(columns, rows, empty = 'Nothing yet.') {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : '' }, c.title)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : c.wrap ? 'wrap' : '' }, c.cell(r))))))));
}

function kpis(items) {
  return h('div', { class: 'kpis' }, items.map(([label, value]) => h('div', { class: 'kpi' },
    h('div', { class: 'label' }, label), h('div', { class: 'value' }, value))));
}

function page(title, ...content) {
  main.replaceChildren(h('h1', {}, title), ...content.filter((c) => c !== null && c !== undefined && c !== false));
}

function failure(e) {
  return h('p', { class: 'error', role: 'alert' }, e.status === 403 ? `Your role may not see this: ${e.message}` : e.message);
}

function isOperator() {
  return session && session.role === 'operator';
}

/**
 * A time-series chart (uPlot): x in epoch seconds, one line per series; lastSeconds: show only that much; onPoint: called
 * with the index of the point under the cursor when the chart is clicked.
 */
function chart(title, xs, series, lastSeconds, onPoint) {
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
function forgetCharts() {
  for (const plot of plots) if (!plot.root.isConnected) {
    plot.destroy();
    plots.delete(plot);
  }
}

// ----- campaigns

async function campaigns() {
  const rows = [];
  let cursor = null;
  do {
    const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const pageData = await api('GET', `/v1/campaigns?limit=200${q}`);
    rows.push(...pageData.campaigns);
    cursor = pageData.nextCursor;
  } while (cursor);
  page('Campaigns',
    isOperator() ? h('div', { class: 'actions' }, h('a', { href: '#/campaigns/new' }, h('button', { type: 'button' }, 'New campaign'))) : null,
    table([
      { title: 'Campaign', cell: (c) => h('a', { href: `#/campaigns/${encodeURIComponent(c.campaignId)}` }, c.name || c.campaignId) },
      { title: 'Id', cell: (c) => c.campaignId },
      { title: 'Status', cell: (c) => h('span', { class: `badge ${c.status}` }, c.status) },
      { title: 'Coupon', cell: (c) => `${c.coupon.type} ${c.coupon.value}` },
      { title: 'Objective', cell: (c) => c.objective },
      { title: 'Ends', cell: (c) => fmt.time(c.endsAt) },
      { title: 'Budget left', cell: (c) => (c.exhausted ? 'exhausted' : 'yes') },
    ], rows, 'No campaigns yet.'));
}

/**
 * A campaign: its terms, money and actions as soon as the campaign answers (the page is interactive), then its stats
 * (which read every funnel row and outcome of the campaign) and its burn as they arrive.
 */
async function campaign(id) {
  const path = `/v1/campaigns/${encodeURIComponent(id)}`;
  const c = await api('GET', path);
  const message = h('p', { class: 'error', role: 'alert' });
  const patch = async (body) => {
    try {
      await api('PATCH', path, body);
      await campaign(id);
    } catch (e) {
      message.textContent = e.message;
    }
  };
  const budgetInput = h('input', { type: 'number', min: '0', step: '0.01', value: c.budget, 'aria-label': 'New budget' });
  const actions = isOperator()
    ? h('div', { class: 'actions' },
      c.status === 'active'
        ? h('button', { type: 'button', id: 'pause', onclick: () => patch({ status: 'paused' }) }, 'Pause')
        : h('button', { type: 'button', id: 'resume', onclick: () => patch({ status: 'active' }) }, 'Resume'),
      h('label', {}, 'Budget', budgetInput),
      h('button', { type: 'button', class: 'secondary', id: 're-budget', onclick: () => patch({ budget: Number(budgetInput.value) }) }, 'Re-budget'))
    : h('p', { class: 'muted' }, 'Auditors see campaigns; operators change them.');
  const loading = () => h('p', { class: 'muted' }, 'Loading…');
  const counts = h('div', {}, loading());
  const effect = h('div', {}, loading());
  const funnel = h('div', {}, loading());
  const burnBox = h('div', {}, loading());
  page(c.name || c.campaignId,
    h('p', {}, h('span', { class: `badge ${c.status}`, id: 'status' }, c.status), ' ',
      `${c.coupon.type} ${c.coupon.value} · ${c.objective} · pacing ${c.pacing} · ${fmt.time(c.startsAt)} → ${fmt.time(c.endsAt)}`),
    actions, message,
    kpis([['Budget', fmt.money(c.budget)], ['Reserved', fmt.money(c.reserved)], ['Spent', fmt.money(c.spent)],
      ['Available', fmt.money(c.available)]]),
    counts,
    h('h2', {}, 'Incrementality against the holdout'), effect,
    h('h2', {}, 'Funnel by coupon type and channel'), funnel,
    h('h2', {}, 'Budget burn against pacing'), burnBox);
  later(api('GET', `${path}/stats`).then((stats) => {
    const total = stats.funnel ? stats.funnel.total : null;
    const inc = stats.incremental;
    counts.replaceChildren(kpis([['Issued', fmt.int(stats.issued)], ['Redeemed', fmt.int(stats.redeemed)],
      ['ROI', total && total.roi !== undefined ? total.roi.toFixed(2) : '–']]));
    effect.replaceChildren(inc
      ? table([
        { title: 'Measure', cell: (r) => r[0] }, { title: 'Estimate', num: true, cell: (r) => r[1] },
        { title: '95 % interval', num: true, cell: (r) => r[2] }], [
        ['Conversion rate, treatment − holdout', fmt.pct(inc.conversionRate.estimate), `${fmt.pct(inc.conversionRate.low)} … ${fmt.pct(inc.conversionRate.high)}`],
        ['Revenue per person', fmt.money(inc.revenuePerPerson.estimate), `${fmt.money(inc.revenuePerPerson.low)} … ${fmt.money(inc.revenuePerPerson.high)}`],
        ['Incremental revenue', fmt.money(inc.revenue.estimate), `${fmt.money(inc.revenue.low)} … ${fmt.money(inc.revenue.high)}`]])
      : h('p', { class: 'muted' }, `Not yet: ${fmt.int(stats.treatment ? stats.treatment.people : 0)} treated, ${fmt.int(stats.holdout ? stats.holdout.people : 0)} held out; both groups need people.`));
    funnel.replaceChildren(table([
      { title: 'Coupon type', cell: (r) => r.couponType || 'total' }, { title: 'Channel', cell: (r) => r.channel || '' },
      ...['issued', 'delivered', 'opened', 'claimed', 'redeemed'].map((k) => ({ title: k, num: true, cell: (r) => fmt.int(r[k]) })),
      { title: 'Revenue', num: true, cell: (r) => fmt.money(r.revenue) }, { title: 'Cost', num: true, cell: (r) => fmt.money(r.cost) },
      { title: 'ROI', num: true, cell: (r) => (r.roi === undefined ? '–' : r.roi.toFixed(2)) },
    ], stats.funnel ? [...stats.funnel.byCouponTypeAndChannel, stats.funnel.total] : []));
  }).catch((e) => effect.replaceChildren(failure(e))));
  later(api('GET', `${path}/burn`).then((burn) => {
    if (!burn.points.length) return burnBox.replaceChildren(h('p', { class: 'muted' }, 'No burn to show yet.'));
    const xs = burn.points.map((p) => Date.parse(p.at) / 1000);
    return burnBox.replaceChildren(chart('Budget burn', xs, [
      { label: 'reserved', color: '#1f6feb', values: burn.points.map((p) => Number(p.reserved)) },
      { label: 'spent', color: '#127a3a', values: burn.points.map((p) => Number(p.spent)) },
      { label: 'allowed by pacing', color: '#9a6700', values: burn.points.map((p) => Number(p.allowedByPacing)) }]));
  }).catch((e) => burnBox.replaceChildren(failure(e))));
}

function newCampaign() {
  if (!isOperator()) return page('New campaign', h('p', { class: 'error' }, 'Only operators create campaigns.'));
  const now = new Date();
  const inDays = (d) => new Date(now.getTime() + d * 86400000).toISOString().slice(0, 16);
  const field = (label, name, attrs) => h('label', {}, label, h('input', { name, ...attrs }));
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'grid', id: 'campaign-form' },
    field('Id', 'campaignId', { required: true, pattern: '[A-Za-z0-9._:@+\\-]{1,128}' }),
    field('Name', 'name', { required: true, maxlength: 200 }),
    h('label', {}, 'Coupon type', h('select', { name: 'type' },
      ['amount_off', 'percent_off', 'threshold_amount_off', 'free_shipping'].map((t) => h('option', { value: t }, t)))),
    field('Value', 'value', { type: 'number', min: '0.01', step: '0.01', required: true }),
    field('Max discount (percent_off)', 'maxDiscount', { type: 'number', min: '0.01', step: '0.01' }),
    field('Min spend (threshold)', 'minSpend', { type: 'number', min: '0', step: '0.01' }),
    field('Budget', 'budget', { type: 'number', min: '0', step: '0.01', required: true }),
    field('Valid days', 'validDays', { type: 'number', min: '1', max: '365', value: '7', required: true }),
    field('Starts', 'startsAt', { type: 'datetime-local', value: inDays(0), required: true }),
    field('Ends', 'endsAt', { type: 'datetime-local', value: inDays(30), required: true }),
    h('label', {}, 'Objective', h('select', { name: 'objective' }, ['profit', 'gmv', 'activation'].map((t) => h('option', { value: t }, t)))),
    h('label', {}, 'Pacing', h('select', { name: 'pacing' }, ['even', 'asap'].map((t) => h('option', { value: t }, t)))),
    field('Holdout %', 'holdoutPercent', { type: 'number', min: '0', max: '99.99', step: '0.01', value: '10' }),
    field('Eligible tags (comma separated)', 'tags', {}),
    h('button', { type: 'submit' }, 'Create'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(form).entries());
    const coupon = { type: f.type, value: Number(f.value) };
    if (f.maxDiscount) coupon.maxDiscount = Number(f.maxDiscount);
    if (f.minSpend) coupon.minSpend = Number(f.minSpend);
    const body = {
      campaignId: f.campaignId, name: f.name, coupon, budget: Number(f.budget), validDays: Number(f.validDays),
      startsAt: new Date(f.startsAt).toISOString(), endsAt: new Date(f.endsAt).toISOString(),
      objective: f.objective, pacing: f.pacing, holdoutPercent: Number(f.holdoutPercent || 0),
    };
    const tags = (f.tags || '').split(',').map((t) => t.trim()).filter(Boolean);
    if (tags.length) body.eligibility = { tags };
    try {
      await api('POST', '/v1/campaigns', body);
      location.hash = `#/campaigns/${encodeURIComponent(body.campaignId)}`;
    } catch (e) {
      const fields = e.problem && e.problem.errors ? e.problem.errors.map((x) => `${x.field}: ${x.message}`).join('; ') : '';
      error.textContent = fields ? `${e.message} (${fields})` : e.message;
    }
  });
  page('New campaign', h('p', { class: 'muted' },
    'The node checks every field as the API does. A forecast before launch (the campaign simulator) is not available yet.'),
  h('div', { class: 'card' }, form, error));
}

// ----- prices

/** Runs {@code task} over {@code items}, at most {@code width} at a time. */
async function eachLimited(items, width, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/**
 * The catalogue, 200 SKUs at a time: price, list price, lowest 30-day price and cost at once; the guardrails of the
 * dynamically priced ones (from each SKU's configuration) as they arrive.
 */
async function prices() {
  const rows = [];
  const guardrails = new Map();
  const holder = h('div', {});
  const more = h('button', { type: 'button', class: 'secondary', id: 'more-skus' }, 'More SKUs');
  let cursor = null;
  const render = () => holder.replaceChildren(table([
    { title: 'SKU', cell: (s) => h('a', { href: `#/prices/${encodeURIComponent(s.sku)}` }, s.sku) },
    { title: 'Name', cell: (s) => s.name || '' },
    { title: 'Price', num: true, cell: (s) => fmt.money(s.price) },
    { title: 'List price', num: true, cell: (s) => fmt.money(s.listPrice) },
    { title: 'Lowest 30 days', num: true, cell: (s) => fmt.money(s.lowestPrice30d) },
    { title: 'Cost', num: true, cell: (s) => fmt.money(s.cost) },
    { title: 'Guardrails', cell: (s) => {
      if (!s.dynamic) return 'list price';
      const g = guardrails.get(s.sku);
      return g ? `${fmt.money(g.floor)} … ${fmt.money(g.ceiling)}, margin ≥ ${g.minMarginPercent} %, step ≤ ${g.maxStepPercent} %` : '…';
    } },
  ], rows, 'No SKUs yet.'), h('p', { class: 'muted' }, `${fmt.int(rows.length)} SKUs shown.`));
  /** The next page of SKUs, shown; the dynamic ones' ids. */
  const nextPage = async () => {
    const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const data = await api('GET', `/v1/skus?limit=200${q}`);
    rows.push(...data.skus);
    cursor = data.nextCursor;
    more.hidden = !cursor;
    render();
    return data.skus.filter((s) => s.dynamic).map((s) => s.sku);
  };
  const guard = (ids) => eachLimited(ids, 6, async (id) => {
    guardrails.set(id, await api('GET', `/v1/skus/${encodeURIComponent(id)}`));
  }).then(render).catch((e) => holder.append(failure(e)));
  more.addEventListener('click', () => nextPage().then(guard).catch((e) => holder.append(failure(e))));
  const dynamic = await nextPage();
  page('Prices', h('p', { class: 'muted' }, 'Open a SKU for its price history and each decision.'), holder, more);
  later(guard(dynamic));
}

async function sku(id) {
  const path = `/v1/skus/${encodeURIComponent(id)}`;
  const [s, history] = await Promise.all([api('GET', path), api('GET', `${path}/price-history`)]);
  const decision = h('div', { id: 'decision' });
  const open = async (decisionId) => {
    if (session.role !== 'auditor') {
      decision.replaceChildren(h('p', { class: 'muted' }, `Decision ${decisionId}: its record and replay are an auditor's (log in with an auditor key).`));
      return;
    }
    decision.replaceChildren(h('p', { class: 'muted' }, `Decision ${decisionId}…`));
    try {
      const record = await api('GET', `/v1/audit/decisions/${encodeURIComponent(decisionId)}`);
      const replay = h('button', { type: 'button', class: 'secondary', id: 'replay', onclick: async () => {
        const r = await api('POST', `/v1/audit/decisions/${encodeURIComponent(decisionId)}/replay`);
        replay.replaceWith(h('p', { class: r.identical ? 'good' : 'error', id: 'replayed' }, r.identical ? 'Replayed: identical.' : `Replayed: ${r.differences.length} differences.`));
      } }, 'Replay');
      decision.replaceChildren(h('h2', { id: 'decision-title' }, `Decision ${decisionId}`), replay, h('pre', {}, JSON.stringify(record, null, 2)));
    } catch (e) {
      decision.replaceChildren(failure(e));
    }
  };
  page(`SKU ${id}`,
    kpis([['Price', fmt.money(s.price.price)], ['List price', fmt.money(s.listPrice)], ['Floor', fmt.money(s.floor)],
      ['Ceiling', fmt.money(s.ceiling)], ['Min margin', `${s.minMarginPercent} %`], ['Max step', `${s.maxStepPercent} %`],
      ['Lowest 30 days', fmt.money(s.price.lowestPrice30d)], ['Policy', s.policy]]),
    h('h2', {}, 'Price history'), h('p', { class: 'muted' }, 'Click a point of the chart, or a decision in the table, for its record and its replay.'));
  const points = history.points;
  if (points.length) {
    // a price holds until the next one: a step line, carried to now
    const xs = [...points.map((p) => Date.parse(p.validFrom) / 1000), Date.now() / 1000];
    const values = [...points.map((p) => Number(p.price)), Number(points[points.length - 1].price)];
    // a click on a point opens its decision (the last point, now, is the last decision's price)
    main.append(chart('Price', xs, [{ label: 'price', color: '#1f6feb', values, stepped: true }], undefined,
      (i) => open(points[Math.min(i, points.length - 1)].decisionId)));
  }
  main.append(table([
    { title: 'From', cell: (p) => fmt.time(p.validFrom) }, { title: 'Price', num: true, cell: (p) => fmt.money(p.price) },
    { title: 'Reason', cell: (p) => p.reason }, { title: 'Bound by', cell: (p) => p.boundBy.join(', ') },
    { title: 'Decision', cell: (p) => h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); open(p.decisionId); } }, p.decisionId) },
  ], [...points].reverse(), 'No prices yet.'), decision);
}

// ----- models

async function models() {
  const data = await api('GET', '/v1/models');
  const names = [...new Set(data.models.map((m) => m.name))];
  page('Models', table([
    { title: 'Model', cell: (m) => h('a', { href: `#/models/${encodeURIComponent(m.name)}` }, m.name) },
    { title: 'Version', cell: (m) => m.version }, { title: 'Kind', cell: (m) => m.kind },
    { title: 'Created', cell: (m) => fmt.time(m.createdAt) },
    { title: 'Champion', cell: (m) => (m.active ? 'active' : m.promoted ? 'promoted before' : '') },
  ], data.models, 'No models yet: decisions use the safe rule until one is trained and promoted.'),
  h('p', { class: 'muted' }, `${names.length} model names.`));
}

async function model(name) {
  const path = `/v1/models/${encodeURIComponent(name)}`;
  const data = await api('GET', path);
  const message = h('p', { class: 'error', role: 'alert' });
  const act = async (verb, body) => {
    try {
      await api('POST', `${path}/${verb}`, body);
      await model(name);
    } catch (e) {
      message.textContent = e.message;
    }
  };
  const versions = data.versions || data.models || [];
  page(`Model ${name}`, message, table([
    { title: 'Version', cell: (m) => m.version }, { title: 'Created', cell: (m) => fmt.time(m.createdAt) },
    { title: 'Metrics', cell: (m) => Object.entries(m.metrics || {}).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(4) : v}`).join(', ') },
    { title: 'State', cell: (m) => (m.active ? 'champion' : m.promoted ? 'was promoted' : 'challenger') },
    { title: '', cell: (m) => (isOperator() && !m.active ? h('button', { type: 'button', class: 'secondary', onclick: () => act('promote', { version: m.version }) }, 'Promote') : '') },
  ], versions, 'No stored version: decisions use the safe rule until one is trained and promoted.'),
  isOperator() && data.promoted ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => act('rollback') }, `Roll back the champion (${data.promoted})`)) : null,
  h('h2', {}, 'Training runs (champion against challenger)'),
  table([
    { title: 'Finished', cell: (r) => fmt.time(r.finishedAt) }, { title: 'Trigger', cell: (r) => r.requestedBy ? `${r.trigger} (${r.requestedBy})` : r.trigger },
    { title: 'Champion', cell: (r) => r.champion }, { title: 'Challenger', cell: (r) => r.challenger || '–' },
    { title: 'Difference per decision', num: true, cell: (r) => (r.comparison && r.comparison.difference ? `${r.comparison.difference.estimate.toFixed(4)} (${r.comparison.difference.low.toFixed(4)} … ${r.comparison.difference.high.toFixed(4)})` : '–') },
    { title: 'Verdict', wrap: true, cell: (r) => `${r.verdict}: ${r.reason}` },
  ], data.runs || [], 'No training runs yet.'),
  h('h2', {}, 'Promotions and rollbacks'),
  table([
    { title: 'At', cell: (c) => fmt.time(c.at) }, { title: 'Action', cell: (c) => c.action },
    { title: 'Version', cell: (c) => c.version }, { title: 'Before', cell: (c) => c.previous || '–' },
    { title: 'By', cell: (c) => c.actor || '–' },
  ], data.changes || [], 'Never promoted.'));
}

// ----- shoppers

async function shoppers(id) {
  const input = h('input', { name: 'id', required: true, placeholder: 'shopper id or linked identity (email:…)', value: id || '' });
  const result = h('div', {});
  const form = h('form', { class: 'actions', id: 'shopper-form' }, h('label', {}, 'Shopper', input), h('button', { type: 'submit' }, 'Look up'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = `#/shoppers/${encodeURIComponent(input.value.trim())}`;
  });
  page('Shoppers', h('p', { class: 'muted' }, 'Every look-up is logged with your key id, for the audit.'), form, result);
  if (id) await shopper(id, result);
}

async function shopper(id, into) {
  try {
    const s = await api('GET', `/v1/shoppers/${encodeURIComponent(id)}`);
    const explanation = h('div', {});
    const explain = async (offerId) => {
      try {
        const e = await api('GET', `/v1/shoppers/${encodeURIComponent(s.shopperId)}/offers/${encodeURIComponent(offerId)}/explanation`);
        explanation.replaceChildren(h('h2', {}, `Why offer ${offerId}`), h('p', {}, e.summary), h('ul', {}, e.factors.map((f) => h('li', {}, f))),
          h('p', { class: 'muted' }, e.personalized ? 'Personalised.' : 'Not personalised.'));
      } catch (e) {
        explanation.replaceChildren(failure(e));
      }
    };
    into.replaceChildren(
      kpis([['Shopper', s.shopperId], ['Lifecycle', s.lifecycle.stage], ['P(alive)', s.lifecycle.pAlive === null || s.lifecycle.pAlive === undefined ? '–' : s.lifecycle.pAlive.toFixed(3)],
        ['Recency (days)', fmt.int(s.rfm.recencyDays)], ['Frequency', fmt.int(s.rfm.frequency)], ['Monetary', fmt.money(s.rfm.monetary)],
        ['Events', fmt.int(s.eventCount)], ['Coupon preference', s.couponPreference ? s.couponPreference.class : '–']]),
      h('h2', {}, 'Profile'), h('pre', {}, JSON.stringify(s.profile, null, 2)),
      h('h2', {}, 'Scores'), table([{ title: 'Category', cell: (r) => r[0] }, { title: 'Score', num: true, cell: (r) => r[1].toFixed(3) }], Object.entries(s.scores || {})),
      h('p', {}, `Tags: ${(s.tags || []).join(', ') || '–'} · Linked: ${(s.links || []).join(', ') || '–'}`),
      h('h2', {}, 'Offers'),
      table([
        { title: 'Offer', cell: (o) => o.offerId }, { title: 'Campaign', cell: (o) => o.campaignId },
        { title: 'Status', cell: (o) => o.status }, { title: 'Expires', cell: (o) => fmt.time(o.expiresAt) },
        { title: '', cell: (o) => h('button', { type: 'button', class: 'secondary', onclick: () => explain(o.offerId) }, 'Why?') },
      ], s.offers || [], 'No offers.'), explanation);
  } catch (e) {
    into.replaceChildren(e.status === 404 ? h('p', { class: 'muted' }, `No shopper ${id}.`) : failure(e));
  }
}

// ----- live

let liveTimer = null;
let pending = [];

/** Work a page goes on with after it is interactive; the route marks the page complete when all of it is done. */
function later(promise) {
  pending.push(promise);
}

async function live() {
  const names = [['eventsAccepted', 'events/s'], ['decisions', 'decisions/s'], ['offersIssued', 'offers issued/s'],
    ['offersRedeemed', 'offers redeemed/s'], ['deliveryFailures', 'delivery failures/s']];
  const colors = ['#1f6feb', '#127a3a', '#9a6700', '#8250df', '#b42318'];
  const values = h('div', {});
  page('Live', h('p', { class: 'muted' }, 'Rates of this node over the last 5 minutes, every 2 s, from its counters (GET /v1/live).'), values);
  const xs = [];
  const series = names.map(() => []);
  let box = null;
  let previous = await api('GET', '/v1/live');
  const generation = routeGeneration;
  const tick = async () => {
    if (generation !== routeGeneration) return; // the page was left (or shown again by another loop)
    const now = await api('GET', '/v1/live');
    if (generation !== routeGeneration) return;
    const seconds = (Date.parse(now.at) - Date.parse(previous.at)) / 1000 || 1;
    const rates = names.map(([k]) => Math.max(0, (now[k] - previous[k]) / seconds));
    previous = now;
    xs.push(Date.parse(now.at) / 1000);
    rates.forEach((r, i) => series[i].push(r));
    if (xs.length > 150) { xs.shift(); series.forEach((s) => s.shift()); }
    values.replaceChildren(kpis(names.map(([, label], i) => [label, rates[i].toFixed(1)])));
    if (box) box.plot.setData([xs, ...series]);
    else {
      box = chart('Rates', xs, names.map(([, label], i) => ({ label, color: colors[i], values: series[i] })), 300);
      main.append(box);
    }
    liveTimer = setTimeout(() => tick().catch(() => {}), 2000);
  };
  await tick();
}

// ----- session and routing

function showLogin(message) {
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  document.getElementById('logout').hidden = true;
  main.replaceChildren(document.getElementById('login-template').content.cloneNode(true));
  const error = document.getElementById('login-error');
  if (message) error.textContent = message;
  document.getElementById('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const input = document.getElementById('login-key');
    try {
      session = await api('POST', '/console/session', { key: input.value });
      input.value = '';
      loggedIn();
    } catch (e) {
      error.textContent = e.message;
    }
  });
}

function loggedIn() {
  document.getElementById('nav').hidden = false;
  const who = document.getElementById('who');
  who.hidden = false;
  who.textContent = `${session.keyId} (${session.role})`;
  document.getElementById('logout').hidden = false;
  if (!location.hash || location.hash === '#/') location.hash = '#/campaigns';
  else route();
}

const routes = [
  [/^#\/campaigns\/new$/, () => newCampaign()],
  [/^#\/campaigns\/(.+)$/, (m) => campaign(decodeURIComponent(m[1]))],
  [/^#\/campaigns$/, () => campaigns()],
  [/^#\/prices\/(.+)$/, (m) => sku(decodeURIComponent(m[1]))],
  [/^#\/prices$/, () => prices()],
  [/^#\/models\/(.+)$/, (m) => model(decodeURIComponent(m[1]))],
  [/^#\/models$/, () => models()],
  [/^#\/shoppers\/(.+)$/, (m) => shoppers(decodeURIComponent(m[1]))],
  [/^#\/shoppers$/, () => shoppers()],
  [/^#\/live$/, () => live()],
];

let routeGeneration = 0;

async function route() {
  if (!session) return;
  routeGeneration += 1;
  clearTimeout(liveTimer);
  pending = [];
  main.removeAttribute('data-complete');
  const hash = location.hash || '#/campaigns';
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', hash.startsWith(a.getAttribute('href'))));
  const match = routes.map(([re, fn]) => [hash.match(re), fn]).find(([m]) => m);
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    if (match) await match[1](match[0]);
    else page('Not found', h('p', {}, `No page ${hash}.`));
  } catch (e) {
    if (e.status === 401) return;
    page(e.status === 404 ? 'Not found' : 'Something went wrong', failure(e));
  }
  // interactive: the page's actions work; complete: everything it loads later is shown too
  main.setAttribute('data-ready', hash);
  forgetCharts();
  const mine = pending;
  await Promise.allSettled(mine);
  if (mine === pending) main.setAttribute('data-complete', hash);
}

document.getElementById('logout').addEventListener('click', async () => {
  await api('DELETE', '/console/session').catch(() => {});
  session = null;
  showLogin('Logged out.');
});
window.addEventListener('hashchange', route);
window.addEventListener('error', (e) => console.error(e.message));

api('GET', '/console/session').then((s) => {
  if (!s) return showLogin();
  session = s;
  return loggedIn();
}).catch((e) => showLogin(e.message));
