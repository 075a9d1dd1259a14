// The worker's own API: /api/v1/health and /api/v1/backups over the configured sources (the
// simulator's demo connections plus one ServerAvatar organization whose API answers 500), and
// the methods each route answers.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { WORKER, SIM, resetSimulator } from './helpers.mjs';

const KEY = process.env.BACKBOARD_API_KEY ?? 'demo-api-key';
const api = (path, key = KEY) => fetch(WORKER + path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });

let config;
before(async () => {
  await resetSimulator();
  config = (await (await fetch(SIM + '/_demo/config')).json()).config;
});

test('health says up, the version and the sources, and no secret', async () => {
  const res = await fetch(WORKER + '/api/v1/health');
  assert.equal(res.status, 200);
  const text = await res.text();
  const body = JSON.parse(text);
  assert.equal(body.status, 'ok');
  assert.match(body.version, /^\d+\.\d+\.\d+/);
  assert.equal(body.apiKeyConfigured, true);
  assert.deepEqual(body.sources.map((s) => s.provider).sort(),
    ['mittwald', 'northflank', 'northflank', 'serveravatar', 'serveravatar']);
  for (const secret of ['sa-demo-token', 'nf-demo-token', 'mw-demo-token', KEY]) assert.ok(!text.includes(secret), secret);
});

test('the key is required and compared exactly', async () => {
  for (const key of [null, 'wrong', KEY + 'x', KEY.slice(0, -1), ` ${KEY}x`]) {
    const res = await api('/api/v1/backups', key);
    assert.equal(res.status, 401, String(key));
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.ok((await res.json()).error);
  }
});

test('the unified list has every source, and the failing one as an error, not a silent drop', async () => {
  const res = await api('/api/v1/backups');
  assert.equal(res.status, 200);
  const body = await res.json();
  const expected = config.serveravatar + config.northflank_addon + config.northflank_destination + config.mittwald;
  assert.equal(body.count, expected);
  assert.equal(body.backups.length, expected);
  const perProvider = (p) => body.backups.filter((b) => b.provider === p).length;
  assert.equal(perProvider('serveravatar'), config.serveravatar);
  assert.equal(perProvider('northflank'), config.northflank_addon + config.northflank_destination);
  assert.equal(perProvider('mittwald'), config.mittwald);
  assert.equal(body.errors.length, 1);
  assert.equal(body.errors[0].provider, 'serveravatar');
  assert.equal(body.errors[0].source, 'ServerAvatar broken org');
  assert.match(body.errors[0].error, /500/);
  assert.match(body.errors[0].error, /Something went really wrong!/);
  for (const b of body.backups) {
    assert.ok(b.id && b.provider && b.source?.kind && b.status, JSON.stringify(b).slice(0, 200));
  }
  assert.ok(!JSON.stringify(body).includes('demo-token'), 'no token in the answer');
});

test('filters: provider, source, status, since; bad filters are a clear 400', async () => {
  const list = async (q) => {
    const res = await api('/api/v1/backups?' + q);
    assert.equal(res.status, 200, q);
    return res.json();
  };
  const mw = await list('provider=mittwald');
  assert.equal(mw.count, config.mittwald);
  assert.ok(mw.backups.every((b) => b.provider === 'mittwald'));
  assert.deepEqual(mw.errors, [], 'the failing ServerAvatar source is not asked when filtered out');

  const dest = await list('source=offsite-s3');
  assert.equal(dest.count, config.northflank_destination);

  const all = (await list('')).backups;
  const completed = await list('status=completed');
  assert.equal(completed.count, all.filter((b) => b.status === 'completed').length);
  assert.ok(completed.count > 0 && completed.count < all.length);

  const created = all.map((b) => b.created).filter(Boolean).sort();
  const median = created[Math.floor(created.length / 2)];
  const recent = await list('since=' + encodeURIComponent(median));
  assert.equal(recent.count, created.filter((c) => c >= median).length);
  assert.ok(recent.backups.every((b) => b.created >= median));

  for (const q of ['provider=github', 'status=sleeping', 'since=yesterday']) {
    const res = await api('/api/v1/backups?' + q);
    assert.equal(res.status, 400, q);
    assert.match((await res.json()).error, /provider|status|since/);
  }
});

test('CSV: one row per backup, the failing source named in a header', async () => {
  const res = await api('/api/v1/backups?format=csv');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  const errors = JSON.parse(res.headers.get('x-backboard-errors'));
  assert.equal(errors[0].source, 'ServerAvatar broken org');
  const lines = (await res.text()).split('\r\n').filter(Boolean);
  assert.equal(lines[0], 'provider,source_kind,source_id,source_label,id,name,status,status_raw,created,completed,expires,size_bytes,contents,link');
  const json = await (await api('/api/v1/backups')).json();
  assert.equal(lines.length - 1, json.count);
  // Hostile names are quoted and formula-defused, so a spreadsheet shows them as text.
  assert.ok(lines.slice(1).every((l) => l.startsWith('"')));
  assert.ok(!lines.some((l) => /,"=/.test(l)));
});

const ROUTES = ['/api/v1/health', '/api/v1/backups', '/api/v1/backups/health'];

test('every route answers GET and HEAD only; another method is a JSON 405 naming them', async () => {
  for (const path of ROUTES) {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(WORKER + path, { method, headers: { Authorization: `Bearer ${KEY}` } });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.get('allow'), 'GET, HEAD', `${method} ${path}`);
      assert.match(res.headers.get('content-type'), /application\/json/);
      assert.match((await res.json()).error, /GET or HEAD/);
    }
    const head = await fetch(WORKER + path, { method: 'HEAD', headers: { Authorization: `Bearer ${KEY}` } });
    assert.equal(head.status, 200, `HEAD ${path}`);
    assert.equal(await head.text(), '', `HEAD ${path} has no body`);
  }
});

test('the method is checked before the key, and a 405 gives nothing away', async () => {
  for (const method of ['POST', 'DELETE']) {
    const res = await fetch(WORKER + '/api/v1/backups', { method });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    assert.equal(res.headers.get('www-authenticate'), null);
    assert.deepEqual(Object.keys(await res.json()), ['error']);
  }
  const key = await api('/api/v1/backups', null);
  assert.equal(key.status, 401, 'GET without the key is still refused');
});

test('a path that is no route is a 404, whatever the method', async () => {
  for (const [method, path] of [['GET', '/api/v1/backup'], ['GET', '/api/v1/backups/'], ['POST', '/api/v1/nothing'], ['GET', '/api/v2/backups']]) {
    const res = await fetch(WORKER + path, { method, headers: { Authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(res.headers.get('allow'), null);
    assert.equal((await res.json()).proxyError.code, 'not_found');
  }
});
