// The digest from the cron: a worker of its own with DIGEST set (daily at 08:00 Europe/Berlin, to
// all five channels: Slack, Discord, Teams, ntfy and a signed webhook, each a path of a loopback
// receiver here), on a migrated local D1. The simulator's history knob gives every source a month
// of daily backups. Runs scheduled around the spring-forward night show each channel gets exactly
// one digest per local day, at 08:00 local on either side of the clock change, and a repeated run
// in the same period sends nothing; a channel that fails gets its period again next run, without
// repeating the others. Runs over the last ten days show each digest carries every source's
// compliance from the recorded history; a snooze of every source silences the digest, and the
// next one names the change that held meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { SIM, ARTIFACTS, addFault } from './helpers.mjs';
import { OwnWorker } from './own-worker.mjs';

const PERSIST = resolve(ARTIFACTS, 'digest-state');
const own = new OwnWorker('digest', PERSIST);
const CRON = '*/15 * * * *';
const SECRET = 'digest-test-secret';
const KEY = 'digest-test-key';
const DAY = 86_400;
const DAY_MS = DAY * 1000;
const PATHS = ['/discord', '/hook', '/ntfy/', '/slack', '/teams'];
const MW = 'mittwald:project:3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10';
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
  await history();
  const sources = (await (await fetch(SIM + '/_demo/connections')).json()).map((c) => ({ ...c, threshold: '1d' }));
  const digest = { every: 'daily', hour: 8, zone: 'Europe/Berlin', channels: [
    { kind: 'slack', url: base + '/slack' },
    { kind: 'discord', url: base + '/discord' },
    { kind: 'teams', url: base + '/teams' },
    { kind: 'ntfy', url: base + '/ntfy/backups' },
    { kind: 'webhook', url: base + '/hook', secret: SECRET },
  ] };
  await own.start({ BACKBOARD_API_KEY: KEY, BACKBOARD_SOURCES: JSON.stringify(sources), DIGEST: JSON.stringify(digest) });
});

after(async () => {
  await own.stop();
  await new Promise((r) => receiver?.close(r) ?? r());
  await fetch(SIM + '/_demo/reset?defaults', { method: 'POST' }).catch(() => {});
});

/// Every source with a month of daily backups, the newest an hour old.
async function history() {
  const h = {};
  for (const s of ['serveravatar', 'northflank_addon', 'northflank_destination', 'mittwald']) {
    h[s] = { completed: 30, every_secs: DAY, newest_age_secs: 3600 };
  }
  const r = await fetch(SIM + '/_demo/reset', { method: 'POST', body: JSON.stringify({ seed: 42, latency_ms: 0, jitter_ms: 0, history: h }) });
  assert.equal(r.status, 200, 'simulator reset');
}

/// The webhook's signature verified as docs/monitoring.md says: HMAC-SHA256 keyed with the
/// secret over "<t>.<raw body>", hex, compared in constant time; `t` within 300 s of `now`.
function verify(header, body, now) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const [, t, v1] = m;
  if (Math.abs(now - Number(t)) > 300) return false;
  const want = createHmac('sha256', SECRET).update(`${t}.${body}`).digest();
  return timingSafeEqual(want, Buffer.from(v1, 'hex'));
}

/// Checks one period's delivery: one message per channel, each in its channel's format, for
/// `day`; answers the signed webhook's body.
function checkDelivery(day, sentAt) {
  const all = take();
  assert.deepEqual(all.map((m) => m.path).sort(), PATHS, own.log);
  const of = (path) => JSON.parse(all.find((m) => m.path === path).body);
  const title = new RegExp(`daily digest, ${day}`);
  // Slack incoming webhook: text (the notification's fallback) and Block Kit blocks.
  const slack = of('/slack');
  assert.match(slack.text, title);
  assert.equal(slack.blocks[0].type, 'header');
  assert.ok(slack.blocks.slice(1).every((b) => b.type === 'section' && b.text.type === 'mrkdwn'), 'Slack sections');
  // Discord Execute Webhook: content and embeds, mentions off.
  const discord = of('/discord');
  assert.match(discord.content, title);
  assert.ok(discord.embeds.length >= 1 && discord.embeds.every((e) => e.title && e.description && Number.isInteger(e.color)));
  assert.deepEqual(discord.allowed_mentions, { parse: [] });
  // Teams Workflows webhook: a message with one Adaptive Card attachment.
  const teams = of('/teams');
  assert.equal(teams.type, 'message');
  assert.equal(teams.attachments.length, 1);
  assert.equal(teams.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
  const card = teams.attachments[0].content;
  assert.equal(card.type, 'AdaptiveCard');
  assert.match(card.body[0].text, title);
  // ntfy publish as JSON: to the server root, the topic in the body.
  const ntfy = of('/ntfy/');
  assert.equal(ntfy.topic, 'backups');
  assert.match(ntfy.title, title);
  assert.ok(ntfy.priority >= 1 && ntfy.priority <= 5 && ntfy.tags.includes('backboard'));
  // The signed webhook.
  const hook = all.find((m) => m.path === '/hook');
  const header = hook.headers['x-backboard-signature'];
  const t = Number(/t=(\d+)/.exec(header)[1]);
  assert.equal(t, Date.parse(sentAt) / 1000);
  assert.ok(verify(header, hook.body, t), 'the signature verifies');
  assert.ok(verify(header, hook.body, t + 300) && !verify(header, hook.body, t + 301), 'within the replay window only');
  assert.ok(!verify(header, hook.body.replace('digest', 'Digest'), t), 'a changed body does not verify');
  const body = JSON.parse(hook.body);
  assert.equal(body.type, 'digest');
  assert.equal(body.data.period, day);
  assert.equal(body.data.cadence, 'daily');
  assert.ok(body.data.sources.length >= 1);
  return body;
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
  assert.deepEqual(take().map((m) => [m.path, m.status]).sort(), PATHS.map((p) => [p, p === '/hook' ? 500 : 200]));
  failing.delete('/hook');
  await runCron('2026-03-30T06:15:00Z');
  const again = take();
  assert.deepEqual(again.map((m) => m.path), ['/hook'], own.log);
  assert.equal(JSON.parse(again[0].body).data.period, '2026-03-30');
  await runCron('2026-03-30T06:30:00Z');
  assert.deepEqual(take(), []);
});

