// Monitoring at the edge: GET /api/v1/backups/health and the Cron Trigger that posts verdict
// changes to a webhook. This file starts a worker of its own (wrangler dev --test-scheduled),
// with its own local KV directory (cleared first), the four demo sources each expected daily
// (`threshold: "1d"`), and WEBHOOK_URL pointing at a receiver in this process. The simulator's
// `history` knob and fault rules put each source in the verdict a step needs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { rmSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SIM, ARTIFACTS, addFault } from './helpers.mjs';
import { OwnWorker } from './own-worker.mjs';

const KEY = 'monitor-test-key';
const PERSIST = resolve(ARTIFACTS, 'monitoring-state');
const own = new OwnWorker('monitoring', PERSIST);
const CRON = '*/15 * * * *';
const DAY = 86_400;

const LABELS = {
  sa: 'ServerAvatar demo org',
  addon: 'Northflank postgres addon',
  dest: 'Northflank offsite destination',
  mw: 'mittwald shop project',
};
const HISTORY_KEY = { sa: 'serveravatar', addon: 'northflank_addon', dest: 'northflank_destination', mw: 'mittwald' };
// A listing that fails (500 is not retried): the source is unknown.
const FAULT_PREFIX = {
  sa: '/serveravatar/', addon: '/northflank/v1/projects/', dest: '/northflank/v1/backup-destinations/', mw: '/mittwald/',
};
// Daily expectation: 1 h old is fresh, 2 d old is past 1.5 intervals, two failures in a row fail.
const SHAPES = {
  healthy: { newest_age_secs: 3600 },
  warning: { newest_age_secs: 2 * DAY },
  failing: { newest_age_secs: 3600, failed: 2 },
  unknown: { newest_age_secs: 3600 },
};

/// Puts each source in the named verdict: { sa: 'healthy', addon: 'warning', ... }.
async function scenario(verdicts) {
  const history = {};
  for (const [s, v] of Object.entries(verdicts)) history[HISTORY_KEY[s]] = { completed: 3, every_secs: DAY, ...SHAPES[v] };
  const r = await fetch(SIM + '/_demo/reset', {
    method: 'POST',
    body: JSON.stringify({ seed: 42, latency_ms: 0, jitter_ms: 0, history }),
  });
  assert.equal(r.status, 200, 'simulator reset');
  for (const [s, v] of Object.entries(verdicts)) {
    if (v === 'unknown') await addFault({ path_prefix: FAULT_PREFIX[s], fault: { kind: 'status', status: 500 } });
  }
}
const ALL_HEALTHY = { sa: 'healthy', addon: 'healthy', dest: 'healthy', mw: 'healthy' };

// ---------------------------------------------------------------------------------------------
// The webhook receiver: records every post; answers 500 while `failing` is set.

const hook = { posts: [], failing: false, server: null, url: '' };
function startReceiver() {
  hook.server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const status = hook.failing ? 500 : 200;
      hook.posts.push({ method: req.method, path: req.url, type: req.headers['content-type'], body, status });
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'ok' : 'broken');
    });
  });
  return new Promise((r) => hook.server.listen(0, '127.0.0.1', () => {
    hook.url = `http://127.0.0.1:${hook.server.address().port}/hooks/backboard`;
    r();
  }));
}

// ---------------------------------------------------------------------------------------------
// The worker under test.

async function startWorker() {
  const sources = (await (await fetch(SIM + '/_demo/connections')).json()).map((c) => ({ ...c, threshold: '1d' }));
  await own.start({ BACKBOARD_API_KEY: KEY, BACKBOARD_SOURCES: JSON.stringify(sources), WEBHOOK_URL: hook.url });
}
const stopWorker = () => own.stop();

const health = (query = '', key = KEY, init = {}) =>
  fetch(own.base + '/api/v1/backups/health' + query, { ...init, headers: key ? { Authorization: `Bearer ${key}` } : {} });

/// Runs the Cron Trigger once (wrangler's scheduled-test route answers once the handler is done)
/// and returns the posts it made.
async function runCron() {
  const before = hook.posts.length;
  const r = await fetch(`${own.base}/__scheduled?cron=${encodeURIComponent(CRON)}`);
  assert.equal(r.status, 200, await r.text());
  return hook.posts.slice(before);
}

const text = (post) => JSON.parse(post.body).text;

before(async () => {
  rmSync(PERSIST, { recursive: true, force: true });
  await startReceiver();
  await scenario(ALL_HEALTHY);
  await startWorker();
});

