// Quiet periods and flapping at the edge: a worker of its own (wrangler dev --test-scheduled) on a
// migrated local D1, the four demo sources each expected daily, WEBHOOK_URL pointing at a receiver
// here. The simulator's history knob keeps every source healthy; a fault on the mittwald listing
// makes that source unknown for as long as it stays. Each source's settings are set through
// GET/PUT /api/v1/sources/{key}/settings and PUT/DELETE /api/v1/sources/{key}/snooze.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { SIM, ARTIFACTS, addFault } from './helpers.mjs';
import { OwnWorker } from './own-worker.mjs';

const KEY = 'quiet-test-key';
const PERSIST = resolve(ARTIFACTS, 'quiet-state');
const own = new OwnWorker('quiet', PERSIST);
const CRON = '*/15 * * * *';
const DAY = 86_400;
const MW = 'mittwald:project:3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10';
const MW_LABEL = 'mittwald shop project';

const posts = [];
let receiver;

/// Every source healthy (three daily backups, the newest an hour old); `down` names the
/// mittwald listing as failing (a 500 is not retried: the source is unknown).
async function scenario({ down = false } = {}) {
  const history = {};
  for (const s of ['serveravatar', 'northflank_addon', 'northflank_destination', 'mittwald']) {
    history[s] = { completed: 3, every_secs: DAY, newest_age_secs: 3600 };
  }
  const r = await fetch(SIM + '/_demo/reset', {
    method: 'POST',
    body: JSON.stringify({ seed: 42, latency_ms: 0, jitter_ms: 0, history }),
  });
  assert.equal(r.status, 200, 'simulator reset');
  if (down) await addFault({ path_prefix: '/mittwald/', fault: { kind: 'status', status: 500 } });
}

/// Runs the cron once at the runtime's clock and returns the change messages it posted.
async function runCron() {
  const before = posts.length;
  const r = await fetch(`${own.base}/__scheduled?cron=${encodeURIComponent(CRON)}`);
  assert.equal(r.status, 200, await r.text());
  return posts.slice(before).map((p) => JSON.parse(p).text);
}

const api = (path, { method = 'GET', body, key = KEY } = {}) => fetch(own.base + path, {
  method,
  headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
  body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
});
const ok = async (path, init) => {
  const r = await api(path, init);
  const text = await r.text();
  assert.equal(r.status, 200, `${init?.method ?? 'GET'} ${path}: ${text}`);
  return JSON.parse(text);
};
const settingsPath = (key = MW) => `/api/v1/sources/${encodeURIComponent(key)}/settings`;
const snoozePath = (key = MW) => `/api/v1/sources/${encodeURIComponent(key)}/snooze`;

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { posts.push(body); res.writeHead(200).end('ok'); });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  rmSync(PERSIST, { recursive: true, force: true });
  own.migrate();
  await scenario();
  const sources = (await (await fetch(SIM + '/_demo/connections')).json()).map((c) => ({ ...c, threshold: '1d' }));
  await own.start({
    BACKBOARD_API_KEY: KEY,
    BACKBOARD_SOURCES: JSON.stringify(sources),
    WEBHOOK_URL: `http://127.0.0.1:${receiver.address().port}/hook`,
  });
});

after(async () => {
  await own.stop();
  await new Promise((r) => receiver?.close(r) ?? r());
  await fetch(SIM + '/_demo/reset?defaults', { method: 'POST' }).catch(() => {});
});

