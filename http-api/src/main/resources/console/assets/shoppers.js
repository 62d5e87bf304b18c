import { api, failure, fmt, h, kpis, page, table } from './ui.js';

// One shopper, by id or linked identity: profile, scores, offers and why each was made.

export async function shoppers(id) {
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
