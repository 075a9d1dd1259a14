// The history at the edge: the cron records restore points and each source's days in D1, and
// GET /api/v1/sources/{key}/history and /api/v1/compliance answer from them. This file starts a
// worker of its own (wrangler dev --test-scheduled) on a local D1 it migrates first (cleared
// first), with the demo sources each expected daily. The simulator's `history` knob gives every
// source a month of daily backups, one of them with a day left out; the cron then runs once a
// day at noon UTC over the last ten days (Miniflare's `time`), and once now. The expected days are
// judged here again, independently of the core, from the restore points the endpoint lists.
// The SPA, with the edge API key set in Settings, then shows the same days and percentages on
// the source's page (its requests to the stack's worker address are answered by this worker).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { SIM, ARTIFACTS, WEB, WORKER, launch, openApp, go, openSource, addServerAvatar } from './helpers.mjs';
import { OwnWorker } from './own-worker.mjs';

const KEY = 'history-test-key';
const PERSIST = resolve(ARTIFACTS, 'history-state');
const own = new OwnWorker('history', PERSIST);
const CRON = '*/15 * * * *';
const DAY = 86_400;
const DAY_MS = DAY * 1000;
// A restore point may be 1.5 expected intervals old (health's warn_factor).
const ALLOWED = 1.5 * DAY;
const SIM_KEYS = ['serveravatar', 'northflank_addon', 'northflank_destination', 'mittwald'];
// The ServerAvatar source misses its backup three days before the newest.
const GAPPY = 'serveravatar:organization:5';

const runs = [];

async function startWorker() {
  const sources = (await (await fetch(SIM + '/_demo/connections')).json()).map((c) => ({ ...c, threshold: '1d' }));
  await own.start({ BACKBOARD_API_KEY: KEY, BACKBOARD_SOURCES: JSON.stringify(sources) });
}
const stopWorker = () => own.stop();

/// Runs the cron as if scheduled at `ms`: wrangler dev's trigger route takes the scheduled time
/// (its `/__scheduled` does not), and answers once the handler is done.
async function runCron(ms) {
  const r = await fetch(`${own.base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}&time=${ms}`);
  assert.equal(r.status, 200, await r.text());
  runs.push(ms);
}

const get = (path, { key = KEY, accept, method } = {}) => fetch(own.base + path, {
  method,
  headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(accept ? { Accept: accept } : {}) },
});
const json = async (path) => {
  const r = await get(path);
  const body = await r.text();
  assert.equal(r.status, 200, body);
  return JSON.parse(body);
};
/// RFC 4180 rows: fields quoted or not, "" inside quotes is one ".
function csvRows(text) {
  const rows = [];
  let [row, field, quoted, i] = [[], '', false, 0];
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); [row, field] = [[], '']; i++; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
const dayText = (ms) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (ms) => Math.floor(ms / DAY_MS) * DAY_MS;

/// The status of each UTC day from `from` to `to` for a source expected daily since its first
/// run, with no failed attempt: met when no moment of the judged part of the day had a newest
/// restore point older than allowed.
function expectedDays(points, from, to) {
  const pts = points.map((p) => Date.parse(p.completed)).sort((a, b) => a - b);
  const [added, last] = [runs[0], Math.max(...runs)];
  const covered = new Set(runs.map(dayText));
  const out = [];
  for (let d = Date.parse(from + 'T00:00:00Z'); d <= Date.parse(to + 'T00:00:00Z'); d += DAY_MS) {
    const [a, b] = [Math.max(added, d), Math.min(last, d + DAY_MS)];
    if (d < dayStart(added) || d > dayStart(last) || !covered.has(dayText(d)) || a >= b) {
      out.push('no_data');
      continue;
    }
    const newestAt = (t) => pts.filter((p) => p <= t).at(-1);
    let worst = newestAt(a) === undefined ? Infinity : (b - newestAt(b)) / 1000;
    for (const p of pts.filter((p) => p > a && p <= b)) {
      const prev = pts.filter((q) => q < p).at(-1);
      worst = Math.max(worst, prev === undefined ? Infinity : (p - prev) / 1000);
    }
    out.push(worst <= ALLOWED ? 'met' : 'missed');
  }
  return out;
}

before(async () => {
  rmSync(PERSIST, { recursive: true, force: true });
  own.migrate();
  const history = {};
  for (const s of SIM_KEYS) history[s] = { completed: 30, every_secs: DAY, newest_age_secs: 3600 };
  history.serveravatar.missing = [3];
  const r = await fetch(SIM + '/_demo/reset', {
    method: 'POST',
    body: JSON.stringify({ seed: 42, latency_ms: 0, jitter_ms: 0, history }),
  });
  assert.equal(r.status, 200, 'simulator reset');
  await startWorker();
});

after(async () => {
  await stopWorker();
  await fetch(SIM + '/_demo/reset?defaults', { method: 'POST' }).catch(() => {});
});