after(async () => {
  await stopWorker();
  hook.server?.close();
});

// ---------------------------------------------------------------------------------------------
// The endpoint

test('the health endpoint needs the key', async () => {
  for (const key of [null, 'wrong', KEY + 'x']) {
    const r = await health('', key);
    assert.equal(r.status, 401, String(key));
    assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    assert.match((await r.json()).error, /Bearer/);
  }
  const post = await health('', KEY, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
});

test('every verdict is visible, with its reasons, expectation and counts', async () => {
  await scenario({ sa: 'healthy', addon: 'warning', dest: 'failing', mw: 'unknown' });
  const r = await health();
  assert.equal(r.status, 200, 'not strict: 200 whatever the verdicts');
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const raw = await r.text();
  const body = JSON.parse(raw);
  assert.equal(body.status, 'failing', 'the worst verdict');
  assert.ok(!Number.isNaN(Date.parse(body.checkedAt)));
  assert.deepEqual(body.counts, { healthy: 1, unknown: 1, warning: 1, failing: 1 });
  assert.equal(body.sources.length, 4);
  const by = Object.fromEntries(body.sources.map((s) => [s.label, s]));
  assert.deepEqual(Object.keys(by).sort(), Object.values(LABELS).sort());

  const sa = by[LABELS.sa];
  assert.equal(sa.verdict, 'healthy');
  assert.equal(sa.provider, 'serveravatar');
  assert.equal(sa.key, 'serveravatar:organization:5');
  assert.equal(sa.reasons[0].code, 'fresh');
  assert.deepEqual(sa.expected, { every_secs: DAY, every: '1 d', from: 'threshold', description: 'your threshold' });
  assert.ok(sa.last_good.age_secs >= 3600 && sa.last_good.age_secs < 3600 + 600, String(sa.last_good.age_secs));
  assert.equal(sa.counts.total, 3);
  assert.equal(sa.counts.completed, 3);

  const addon = by[LABELS.addon];
  assert.equal(addon.verdict, 'warning');
  assert.equal(addon.reasons[0].code, 'overdue');
  assert.equal(addon.reasons[0].severity, 'warning');
  assert.match(addon.reasons[0].text, /no completed backup for 2 d.*expected every 1 d/);

  const dest = by[LABELS.dest];
  assert.equal(dest.verdict, 'failing');
  assert.equal(dest.reasons[0].code, 'consecutive_failures');
  assert.equal(dest.counts.failed_in_window, 2);

  const mw = by[LABELS.mw];
  assert.equal(mw.verdict, 'unknown');
  assert.equal(mw.reasons[0].code, 'listing_failed');
  assert.match(mw.reasons[0].text, /could not list backups: .*500/);
  assert.equal(mw.expected.every_secs, DAY, 'the threshold is kept for an unreachable source');
  assert.equal(mw.last_good, null);

  for (const secret of ['sa-demo-token', 'nf-demo-token', 'mw-demo-token', KEY]) assert.ok(!raw.includes(secret), secret);
});

test('strict makes the HTTP status follow the worst verdict', async () => {
  await scenario({ sa: 'healthy', addon: 'warning', dest: 'failing', mw: 'unknown' });
  const status = async (q) => {
    const r = await health(q);
    const body = await r.json();
    assert.ok(Array.isArray(body.sources), q);
    return [r.status, body.status];
  };
  assert.deepEqual(await status('?strict=1'), [503, 'failing']);
  assert.deepEqual(await status('?strict=true'), [503, 'failing']);
  assert.deepEqual(await status('?strict=0'), [200, 'failing']);
  // Filtered to one source: its own verdict decides.
  assert.deepEqual(await status('?provider=serveravatar&strict=unknown'), [200, 'healthy']);
  assert.deepEqual(await status('?source=offsite-s3&strict=1'), [503, 'failing']);
  assert.deepEqual(await status('?source=' + encodeURIComponent(LABELS.addon) + '&strict=1'), [200, 'warning']);
  assert.deepEqual(await status('?source=' + encodeURIComponent(LABELS.addon) + '&strict=warning'), [503, 'warning']);
  assert.deepEqual(await status('?provider=mittwald&strict=warning'), [200, 'unknown']);
  assert.deepEqual(await status('?provider=mittwald&strict=unknown'), [503, 'unknown']);

  const bad = await health('?strict=maybe');
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /strict must be 1/);
  const badProvider = await health('?provider=aws');
  assert.equal(badProvider.status, 400);
  assert.match((await badProvider.json()).error, /unknown provider "aws"/);

  await scenario(ALL_HEALTHY);
  assert.deepEqual(await status('?strict=1'), [200, 'healthy']);
  assert.deepEqual(await status('?strict=unknown'), [200, 'healthy']);
  const body = await (await health()).json();
  assert.deepEqual(body.counts, { healthy: 4, unknown: 0, warning: 0, failing: 0 });
});

