// The Kairos operator console: one page, hash routes, the /v1 API with the session cookie, no inline script.
import { campaign, campaigns, newCampaign } from './campaigns.js';
import { live } from './live.js';
import { model, models } from './models.js';
import { prices, sku } from './prices.js';
import { shoppers } from './shoppers.js';
import { api, failure, forgetCharts, h, main, page, state } from './ui.js';

function showLogin(message) {
  main.removeAttribute('data-ready');
  main.removeAttribute('data-complete');
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
      state.session = await api('POST', '/console/session', { key: input.value });
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
  who.textContent = `${state.session.keyId} (${state.session.role})`;
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

let rendering = Promise.resolve();

/**
 * Shows the page of the current hash, one route after the other: a page still loading never paints over the one asked
 * for after it (it finishes first, then the later one is shown).
 */
function route() {
  rendering = rendering.then(show, show);
  return rendering;
}

async function show() {
  if (!state.session) return;
  state.generation += 1;
  clearTimeout(state.liveTimer);
  state.pending = [];
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
  const mine = state.pending;
  Promise.allSettled(mine).then(() => {
    if (mine === state.pending) main.setAttribute('data-complete', hash);
  });
}

document.getElementById('logout').addEventListener('click', async () => {
  await api('DELETE', '/console/session').catch(() => {});
  state.session = null;
  showLogin('Logged out.');
});
window.addEventListener('hashchange', route);
state.onSessionEnded = showLogin;
window.addEventListener('error', (e) => console.error(e.message));

api('GET', '/console/session').then((s) => {
  if (!s) return showLogin();
  state.session = s;
  return loggedIn();
}).catch((e) => showLogin(e.message));