test('before any run: the routes answer, with the key, GET and HEAD only', async () => {
  for (const path of ['/api/v1/compliance', `/api/v1/sources/${GAPPY}/history`]) {
    for (const key of [null, 'wrong']) {
      const r = await get(path, { key });
      assert.equal(r.status, 401, `${path} ${key}`);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await get(path, { method });
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
    }
    assert.equal((await get(path, { method: 'HEAD' })).status, path.includes('history') ? 404 : 200);
  }
  const none = await get(`/api/v1/sources/${GAPPY}/history`);
  assert.equal(none.status, 404);
  assert.match((await none.json()).error, /no history is recorded/);
  const c = await json('/api/v1/compliance?days=7');
  assert.equal(c.sources.length, 4);
  for (const s of c.sources) assert.deepEqual([s.no_data, s.met, s.percent], [7, 0, null], s.key);
});

test('the cron over ten simulated days records the days the core judges', async () => {
  const today = dayStart(Date.now());
  for (let k = 10; k >= 1; k--) await runCron(today - k * DAY_MS + DAY_MS / 2);
  await runCron(Date.now());

  const from = dayText(today - 12 * DAY_MS);
  const to = dayText(today);
  let missed = 0;
  const keys = (await json('/api/v1/compliance')).sources.map((s) => s.key);
  assert.equal(keys.length, SIM_KEYS.length);
  for (const key of keys) {
    const h = await json(`/api/v1/sources/${encodeURIComponent(key)}/history?from=${from}&to=${to}`);
    assert.equal(h.source, key);
    assert.deepEqual([h.from, h.to, h.days.length], [from, to, 13]);
    const want = expectedDays(h.restore_points, from, to);
    assert.deepEqual(h.days.map((d) => d.status), want, key);
    assert.deepEqual(h.days.slice(0, 2).map((d) => d.no_data), ['before_added', 'before_added'], key);
    assert.equal(h.summary.met, want.filter((s) => s === 'met').length, key);
    assert.equal(h.summary.missed, want.filter((s) => s === 'missed').length, key);
    // Every restore point the provider lists in the range, once.
    const ids = h.restore_points.map((p) => p.backup_id);
    assert.equal(new Set(ids).size, ids.length, key);
    assert.ok(ids.length >= 10, `${key}: ${ids.length} restore points`);
    assert.equal(h.days.reduce((n, d) => n + d.restore_points, 0), ids.length, key);
    if (key === GAPPY) missed = h.summary.missed;
    else assert.equal(h.summary.missed, 0, key);
  }
  assert.ok(missed >= 1, 'the left-out backup makes a missed day');

  // Compliance over 30 days: the same days, counted, and met ÷ days with data.
  const c = await json('/api/v1/compliance?days=30');
  assert.equal(c.days, 30);
  assert.equal(c.to, to);
  for (const s of c.sources) {
    const h = await json(`/api/v1/sources/${encodeURIComponent(s.key)}/history?from=${dayText(today - 29 * DAY_MS)}&to=${to}`);
    const count = (st) => h.days.filter((d) => d.status === st).length;
    assert.deepEqual([s.met, s.missed, s.failed, s.no_data], [count('met'), count('missed'), count('failed'), count('no_data')], s.key);
    const withData = s.met + s.missed + s.failed;
    assert.equal(s.percent, Math.floor((s.met * 1000) / withData) / 10, s.key);
  }
  const gappy = c.sources.find((s) => s.key === GAPPY);
  assert.ok(gappy.percent < 100 && gappy.missed >= 1, JSON.stringify(gappy));
  assert.ok(c.sources.filter((s) => s.key !== GAPPY).every((s) => s.percent === 100), JSON.stringify(c.sources));
});

test('a repeated run records nothing twice', async () => {
  const path = `/api/v1/sources/${GAPPY}/history?from=${dayText(Date.now() - 12 * DAY_MS)}`;
  const before = await json(path);
  const compliance = await json('/api/v1/compliance?days=30');
  await runCron(runs.at(-1));
  await runCron(runs.at(-1));
  const again = await json(path);
  assert.deepEqual(again.restore_points, before.restore_points);
  assert.deepEqual(again.days, before.days);
  assert.deepEqual(await json('/api/v1/compliance?days=30'), compliance);
});