// ---------------------------------------------------------------------------------------------
// The Cron Trigger (these run in order: each step starts from the state the last one left)

test('cron, first run: posts the sources that are not healthy, once, Slack-compatible', async () => {
  await scenario({ ...ALL_HEALTHY, mw: 'failing' });
  const posts = await runCron();
  assert.equal(posts.length, 1, JSON.stringify(posts));
  const [p] = posts;
  assert.equal(p.method, 'POST');
  assert.equal(p.path, '/hooks/backboard');
  assert.match(p.type, /application\/json/);
  assert.deepEqual(Object.keys(JSON.parse(p.body)), ['text']);
  const t = text(p);
  assert.match(t, /^Backboard: 1 backup source changed/);
  assert.ok(t.includes(`*${LABELS.mw}* (mittwald): *failing*`), t);
  assert.match(t, /every backup failed|the last 2 backups failed/);
  for (const other of [LABELS.sa, LABELS.addon, LABELS.dest]) assert.ok(!t.includes(other), other);
});

test('cron: a run with no change posts nothing', async () => {
  await scenario({ ...ALL_HEALTHY, mw: 'failing' });
  assert.deepEqual(await runCron(), []);
  assert.deepEqual(await runCron(), []);
});

test('cron: a changed verdict is posted exactly once, naming the source and the change', async () => {
  await scenario({ ...ALL_HEALTHY, addon: 'warning', mw: 'failing' });
  const posts = await runCron();
  assert.equal(posts.length, 1, JSON.stringify(posts));
  const t = text(posts[0]);
  assert.ok(t.includes(`*${LABELS.addon}* (Northflank): healthy → *warning*`), t);
  assert.match(t, /no completed backup for 2 d/);
  assert.ok(!t.includes(LABELS.mw), 'the unchanged failing source is not repeated');
  assert.deepEqual(await runCron(), [], 'told once');
});

test('cron: a failing webhook does not lose the change; the next run sends it again', async () => {
  await scenario({ ...ALL_HEALTHY, sa: 'unknown', addon: 'warning', mw: 'failing' });
  hook.failing = true;
  try {
    const refused = await runCron();
    assert.equal(refused.length, 1);
    assert.equal(refused[0].status, 500);
    assert.ok(text(refused[0]).includes(`*${LABELS.sa}* (ServerAvatar): healthy → *unknown*`), text(refused[0]));
  } finally {
    hook.failing = false;
  }
  const retried = await runCron();
  assert.equal(retried.length, 1, 'sent again');
  assert.equal(retried[0].status, 200);
  assert.equal(text(retried[0]), JSON.parse(hook.posts.at(-2).body).text, 'the same change');
  assert.deepEqual(await runCron(), [], 'delivered: not again');
});

test('cron: the state lives in KV on disk and survives a restart of the worker', async () => {
  const files = (dir) => readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
  assert.ok(existsSync(PERSIST), 'wrangler persisted to ' + PERSIST);
  assert.ok(files(PERSIST).some((f) => /kv/i.test(f)), 'a KV store under ' + PERSIST);

  await stopWorker();
  await startWorker();
  await scenario({ ...ALL_HEALTHY, sa: 'unknown', addon: 'warning', mw: 'failing' });
  assert.deepEqual(await runCron(), [], 'nothing changed since before the restart');

  // Several changes in one run: one message naming each.
  await scenario(ALL_HEALTHY);
  const posts = await runCron();
  assert.equal(posts.length, 1);
  const t = text(posts[0]);
  assert.match(t, /^Backboard: 3 backup sources changed/);
  assert.ok(t.includes(`*${LABELS.sa}* (ServerAvatar): unknown → *healthy*`), t);
  assert.ok(t.includes(`*${LABELS.addon}* (Northflank): warning → *healthy*`), t);
  assert.ok(t.includes(`*${LABELS.mw}* (mittwald): failing → *healthy*`), t);
  assert.ok(!t.includes(LABELS.dest), 'the destination stayed healthy');
  assert.deepEqual(await runCron(), []);
});