const dayText = (ms) => new Date(ms).toISOString().slice(0, 10);
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
// 08:00 in Berlin is 07:00 UTC in winter and 06:00 in summer.
const eight = (dayMs) => {
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'shortOffset' })
    .formatToParts(new Date(dayMs + 12 * 3600_000)).find((p) => p.type === 'timeZoneName').value;
  return dayMs + (8 - Number(offset.replace('GMT', '') || 0)) * 3600_000;
};

test('over ten simulated days: one digest a day per channel, with each source\'s compliance', async () => {
  // The digest of the day before the ten is caught up on first.
  await runCron(new Date(eight(today - 10 * DAY_MS)).toISOString());
  assert.deepEqual(take().map((m) => m.path).sort(), PATHS);
  let body;
  for (let k = 9; k >= 0; k--) {
    const at = eight(today - k * DAY_MS);
    await runCron(new Date(at - 15 * 60_000).toISOString());
    assert.deepEqual(take(), [], 'not before 08:00');
    await runCron(new Date(at).toISOString());
    body = checkDelivery(dayText(at), new Date(at).toISOString());
    await runCron(new Date(at + 15 * 60_000).toISOString());
    assert.deepEqual(take(), [], 'once per day');
  }
  assert.equal(body.data.sources.length, 4);
  for (const s of body.data.sources) {
    // Ten days of runs: 7 and 30 days have data, so a percentage, never "no data".
    assert.equal(typeof s.compliance_7, 'number', JSON.stringify(s));
    assert.equal(typeof s.compliance_30, 'number', JSON.stringify(s));
    assert.equal(typeof s.compliance_90, 'number', JSON.stringify(s));
    assert.ok(s.last_good, `${s.key}: a last good backup`);
  }
  const lines = body.sections.flatMap((x) => x.lines).join('\n');
  assert.match(lines, /Compliance: \d+\.\d% over 7 days, \d+\.\d% over 30 days, \d+\.\d% over 90 days/);
  assert.doesNotMatch(lines, /no data over/);
  assert.match(lines, /Last good backup: \d{4}-\d\d-\d\d/);
});

test('a snooze of every source silences the digest; the next one names what changed meanwhile', async () => {
  const keys = (await (await fetch(`${own.base}/api/v1/compliance`, { headers: { Authorization: `Bearer ${KEY}` } })).json())
    .sources.map((s) => s.key);
  assert.equal(keys.length, 4);
  const until = new Date(eight(today + DAY_MS) + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  for (const key of keys) {
    const r = await fetch(`${own.base}/api/v1/sources/${encodeURIComponent(key)}/snooze`, {
      method: 'PUT', headers: { Authorization: `Bearer ${KEY}` }, body: JSON.stringify({ until }),
    });
    assert.equal(r.status, 200, await r.text());
  }
  // The mittwald listing fails from now on: its verdict becomes unknown and holds.
  await history();
  await addFault({ path_prefix: '/mittwald/', fault: { kind: 'status', status: 500 } });
  const tomorrow = eight(today + DAY_MS);
  await runCron(new Date(tomorrow - 15 * 60_000).toISOString());
  await runCron(new Date(tomorrow).toISOString());
  await runCron(new Date(tomorrow + 15 * 60_000).toISOString());
  assert.deepEqual(take(), [], 'every source snoozed: no digest');
  // The day after, the snooze is over: the digest goes out and names the change.
  const next = eight(today + 2 * DAY_MS);
  await runCron(new Date(next).toISOString());
  const body = checkDelivery(dayText(next), new Date(next).toISOString());
  const mw = body.data.sources.find((s) => s.key === MW);
  assert.equal(mw.verdict, 'unknown');
  assert.ok(mw.changes.some((c) => c.from === 'healthy' && c.to === 'unknown' && c.announced === false), JSON.stringify(mw.changes));
  assert.match(body.sections.flatMap((x) => x.lines).join('\n'), /healthy → unknown \(during a quiet period\)/);
  await history();
});
