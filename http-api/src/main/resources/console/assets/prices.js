import { api, chart, failure, fmt, h, kpis, later, main, page, state, table } from './ui.js';

// The prices: the catalogue with guardrails, one SKU with its history and decisions.

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
export async function prices() {
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

export async function sku(id) {
  const path = `/v1/skus/${encodeURIComponent(id)}`;
  const [s, history] = await Promise.all([api('GET', path), api('GET', `${path}/price-history`)]);
  const decision = h('div', { id: 'decision' });
  const open = async (decisionId) => {
    if (state.session.role !== 'auditor') {
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
