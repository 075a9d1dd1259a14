// The team's workspace over HTTP: a worker of its own (wrangler dev --local, its D1 under a
// directory of its own, cleared first), Cloudflare Access emulated by a loopback JWKS server
// whose RSA keys are made here, and the simulator's demo connections added by an admin. It
// checks who may do what (a spot check of every route × role; the full matrix is the core's
// native test), the audit log, the refusal of bad identities, the import and the rotation of
// the seal key, the audit log's retention (the cron), and that no provider token leaves the
// worker or lies in D1 in the clear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { generateKeyPairSync, sign, randomBytes } from 'node:crypto';
import { rmSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { SIM, ARTIFACTS } from './helpers.mjs';
import { OwnWorker } from './own-worker.mjs';

const PERSIST = resolve(ARTIFACTS, 'workspace-state');
const own = new OwnWorker('workspace', PERSIST);
const AUD = 'backboard-test-aud-' + randomBytes(4).toString('hex');
const ADMIN = 'ada@example.com';
const OPERATOR = 'otto@example.com';
const VIEWER = 'vera@example.com';
const EDGE_KEY = 'workspace-edge-key';
const SEAL_1 = 'k1:' + randomBytes(32).toString('base64');
const SEAL_2 = 'k2:' + randomBytes(32).toString('base64');
const WS = '/api/v1/workspace';

// ---------------------------------------------------------------------------------------------
// Access, emulated: RSA keys made here, served as the team's certs; assertions signed with them.

const rsa = (kid) => ({ kid, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) });
const keys = { k1: rsa('access-1'), k2: rsa('access-2'), rogue: rsa('access-1') };
const jwks = { served: [keys.k1], fetches: 0, server: null, origin: '' };

function startJwks() {
  jwks.server = createServer((req, res) => {
    jwks.fetches += 1;
    const body = { keys: jwks.served.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, alg: 'RS256', use: 'sig' })) };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  return new Promise((r) => jwks.server.listen(0, '127.0.0.1', () => {
    jwks.origin = `http://127.0.0.1:${jwks.server.address().port}`;
    r();
  }));
}

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/// An Access assertion for `email`, signed by `key`; `claims` override the valid ones.
function jwt(email, { key = keys.k1, ...claims } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'RS256', kid: key.kid, typ: 'JWT' });
  const body = b64({ aud: [AUD], iss: jwks.origin, email, sub: email, iat: now, nbf: now, exp: now + 600, ...claims });
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), key.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

// ---------------------------------------------------------------------------------------------
// Calls: every answer's headers and body are kept, to be searched for the tokens.

