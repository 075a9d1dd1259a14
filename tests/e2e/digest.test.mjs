// The digest from the cron: a worker of its own with DIGEST set (daily at 08:00 Europe/Berlin, to
// a Slack webhook and a signed webhook, both a loopback receiver here). Runs scheduled around the
// spring-forward night show each channel gets exactly one digest per local day, at 08:00 local
// on either side of the clock change, and a repeated run in the same period sends nothing; a
// channel that fails gets its period again next run, without repeating the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { SIM, ARTIFACTS } from './helpers.mjs';
import { OwnWorker } from './own-worker.mjs';

const PERSIST = resolve(ARTIFACTS, 'digest-state');
const own = new OwnWorker('digest', PERSIST);
const CRON = '*/15 * * * *';
const SECRET = 'digest-test-secret';
const got = [];
// Paths the receiver answers 500 (a channel that is down).
const failing = new Set();
let receiver;

const runCron = async (iso) => {
  const r = await fetch(`${own.base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}&time=${Date.parse(iso)}`);
  assert.equal(r.status, 200, await r.text());
};
/// What arrived since the last call.
const take = () => got.splice(0, got.length);

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const status = failing.has(req.url) ? 500 : 200;
      got.push({ path: req.url, headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${receiver.address().port}`;
  rmSync(PERSIST, { recursive: true, force: true });
  own.migrate();
  const sources = (await (await fetch(SIM + '/_demo/connections')).json()).map((c) => ({ ...c, threshold: '1d' }));
  const digest = { every: 'daily', hour: 8, zone: 'Europe/Berlin', channels: [
    { kind: 'slack', url: base + '/slack' },
    { kind: 'webhook', url: base + '/hook', secret: SECRET },
  ] };
  await own.start({ BACKBOARD_SOURCES: JSON.stringify(sources), DIGEST: JSON.stringify(digest) });
});

after(async () => {
  await own.stop();
  await new Promise((r) => receiver?.close(r) ?? r());
});

/// Checks one period's delivery: one Slack message and one signed webhook, both for `day`.
function checkDelivery(day, sentAt) {
  const all = take();
  assert.deepEqual(all.map((m) => m.path).sort(), ['/hook', '/slack'], own.log);
  const slack = JSON.parse(all.find((m) => m.path === '/slack').body);
  assert.match(slack.text, new RegExp(`daily digest, ${day}`));
  assert.ok(Array.isArray(slack.blocks) && slack.blocks.length > 1, 'Slack blocks');
  const hook = all.find((m) => m.path === '/hook');
  const [, t, v1] = hook.headers['x-backboard-signature'].match(/^t=(\d+),v1=([0-9a-f]{64})$/);
  assert.equal(Number(t), Date.parse(sentAt) / 1000);
  assert.equal(v1, createHmac('sha256', SECRET).update(`${t}.${hook.body}`).digest('hex'));
  const body = JSON.parse(hook.body);
  assert.equal(body.type, 'digest');
  assert.equal(body.data.period, day);
  assert.equal(body.data.cadence, 'daily');
  assert.ok(body.data.sources.length >= 1);
}

test('one digest per local day in each channel, at 08:00 Berlin across the clock change', async () => {
  // 07:30 CET: the first digest waits for 08:00 (yesterday's is past its hour of grace).
  await runCron('2026-03-28T06:30:00Z');
  assert.deepEqual(take(), []);
  // 08:00 CET is 07:00 UTC.
  await runCron('2026-03-28T07:00:00Z');
  checkDelivery('2026-03-28', '2026-03-28T07:00:00Z');
  // Later runs on the same day send nothing again.
  await runCron('2026-03-28T07:15:00Z');
  await runCron('2026-03-28T07:00:00Z');
  assert.deepEqual(take(), []);
  // Clocks went forward overnight: 08:00 CEST is 06:00 UTC.
  await runCron('2026-03-29T05:45:00Z');
  assert.deepEqual(take(), []);
  await runCron('2026-03-29T06:00:00Z');
  checkDelivery('2026-03-29', '2026-03-29T06:00:00Z');
  await runCron('2026-03-29T06:15:00Z');
  assert.deepEqual(take(), []);
});

test('a channel that fails gets the period again next run, the others do not', async () => {
  failing.add('/hook');
  await runCron('2026-03-30T06:00:00Z');
  assert.deepEqual(take().map((m) => [m.path, m.status]).sort(), [['/hook', 500], ['/slack', 200]]);
  failing.delete('/hook');
  await runCron('2026-03-30T06:15:00Z');
  const again = take();
  assert.deepEqual(again.map((m) => m.path), ['/hook'], own.log);
  assert.equal(JSON.parse(again[0].body).data.period, '2026-03-30');
  await runCron('2026-03-30T06:30:00Z');
  assert.deepEqual(take(), []);
});
