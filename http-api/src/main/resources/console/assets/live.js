import { api, chart, h, kpis, main, page, state } from './ui.js';

// This node's rates over the last 5 minutes, every 2 s.


export async function live() {
  const names = [['eventsAccepted', 'events/s'], ['decisions', 'decisions/s'], ['offersIssued', 'offers issued/s'],
    ['offersRedeemed', 'offers redeemed/s'], ['deliveryFailures', 'delivery failures/s']];
  const colors = ['#1f6feb', '#127a3a', '#9a6700', '#8250df', '#b42318'];
  const values = h('div', {});
  page('Live', h('p', { class: 'muted' }, 'Rates of this node over the last 5 minutes, every 2 s, from its counters (GET /v1/live).'), values);
  const xs = [];
  const series = names.map(() => []);
  let box = null;
  let previous = await api('GET', '/v1/live');
  const generation = state.generation;
  const tick = async () => {
    if (generation !== state.generation) return; // the page was left (or shown again by another loop)
    const now = await api('GET', '/v1/live');
    if (generation !== state.generation) return;
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
    state.liveTimer = setTimeout(() => tick().catch(() => {}), 2000);
  };
  await tick();
}