const seen = [];
async function call(path, { as, key, method = 'GET', body, headers = {} } = {}) {
  const h = { ...headers };
  if (as) h['Cf-Access-Jwt-Assertion'] = as;
  if (key) h.Authorization = `Bearer ${key}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const r = await fetch(own.base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  seen.push({ path, method, status: r.status, headers: [...r.headers].map(([k, v]) => `${k}: ${v}`).join('\n'), text });
  let json = null;
  try { json = JSON.parse(text); } catch { /* CSV or empty */ }
  return { status: r.status, text, json, headers: r.headers };
}

const as = { admin: () => jwt(ADMIN), operator: () => jwt(OPERATOR), viewer: () => jwt(VIEWER) };
let demo = []; // the simulator's demo connections, with their tokens
const ids = {}; // connection ids by provider label

function sqlite(sql) {
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.sqlite') && p.includes('d1')) files.push(p);
    }
  };
  walk(PERSIST);
  assert.ok(files.length > 0, 'the local D1 file exists');
  const out = files.map((f) => spawnSync('sqlite3', ['-json', f, sql], { encoding: 'utf8' }))
    .filter((r) => r.status === 0 && r.stdout.trim())
    .flatMap((r) => JSON.parse(r.stdout));
  return out;
}

async function startWorker(vars) {
  await own.start({
    ACCESS_TEAM_DOMAIN: jwks.origin,
    ACCESS_AUD: AUD,
    BACKBOARD_ADMINS: ADMIN,
    BACKBOARD_API_KEY: EDGE_KEY,
    ...vars,
  });
}

before(async () => {
  rmSync(PERSIST, { recursive: true, force: true });
  await startJwks();
  demo = await (await fetch(SIM + '/_demo/connections')).json();
  own.migrate();
  await startWorker({ BACKBOARD_SEAL_KEYS: SEAL_1 });
});

after(async () => {
  await own.stop();
  jwks.server?.close();
});

// ---------------------------------------------------------------------------------------------

test('nobody proven is refused, and a member is known by the email Access asserts', async () => {
  assert.equal((await call(`${WS}/me`)).status, 401);
  assert.equal((await call(`${WS}/connections`)).status, 401);
  assert.equal((await call(`${WS}/me`, { as: 'not.a.jwt' })).status, 401);
  const me = await call(`${WS}/me`, { as: as.admin() });
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.json, { email: ADMIN, role: 'admin', via: 'access' });
  // Signed in, but no member: 403.
  assert.equal((await call(`${WS}/me`, { as: jwt('stranger@example.com') })).status, 403);
  assert.equal((await call(`${WS}/nothing`, { as: as.admin() })).status, 404);
  const wrong = await call(`${WS}/audit`, { as: as.admin(), method: 'POST', body: {} });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET');
});

test('an admin adds the connections and the members; listings carry no token', async () => {
  for (const c of demo) {
    const r = await call(`${WS}/connections`, { as: as.admin(), method: 'POST', body: c });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.label, c.label);
    assert.equal(r.json.token, undefined);
    assert.match(r.json.id, /^c-[0-9a-f]{16}$/);
    ids[c.label] = r.json.id;
  }
  const bad = await call(`${WS}/connections`, { as: as.admin(), method: 'POST', body: { provider: 'mittwald', label: 'x' } });
  assert.equal(bad.status, 400);
  for (const [email, role] of [[OPERATOR, 'operator'], [VIEWER, 'viewer']]) {
    const r = await call(`${WS}/members`, { as: as.admin(), method: 'POST', body: { email, role } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.role, role);
  }
  const again = await call(`${WS}/members`, { as: as.admin(), method: 'POST', body: { email: VIEWER, role: 'admin' } });
  assert.equal(again.status, 409);
  const list = await call(`${WS}/connections`, { as: as.viewer() });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.connections.map((c) => c.label).sort(), demo.map((c) => c.label).sort());
  for (const c of list.json.connections) assert.equal(c.token, undefined);
  // A change without a token keeps the sealed one; the label changes.
  const mw = ids['mittwald shop project'];
  const renamed = await call(`${WS}/connections/${mw}`, { as: as.admin(), method: 'PATCH', body: { label: 'mittwald shop' } });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.label, 'mittwald shop');
});

const MW_PROJECT = () => demo.find((c) => c.provider === 'mittwald').projectId;
const mwPath = (rest) => `${WS}/connections/${ids['mittwald shop project']}/proxy/${rest}`;
let created = null;

test('a viewer reads through the workspace proxy; an operator creates a backup; only an admin deletes it', async () => {
  const listed = await call(mwPath(`v2/projects/${MW_PROJECT()}/backups`), { as: as.viewer() });
  assert.equal(listed.status, 200, listed.text);
  assert.ok(Array.isArray(listed.json) && listed.json.length > 0, listed.text);
  const expirationTime = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const create = { method: 'POST', body: { expirationTime, description: 'workspace e2e' } };
  assert.equal((await call(mwPath(`v2/projects/${MW_PROJECT()}/backups`), { as: as.viewer(), ...create })).status, 403);
  const made = await call(mwPath(`v2/projects/${MW_PROJECT()}/backups`), { as: as.operator(), ...create });
  assert.ok([200, 201].includes(made.status), made.text);
  created = made.json.id;
  assert.ok(created, made.text);
  assert.equal((await call(mwPath(`v2/project-backups/${created}`), { as: as.operator(), method: 'DELETE' })).status, 403);
  const deleted = await call(mwPath(`v2/project-backups/${created}`), { as: as.admin(), method: 'DELETE' });
  assert.ok(deleted.status < 300, deleted.text);
  // The proxy's policy still holds: undeclared paths are refused, the connection must exist.
  assert.equal((await call(mwPath('v2/users/self'), { as: as.admin() })).status, 404);
  assert.equal((await call(`${WS}/connections/c-0000000000000000/proxy/v2/projects/p/backups`, { as: as.admin() })).status, 404);
  // The other providers answer through their connections too.
  for (const [label, rest] of [
    ['ServerAvatar demo org', `organizations/${demo[0].organization}/backups`],
    ['Northflank postgres addon', 'v1/projects/demo-project/addons/postgres-main/backups'],
  ]) {
    const r = await call(`${WS}/connections/${ids[label]}/proxy/${rest}`, { as: as.viewer() });
    assert.equal(r.status, 200, `${label}: ${r.text}`);
  }
});

/// The workspace's own refusal for a role short of the route (not a provider's 403).
const roleShort = (r) => r.status === 403 && r.json?.error === 'your role does not permit this';

// Every workspace route × role, with requests that change nothing: a role short of the route
// gets 403, a role that may gets past the check (its answer is the handler's).
test('every workspace route answers each role as the matrix says', async () => {
  const none = 'c-0000000000000000';
  const routes = [
    ['GET', '/me', undefined, 'VOA'],
    ['GET', '/connections', undefined, 'VOA'],
    ['POST', '/connections', {}, '--A'],
    ['PATCH', `/connections/${none}`, {}, '--A'],
    ['DELETE', `/connections/${none}`, undefined, '--A'],
    ['GET', '/members', undefined, '--A'],
    ['POST', '/members', {}, '--A'],
    ['PATCH', '/members/m-none', { role: 'viewer' }, '--A'],
    ['DELETE', '/members/m-none', undefined, '--A'],
    ['GET', '/keys', undefined, '--A'],
    ['POST', '/keys', {}, '--A'],
    ['DELETE', '/keys/none', undefined, '--A'],
    ['GET', '/audit', undefined, '--A'],
    ['POST', '/reseal', undefined, '--A'],
    ['GET', '/api/v1/health', undefined, 'VOA'],
  ];
  for (const [method, path, body, who] of routes) {
    for (const [i, role] of ['viewer', 'operator', 'admin'].entries()) {
      const full = path.startsWith('/api/') ? path : WS + path;
      const r = await call(full, { as: as[role](), method, body });
      const may = who[i] !== '-';
      assert.equal(roleShort(r), !may, `${role} ${method} ${path}: ${r.status} ${r.text}`);
      assert.notEqual(r.status, 401, `${role} ${method} ${path}`);
    }
  }
  // Provider routes: reads for all, create for operators, delete and restore for admins.
  const b = 'v2/project-backups/b-none';
  for (const [method, rest, body, who] of [
    ['GET', `v2/projects/${MW_PROJECT()}/backups`, undefined, 'VOA'],
    ['POST', `v2/project-backups/${'b-none'}/export`, { format: 'tar' }, '-OA'],
    ['DELETE', b, undefined, '--A'],
    ['POST', `${b}/restore`, {}, '--A'],
    ['PATCH', b, { expirationTime: new Date(Date.now() + 86_400_000).toISOString() }, '--A'],
  ]) {
    for (const [i, role] of ['viewer', 'operator', 'admin'].entries()) {
      const r = await call(mwPath(rest), { as: as[role](), method, body });
      assert.equal(roleShort(r), who[i] === '-', `${role} ${method} ${rest}: ${r.status} ${r.text}`);
    }
  }
});

let opKey = null;

test('API keys: shown once, stored hashed, act with their role, refused once revoked', async () => {
  const made = await call(`${WS}/keys`, { as: as.admin(), method: 'POST', body: { label: 'ci', role: 'operator' } });
  assert.equal(made.status, 201, made.text);
  opKey = made.json;
  assert.match(opKey.key, /^bbk_[0-9a-f]{16}_[0-9a-f]{64}$/);
  const listed = await call(`${WS}/keys`, { as: as.admin() });
  assert.equal(listed.json.keys.length, 1);
  assert.equal(listed.json.keys[0].key, undefined);
  assert.ok(!listed.text.includes(opKey.key));
  const stored = sqlite('SELECT hash FROM api_keys');
  assert.ok(stored.every((r) => r.hash.length === 64 && !opKey.key.includes(r.hash)));
  const me = await call(`${WS}/me`, { key: opKey.key });
  assert.deepEqual(me.json, { email: ADMIN, role: 'operator', via: 'key' });
  const expirationTime = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const made2 = await call(mwPath(`v2/projects/${MW_PROJECT()}/backups`), { key: opKey.key, method: 'POST', body: { expirationTime } });
  assert.ok([200, 201].includes(made2.status), made2.text);
  assert.equal((await call(`${WS}/members`, { key: opKey.key })).status, 403);
  // A key with its secret changed, or of another shape, proves nobody.
  const forged = opKey.key.slice(0, -4) + (opKey.key.endsWith('0000') ? '1111' : '0000');
  assert.equal((await call(`${WS}/me`, { key: forged })).status, 401);
  assert.equal((await call(`${WS}/me`, { key: 'bbk_nope' })).status, 401);
  assert.equal((await call(`${WS}/keys/${opKey.id}`, { as: as.admin(), method: 'DELETE' })).status, 204);
  const revoked = await call(`${WS}/me`, { key: opKey.key });
  assert.equal(revoked.status, 401);
  assert.ok(!/revoked|hash|mismatch/i.test(revoked.text), revoked.text);
});

test('a key acts for its maker: never beyond their role now, and not at all once they left', async () => {
  const members = (await call(`${WS}/members`, { as: as.admin() })).json.members;
  const otto = members.find((m) => m.email === OPERATOR);
  const setRole = (role) => call(`${WS}/members/${otto.id}`, { as: as.admin(), method: 'PATCH', body: { role } });
  assert.equal((await setRole('admin')).status, 200);
  const made = await call(`${WS}/keys`, { as: as.operator(), method: 'POST', body: { label: 'otto', role: 'admin' } });
  assert.equal(made.status, 201, made.text);
  assert.equal((await call(`${WS}/me`, { key: made.json.key })).json.role, 'admin');
  assert.equal((await setRole('operator')).status, 200);
  assert.equal((await call(`${WS}/me`, { key: made.json.key })).json.role, 'operator');
  assert.equal((await call(`${WS}/members`, { key: made.json.key })).status, 403);
  assert.equal((await call(`${WS}/members/${otto.id}`, { as: as.admin(), method: 'DELETE' })).status, 204);
  assert.equal((await call(`${WS}/me`, { key: made.json.key })).status, 401);
  assert.equal((await call(`${WS}/members`, { as: as.admin(), method: 'POST', body: { email: OPERATOR, role: 'operator' } })).status, 201);
});

test('forged, expired, early, wrong-audience and wrong-issuer assertions are refused alike', async () => {
  const now = Math.floor(Date.now() / 1000);
  const bad = {
    forged: jwt(ADMIN, { key: keys.rogue }),
    expired: jwt(ADMIN, { exp: now - 3600, iat: now - 7200, nbf: now - 7200 }),
    early: jwt(ADMIN, { nbf: now + 3600 }),
    'wrong aud': jwt(ADMIN, { aud: ['another-app'] }),
    'wrong iss': jwt(ADMIN, { iss: 'https://other-team.cloudflareaccess.com' }),
    'no email': jwt(ADMIN, { email: undefined }),
    'alg none': `${b64({ alg: 'none', kid: 'access-1' })}.${b64({ aud: [AUD], iss: jwks.origin, email: ADMIN, exp: now + 600 })}.`,
    'unknown kid': jwt(ADMIN, { key: keys.k2 }),
  };
  const answers = new Set();
  const fetched = jwks.fetches;
  for (const [what, token] of Object.entries(bad)) {
    const r = await call(`${WS}/audit`, { as: token });
    assert.equal(r.status, 401, `${what}: ${r.text}`);
    answers.add(r.text);
  }
  assert.equal(answers.size, 1, 'every refusal reads the same');
  // An unknown kid asks for the certs again at most every 5 minutes, so a flood of them does not.
  assert.equal(jwks.fetches, fetched, 'the certs were fetched again within the refetch interval');
});

test('the audit log shows who did what, as JSON and as CSV', async () => {
  const r = await call(`${WS}/audit`, { as: as.admin() });
  assert.equal(r.status, 200, r.text);
  const entries = r.json.entries;
  const find = (pred) => entries.find(pred);
  const mw = ids['mittwald shop project'];
  const opCreate = find((e) => e.who === OPERATOR && e.act === 'mittwald.create_backup');
  assert.ok(opCreate, JSON.stringify(entries, null, 1));
  assert.equal(opCreate.role, 'operator');
  assert.equal(opCreate.connection, mw);
  assert.equal(opCreate.outcome, 'ok');
  const viewerTried = find((e) => e.who === VIEWER && e.act === 'mittwald.create_backup');
  assert.equal(viewerTried?.outcome, 'denied');
  const adminDelete = find((e) => e.who === ADMIN && e.act === 'mittwald.delete_backup' && e.backup === created);
  assert.equal(adminDelete?.outcome, 'ok', JSON.stringify(entries, null, 1));
  assert.ok(find((e) => e.act === 'workspace.add_connection' && e.who === ADMIN && e.outcome === 'ok'));
  const byKey = find((e) => e.via === 'key' && e.act === 'mittwald.create_backup');
  assert.equal(byKey?.key, opKey.id);
  // Reads are not recorded.
  assert.ok(!find((e) => e.act === 'mittwald.list_backups'));
  const csv = await call(`${WS}/audit?format=csv`, { as: as.admin() });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.ok(csv.text.startsWith('at,who,via,key,role,connection,backup,action,outcome,status'));
  assert.ok(csv.text.includes(OPERATOR));
});

test('the edge API lists the workspace connections\' backups, to its key and to members', async () => {
  const r = await call('/api/v1/backups', { headers: { Authorization: `Bearer ${EDGE_KEY}` } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.errors, []);
  const sources = new Set(r.json.backups.map((b) => b.source.label));
  for (const c of demo) if (c.label !== 'mittwald shop project') assert.ok(sources.has(c.label), `${c.label} in ${[...sources]}`);
  assert.ok(sources.has('mittwald shop'));
  // Members may read the edge API's lists with their own identity; nobody else.
  const byViewer = await call('/api/v1/backups/health', { as: as.viewer() });
  assert.equal(byViewer.status, 200, byViewer.text);
  assert.equal((await call('/api/v1/backups', { as: jwt('stranger@example.com') })).status, 403);
  assert.equal((await call('/api/v1/backups', { as: jwt(VIEWER, { aud: ['another-app'] }) })).status, 401);
  assert.equal((await call('/api/v1/backups', { key: 'bbk_' + '0'.repeat(16) + '_' + '0'.repeat(64) })).status, 401);
  assert.equal((await call('/api/v1/backups')).status, 401);
});

test('in D1 the tokens are ciphertext under the seal key', () => {
  const rows = sqlite('SELECT id, settings, token_sealed, key_id FROM connections');
  assert.equal(rows.length, demo.length);
  for (const row of rows) {
    assert.match(row.token_sealed, /^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    assert.equal(row.key_id, 'k1');
    for (const c of demo) {
      assert.ok(!JSON.stringify(row).includes(c.token), `${row.id} holds a token in the clear`);
    }
  }
  const dump = spawnSync('sh', ['-c', `find '${PERSIST}' -name '*.sqlite*' -exec cat {} +`], { encoding: 'latin1', maxBuffer: 1 << 28 });
  for (const c of demo) assert.ok(!dump.stdout.includes(c.token), `the D1 files hold ${c.provider}'s token`);
});