test('settings: the key, the methods, the defaults, and a bad body refused with the reason', async () => {
  for (const key of [null, 'wrong']) {
    const r = await api(settingsPath(), { key });
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Bearer');
  }
  const post = await api(settingsPath(), { method: 'POST', body: {} });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD, PUT');
  const get = await api(snoozePath());
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'PUT, DELETE');
  const unknown = await api(settingsPath('nobody:none:0'));
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).error, /no configured source/);

  const s = await ok(settingsPath());
  assert.equal(s.source, MW);
  assert.equal(s.label, MW_LABEL);
  assert.equal(s.quiet_until, null);
  assert.deepEqual(s.settings, s.defaults);
  assert.deepEqual(s.defaults, {
    windows: [], snooze_until: null, time_zone: null, flap_runs: 2, size_check: true,
    size: { window: 7, tolerance_pct: 50, min_points: 3 },
  });

  const bad = async (path, method, body, pattern) => {
    const r = await api(path, { method, body });
    const text = await r.text();
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${text}`);
    assert.match(JSON.parse(text).error, pattern);
  };
  await bad(settingsPath(), 'PUT', { flap_runs: 0 }, /flap_runs is from 1 to 96/);
  await bad(settingsPath(), 'PUT', { windows: [{ kind: 'recurring', cron: 'nightly', duration_secs: 600 }] }, /window 1: .*not a cron line/);
  await bad(settingsPath(), 'PUT', { time_zone: 'Mars/Olympus' }, /time_zone: .*not a time zone/);
  await bad(settingsPath(), 'PUT', { size: { tolerance_pct: 0 } }, /tolerance/);
  await bad(settingsPath(), 'PUT', { quiet: true }, /unknown field/);
  await bad(settingsPath(), 'PUT', 'not json', /not valid JSON/);
  await bad(snoozePath(), 'PUT', { for: 'a while' }, /for: .*not a duration/);
  await bad(snoozePath(), 'PUT', { until: '2000-01-01T00:00:00Z' }, /in the future/);
  assert.deepEqual((await ok(settingsPath())).settings, s.defaults, 'nothing was stored');

  // A full document is stored and read back as sent.
  const doc = {
    windows: [
      { kind: 'once', from: '2030-01-01T00:00:00Z', until: '2030-01-01T04:00:00Z' },
      { kind: 'recurring', cron: '0 2 * * sun', duration_secs: 7200 },
    ],
    snooze_until: null, time_zone: 'Europe/Berlin', flap_runs: 3, size_check: true,
    size: { window: 10, tolerance_pct: 30, min_points: 4 },
  };
  assert.deepEqual((await ok(settingsPath(), { method: 'PUT', body: doc })).settings, doc);
  assert.deepEqual((await ok(settingsPath())).settings, doc);
  const off = (await ok(settingsPath(), { method: 'PUT', body: { size_check: false } })).settings;
  assert.equal(off.size_check, false);
  // Back to the defaults for the cron steps.
  assert.deepEqual((await ok(settingsPath(), { method: 'PUT', body: {} })).settings, s.defaults);
});

// The cron steps run in order, each from the state the last one left.

test('cron: a verdict that flaps is never announced; one that holds two runs is, once', async () => {
  await scenario();
  assert.deepEqual(await runCron(), [], 'a healthy first run is quiet');
  await scenario({ down: true });
  assert.deepEqual(await runCron(), [], 'one run is not enough');
  await scenario();
  assert.deepEqual(await runCron(), [], 'back before it held');
  await scenario({ down: true });
  assert.deepEqual(await runCron(), []);
  const told = await runCron();
  assert.equal(told.length, 1, JSON.stringify(told));
  assert.ok(told[0].includes(`*${MW_LABEL}* (mittwald): healthy → *unknown*`), told[0]);
  assert.deepEqual(await runCron(), [], 'told once');
  await scenario();
  assert.deepEqual(await runCron(), []);
  const back = await runCron();
  assert.equal(back.length, 1);
  assert.ok(back[0].includes('unknown → *healthy*'), back[0]);
});

test('cron: a source whose flap_runs is 1 is announced at once', async () => {
  await ok(settingsPath(), { method: 'PUT', body: { flap_runs: 1 } });
  await scenario({ down: true });
  const told = await runCron();
  assert.equal(told.length, 1, JSON.stringify(told));
  assert.ok(told[0].includes('healthy → *unknown*'), told[0]);
  await scenario();
  const back = await runCron();
  assert.equal(back.length, 1);
  assert.ok(back[0].includes('unknown → *healthy*'), back[0]);
  await ok(settingsPath(), { method: 'PUT', body: {} });
});

test('cron: a snooze silences the change; once it ends, the change that held is sent', async () => {
  const s = await ok(snoozePath(), { method: 'PUT', body: { for: '2h' } });
  const until = Date.parse(s.settings.snooze_until);
  assert.ok(until > Date.now() + 7000_000 && until <= Date.now() + 7200_000, s.settings.snooze_until);
  assert.equal(s.quiet_until, s.settings.snooze_until);
  await scenario({ down: true });
  assert.deepEqual(await runCron(), []);
  assert.deepEqual(await runCron(), [], 'held, but quiet');
  assert.deepEqual(await runCron(), []);
  const ended = await ok(snoozePath(), { method: 'DELETE' });
  assert.equal(ended.settings.snooze_until, null);
  assert.equal(ended.quiet_until, null);
  const told = await runCron();
  assert.equal(told.length, 1, JSON.stringify(told));
  assert.ok(told[0].includes(`*${MW_LABEL}* (mittwald): healthy → *unknown*`), told[0]);
  assert.deepEqual(await runCron(), []);
});

test('cron: a maintenance window open now keeps the source quiet', async () => {
  const from = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const until = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const s = await ok(settingsPath(), { method: 'PUT', body: { windows: [{ kind: 'once', from, until }] } });
  assert.equal(s.quiet_until, until);
  await scenario();
  assert.deepEqual(await runCron(), []);
  assert.deepEqual(await runCron(), [], 'back to healthy, not sent during the window');
  await ok(settingsPath(), { method: 'PUT', body: {} });
  const told = await runCron();
  assert.equal(told.length, 1, JSON.stringify(told));
  assert.ok(told[0].includes('unknown → *healthy*'), told[0]);
});
