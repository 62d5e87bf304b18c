// Drives the Kairos operator console in a real browser (Playwright's library, Debian's Chromium) against a live node
// that already holds data. Run by ConsoleBrowserIT; by hand:
//   KAIROS_URL=http://localhost:8080 OPERATOR_KEY=dev-operator AUDITOR_KEY=dev-auditor CAMPAIGN=c1 SKU=s1 SHOPPER=u1 \
//   SCREENSHOTS=/tmp/shots node console.spec.mjs
// Prints one JSON line of results (each page's time to interactive, and until everything it loads is shown); exits 1 at
// the first failed check.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const url = env('KAIROS_URL');
const operatorKey = env('OPERATOR_KEY');
const auditorKey = env('AUDITOR_KEY');
const campaignId = env('CAMPAIGN');
const sku = env('SKU');
const shopper = env('SHOPPER');
const shots = env('SCREENSHOTS');
const executablePath = env('CHROMIUM', '/usr/bin/chromium');
mkdirSync(shots, { recursive: true });

const problems = [];
const timings = {};
const complete = {};
const check = (ok, what) => {
  if (!ok) throw new Error(`check failed: ${what}`);
};

// no sandbox (CI runs as root); /tmp instead of /dev/shm, which containers often keep small
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 500) problems.push(`HTTP ${r.status()} ${r.url()}`); });

  // A page is interactive when the console marked it ready (its actions work), complete when all it loads is shown.
  const visit = async (hash, name, expectChart) => {
    const started = Date.now();
    await page.evaluate((h) => {
      document.getElementById('main').removeAttribute('data-ready');
      document.getElementById('main').removeAttribute('data-complete');
      if (location.hash === h) window.dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = h;
    }, hash);
    await page.waitForFunction((h) => document.getElementById('main').getAttribute('data-ready') === h, hash, { timeout: 10000 });
    timings[name] = Date.now() - started;
    await page.waitForFunction((h) => document.getElementById('main').getAttribute('data-complete') === h, hash, { timeout: 20000 });
    complete[name] = Date.now() - started;
    if (expectChart) {
      await page.waitForSelector('.uplot canvas', { timeout: 5000 });
      const size = await page.$eval('.uplot canvas', (c) => c.width * c.height);
      check(size > 0, `${name}: the chart has a drawn canvas`);
    }
    const error = await page.$('#main .error:not(:empty)');
    check(!error, `${name}: no error shown (${error ? await error.textContent() : ''})`);
    await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  };

  // log in as an operator; the key is not kept anywhere in the browser
  await page.goto(`${url}/console/`);
  await page.fill('#login-key', operatorKey);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('main').getAttribute('data-ready') === '#/campaigns');
  const stored = await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie);
  check(!stored.includes(operatorKey), 'no key in localStorage, sessionStorage or a readable cookie');
  check(stored.indexOf('kairos_console') < 0, 'the session cookie is HttpOnly');

  // the reference for the page timings: one round trip to a trivial endpoint of the same node, from the page
  const reference = await page.evaluate(async () => {
    const times = [];
    for (let i = 0; i < 21; i += 1) {
      const t0 = performance.now();
      await (await fetch('/console/session')).text();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[10];
  });

  await visit('#/campaigns', 'campaigns', false);
  await visit(`#/campaigns/${encodeURIComponent(campaignId)}`, 'campaign', true);
  await visit('#/prices', 'prices', false);
  const unfilled = await page.$$eval('td', (tds) => tds.filter((td) => td.textContent === '…').length);
  check(unfilled === 0, `every dynamic SKU's guardrails are shown (${unfilled} still loading)`);
  await visit(`#/prices/${encodeURIComponent(sku)}`, 'sku', true);
  await visit('#/models', 'models', false);
  await visit(`#/shoppers/${encodeURIComponent(shopper)}`, 'shopper', false);
  await visit('#/live', 'live', true);

  // create a campaign through the form, then pause and resume it with the buttons
  const id = `ui-${Date.now()}`;
  await visit('#/campaigns/new', 'new-campaign', false);
  await page.fill('input[name=campaignId]', id);
  await page.fill('input[name=name]', 'Created in the browser');
  await page.fill('input[name=value]', '5');
  await page.fill('input[name=budget]', '500');
  await page.click('#campaign-form button[type=submit]');
  await page.waitForFunction((h) => document.getElementById('main').getAttribute('data-ready') === h, `#/campaigns/${id}`);
  check((await page.textContent('#status')) === 'active', 'the new campaign is active');
  await page.click('#pause');
  await page.waitForFunction(() => document.querySelector('#status') && document.querySelector('#status').textContent === 'paused');
  await page.click('#resume');
  await page.waitForFunction(() => document.querySelector('#status') && document.querySelector('#status').textContent === 'active');
  await page.screenshot({ path: `${shots}/campaign-created.png`, fullPage: true });

  // phone width: the campaigns page does not scroll sideways
  await page.setViewportSize({ width: 390, height: 844 });
  await visit('#/campaigns', 'campaigns-phone', false);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `no sideways scroll at phone width (overflow ${overflow}px)`);
  await page.setViewportSize({ width: 1280, height: 900 });

  // log out, then in as an auditor: no pause button, and the API refuses the change even with the CSRF token
  await page.click('#logout');
  await page.waitForSelector('#login-form');
  await page.fill('#login-key', auditorKey);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('main').getAttribute('data-ready') === '#/campaigns');
  await visit(`#/campaigns/${encodeURIComponent(id)}`, 'campaign-auditor', true);
  check(!(await page.$('#pause')), 'an auditor sees no pause button');
  // a point of the price chart opens its decision record, and the record replays identical
  await visit(`#/prices/${encodeURIComponent(sku)}`, 'sku-auditor', true);
  const box = await (await page.$('.uplot .u-over')).boundingBox();
  await page.mouse.click(box.x + 3, box.y + box.height / 2);
  await page.waitForSelector('#decision-title', { timeout: 5000 });
  await page.click('#replay');
  await page.waitForSelector('#replayed', { timeout: 10000 });
  check((await page.textContent('#replayed')) === 'Replayed: identical.', 'the price decision replays identical');
  await page.screenshot({ path: `${shots}/sku-decision.png`, fullPage: true });
  check(problems.length === 0, `no console errors, page errors or 5xx: ${problems.join(' | ')}`);
  const expected = problems.length;
  const status = await page.evaluate(async (cid) => {
    const s = await (await fetch('/console/session')).json();
    const r = await fetch(`/v1/campaigns/${encodeURIComponent(cid)}`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken },
      body: JSON.stringify({ status: 'paused' }),
    });
    return r.status;
  }, id);
  check(status === 403, `an auditor's pause is refused with 403 (got ${status})`);
  const noCsrf = await page.evaluate(async (cid) => (await fetch(`/v1/campaigns/${encodeURIComponent(cid)}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 'paused' }),
  })).status, id);
  check(noCsrf === 403, `a change without the CSRF token is refused with 403 (got ${noCsrf})`);

  // the two refusals above are the only errors the browser may log now
  const after = problems.slice(expected);
  check(after.length === 2 && after.every((p) => p.includes('403')), `only the two refusals: ${after.join(' | ')}`);
  console.log(JSON.stringify({ ok: true, timingsMs: timings, completeMs: complete, referenceMs: Number(reference.toFixed(2)) }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: e.message, problems, timingsMs: timings, completeMs: complete }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