test('a new seal key reseals every token; the import skips what is there; a rotated Access key is taken', async () => {
  await own.stop();
  // An entry past the retention (AUDIT_RETENTION_DAYS=30), for the cron to delete.
  const old = Date.now() - 40 * 86_400_000;
  sqlite(`INSERT INTO audit_log (at, who, via, action, outcome, status) VALUES (${old}, 'old@example.com', 'access', 'workspace.add_member', 'ok', 201)`);
  assert.equal(sqlite("SELECT count(*) AS n FROM audit_log WHERE who = 'old@example.com'")[0].n, 1);
  jwks.served = [keys.k2, keys.k1];
  await startWorker({ BACKBOARD_SEAL_KEYS: `${SEAL_2},${SEAL_1}`, BACKBOARD_SOURCES: JSON.stringify(demo), AUDIT_RETENTION_DAYS: '30' });
  const cron = await fetch(`${own.base}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
  assert.equal(cron.status, 200, await cron.text());
  assert.equal(sqlite("SELECT count(*) AS n FROM audit_log WHERE who = 'old@example.com'")[0].n, 0, 'the cron pruned the old entry');
  assert.ok(sqlite('SELECT count(*) AS n FROM audit_log')[0].n > 0, 'and kept the recent ones');
  const resealed = await call(`${WS}/reseal`, { as: jwt(ADMIN, { key: keys.k2 }), method: 'POST' });
  assert.equal(resealed.status, 200, resealed.text);
  assert.equal(resealed.json.resealed, demo.length);
  assert.ok(sqlite('SELECT token_sealed, key_id FROM connections').every((r) => r.key_id === 'k2' && r.token_sealed.startsWith('v1.k2.')));
  const again = await call(`${WS}/reseal`, { as: as.admin(), method: 'POST' });
  assert.equal(again.json.resealed, 0);
  // The tokens open under the new key alone.
  await own.stop();
  await startWorker({ BACKBOARD_SEAL_KEYS: SEAL_2, BACKBOARD_SOURCES: JSON.stringify(demo) });
  const listed = await call(mwPath(`v2/projects/${MW_PROJECT()}/backups`), { as: jwt(VIEWER, { key: keys.k2 }) });
  assert.equal(listed.status, 200, listed.text);
  const imported = await call(`${WS}/import`, { as: as.admin(), method: 'POST' });
  assert.equal(imported.status, 200, imported.text);
  // Only the renamed mittwald connection is new by its label.
  assert.deepEqual(imported.json.imported.map((c) => c.label), ['mittwald shop project']);
  assert.equal(imported.json.skipped.length, demo.length - 1);
  const second = await call(`${WS}/import`, { as: as.admin(), method: 'POST' });
  assert.equal(second.json.imported.length, 0);
});

test('no provider token appears in any answer', () => {
  assert.ok(seen.length > 50);
  for (const c of demo) {
    for (const s of seen) {
      assert.ok(!s.text.includes(c.token), `${s.method} ${s.path} answered ${c.provider}'s token in its body`);
      assert.ok(!s.headers.includes(c.token), `${s.method} ${s.path} answered ${c.provider}'s token in a header`);
    }
  }
  assert.ok(!own.log.includes('demo-token'), 'the worker logged a token');
});