test('CSV says what JSON says', async () => {
  const path = `/api/v1/sources/${encodeURIComponent(GAPPY)}/history?from=${dayText(Date.now() - 12 * DAY_MS)}`;
  const h = await json(path);
  for (const r of [await get(path + '&format=csv'), await get(path, { accept: 'text/csv' })]) {
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /text\/csv/);
    const [head, ...rows] = csvRows(await r.text());
    assert.deepEqual(head, ['source', 'date', 'status', 'restore_points', 'failures', 'longest_secs', 'allowed_secs', 'text']);
    assert.equal(rows.length, h.days.length);
    rows.forEach((row, i) => {
      const d = h.days[i];
      // CSV spells the status as the strip's words ("no data"), JSON as an identifier.
      const status = d.status === 'no_data' ? 'no data' : d.status;
      assert.deepEqual(row.slice(0, 5), [GAPPY, d.date, status, String(d.restore_points), String(d.failures)]);
      assert.equal(row[5], d.longest_secs === null ? '' : String(d.longest_secs));
      assert.equal(row[7], d.text);
    });
  }
  const c = await json('/api/v1/compliance?days=30');
  const r = await get('/api/v1/compliance?days=30&format=csv');
  const [head, ...rows] = csvRows(await r.text());
  assert.deepEqual(head, ['source', 'label', 'days', 'met', 'missed', 'failed', 'no_data', 'percent']);
  assert.deepEqual(rows, c.sources.map((s) => [s.key, s.label, '30', String(s.met), String(s.missed), String(s.failed),
    String(s.no_data), s.percent === null ? '' : s.percent.toFixed(1)]));
});

test('the SPA with the edge API key shows the recorded strip and percentages', async () => {
  const browser = await launch();
  try {
    const { context, page, errors } = await openApp(browser);
    // The page may talk only to the stack's worker (its CSP): that address's API is answered here
    // by this test's worker, with the CORS grant the stack's worker would give.
    const grant = { 'access-control-allow-origin': new URL(WEB).origin, 'access-control-allow-headers': 'Authorization, Accept',
      'access-control-allow-methods': 'GET, HEAD, OPTIONS', vary: 'Origin' };
    await context.route(`${WORKER}/api/v1/**`, async (route) => {
      if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: grant });
      const u = new URL(route.request().url());
      const r = await route.fetch({ url: own.base + u.pathname + u.search });
      return route.fulfill({ response: r, headers: { ...r.headers(), ...grant } });
    });
    await addServerAvatar(page, { label: 'Recorded', token: 'sa-demo-token', organization: '5' });
    await page.locator('.conn-status.ok').first().waitFor({ timeout: 60_000 });
    await openSource(page, 'Recorded');
    const panel = page.locator('section.source-history');
    // Without the key: the listed backups, said so.
    await panel.locator('p.evidence[data-from="listing"]').waitFor();

    await go(page, 'Settings');
    await page.getByLabel('Edge API key').fill(KEY);
    await page.getByRole('button', { name: 'Save key' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved. History is read from' }).waitFor();
    await openSource(page, 'Recorded');
    await panel.locator('p.evidence[data-from="worker"]', { hasText: "From the worker's recorded history" }).waitFor({ timeout: 30_000 });

    const today = dayStart(Date.now());
    const h = await json(`/api/v1/sources/${encodeURIComponent(GAPPY)}/history?from=${dayText(today - 89 * DAY_MS)}&to=${dayText(today)}`);
    const shown = await panel.locator('ol.strip [data-status]').evaluateAll((list) => list.map((c) => [c.dataset.date, c.dataset.status, c.getAttribute('aria-label')]));
    assert.equal(shown.length, 90);
    assert.deepEqual(shown, h.days.map((d) => [d.date, d.status === 'no_data' ? 'no data' : d.status, d.text]));
    assert.ok(shown.some(([, s]) => s === 'missed'), 'the left-out backup shows as a missed day');
    for (const [n, name] of [[7, 'Last 7 days'], [30, 'Last 30 days'], [90, 'Last 90 days']]) {
      const days = h.days.slice(-n);
      const met = days.filter((d) => d.status === 'met').length;
      const withData = days.filter((d) => d.status !== 'no_data').length;
      const want = withData === 0 ? 'no data' : `${(Math.floor((met * 1000) / withData) / 10).toFixed(1)}%`;
      assert.equal(await panel.locator('.figure', { hasText: name }).locator('.percent').textContent(), want, name);
    }
    // The 30-day figure is the compliance endpoint's.
    const c = (await json('/api/v1/compliance?days=30')).sources.find((s) => s.key === GAPPY);
    assert.equal(await panel.locator('.figure', { hasText: 'Last 30 days' }).locator('.percent').textContent(), `${c.percent.toFixed(1)}%`);
    await page.screenshot({ path: `${ARTIFACTS}/history-spa.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('bad queries are refused with the reason', async () => {
  const bad = async (path, pattern) => {
    const r = await get(path);
    assert.equal(r.status, 400, path);
    assert.match((await r.json()).error, pattern);
  };
  await bad('/api/v1/compliance?days=0', /days must be a whole number/);
  await bad(`/api/v1/sources/${GAPPY}/history?from=yesterday`, /from: .*not a day/);
  await bad(`/api/v1/sources/${GAPPY}/history?from=2026-12-05&to=2026-12-01`, /is after/);
  const unknown = await get('/api/v1/sources/nobody:none:0/history');
  assert.equal(unknown.status, 404);
});
