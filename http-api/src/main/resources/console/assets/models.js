import { api, fmt, h, isOperator, page, table } from './ui.js';

// The models: every version, one model with its runs, promotions and rollbacks.

export async function models() {
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

export async function model(name) {
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
    { title: 'Version', cell: (c) => c.version || 'none (safe rule)' }, { title: 'Before', cell: (c) => c.previous || '–' },
    { title: 'By', cell: (c) => c.actor || '–' },
  ], data.changes || [], 'Never promoted.'));
}
