import { api, chart, failure, fmt, h, isOperator, kpis, later, page, table } from './ui.js';

// The campaigns: the list, one campaign (terms and actions first, then stats and burn), a new campaign.

export async function campaigns() {
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
export async function campaign(id) {
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

export function newCampaign() {
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
