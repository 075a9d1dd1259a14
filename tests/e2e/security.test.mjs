// The proxy's security suite: hostile requests against the local worker (workerd), which proxies
// to the simulator. A canary server on loopback records every hit; none may arrive. Each case is
// either refused (4xx, nothing reaches the simulator) or confined (what reaches the simulator
// stays under a configured base, with only the headers a provider needs). Every case comes from
// the deployment's page (its Origin) unless it says otherwise: the proxy relays nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WORKER, SIM, WEB, resetSimulator } from './helpers.mjs';
import { rawRequest, startCanary } from './raw.mjs';

let canary;
before(async () => {
  await resetSimulator();
  canary = await startCanary();
});
after(async () => canary?.close());

const simLog = async () => (await (await fetch(SIM + '/_demo/log')).json());
const addFault = async (rule) => {
  const r = await fetch(SIM + '/_demo/faults', { method: 'POST', body: JSON.stringify(rule) });
  assert.equal(r.status, 200, await r.text());
};

const SA = '/proxy/serveravatar/organizations/5/backups';
const CREATE = '/proxy/serveravatar/organizations/5/servers/12/backups';
const MW = '/proxy/mittwald/v2/projects/3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10/backups';
const NF = '/proxy/northflank/v1/projects/demo-project/addons/postgres-main/backups';
const AUTH = { Authorization: 'sa-demo-token' };
// The deployment's own page: the only Origin the proxy relays for.
const PAGE = new URL(WEB).origin;
const FROM_PAGE = { ...AUTH, Origin: PAGE };
// Headers that must never reach a provider.
const NEVER_FORWARDED = ['cookie', 'x-forwarded-host', 'x-forwarded-for', 'x-real-ip', 'forwarded',
  'x-original-url', 'x-rewrite-url', 'proxy-authorization', 'origin', 'referer', 'x-target-url'];

/// The cases, built once the canary's port is known. `code`: the proxy's own refusal code, when
/// the worker itself refuses (a refusal by the HTTP layer in front of it is also a refusal).
/// `origin`: the Origin sent instead of the page's (null: none).
function cases(C) {
  const canaryUrl = `http://127.0.0.1:${C}`;
  const refused = (name, target, code, extra = {}) => ({ name, target, expect: 'refused', code, ...extra });
  const confined = (name, target, extra = {}) => ({ name, target, expect: 'confined', ...extra });
  // Refused by the runtime in front of the worker (workerd answers absolute-form targets with a
  // 500 before any code runs): nothing is reached, whatever the status.
  const dropped = (name, target, extra = {}) => ({ name, target, expect: 'dropped', ...extra });
  return [
    // Callers other than the deployment's pages: a script, a server, a foreign or opaque page.
    refused('no Origin', SA, 'origin_not_allowed', { headers: AUTH, origin: null }),
    refused('no Origin on a write', CREATE, 'origin_not_allowed', { method: 'POST', body: '{}', headers: { ...AUTH, 'Content-Type': 'application/json' }, origin: null }),
    refused('foreign Origin', SA, 'origin_not_allowed', { headers: AUTH, origin: 'http://evil.example' }),
    refused('opaque Origin', SA, 'origin_not_allowed', { headers: AUTH, origin: 'null' }),
    refused('Origin that extends the page\'s', SA, 'origin_not_allowed', { headers: AUTH, origin: `${PAGE}.evil.example` }),
    refused('empty Origin', SA, 'origin_not_allowed', { headers: AUTH, origin: '' }),
    refused('foreign Origin with a Referer of the page', MW, 'origin_not_allowed', { headers: { Authorization: 'Bearer mw-demo-token', Referer: `${PAGE}/` }, origin: 'http://evil.example' }),
    // Path traversal and encodings.
    refused('dot segments out of the base', '/proxy/serveravatar/organizations/5/../../../_demo/log'),
    refused('encoded dot segments', '/proxy/serveravatar/organizations/5/%2e%2e/%2e%2e/backups'),
    refused('encoded slash', '/proxy/serveravatar/organizations/5%2F..%2F..%2Fusers/backups', 'bad_path'),
    refused('double-encoded dots', '/proxy/serveravatar/organizations/%252e%252e/backups', 'bad_path'),
    refused('double-encoded slash', '/proxy/serveravatar/organizations/5%252F..%252F/backups', 'bad_path'),
    refused('mixed-case encoded dots', '/proxy/serveravatar/organizations/%2E%2e/5/backups'),
    refused('encoded backslash', '/proxy/serveravatar/organizations/5%5c..%5cbackups', 'bad_path'),
    refused('raw backslashes', '/proxy/serveravatar/organizations\\..\\..\\_demo\\log'),
    refused('semicolon path parameter', '/proxy/serveravatar/organizations/5/..;/backups'),
    refused('empty segment', '/proxy/serveravatar//organizations/5/backups', 'bad_path'),
    refused('trailing slash', SA + '/', 'bad_path'),
    refused('encoded NUL', '/proxy/serveravatar/organizations/5%00/backups', 'bad_path'),
    refused('overlong UTF-8 dots', '/proxy/serveravatar/organizations/%c0%ae%c0%ae/backups', 'bad_path'),
    refused('encoded CRLF in path', '/proxy/serveravatar/organizations/5%0d%0aHost:evil/backups', 'bad_path'),
    refused('full-width dots and slash', '/proxy/serveravatar/organizations/．．／５/backups'),
    refused('tab in segment', '/proxy/serveravatar/organizations/5%09/backups', 'bad_path'),
    refused('id too long', `/proxy/serveravatar/organizations/${'a'.repeat(200)}/backups`, 'path_not_allowed'),
    refused('hidden-file id', '/proxy/serveravatar/organizations/.env/backups', 'path_not_allowed'),
    confined('dot segments that stay inside', '/proxy/serveravatar/organizations/../organizations/5/backups', { headers: AUTH }),
    confined('single-dot segment', '/proxy/serveravatar/./organizations/5/backups', { headers: AUTH }),
    confined('dot segments to another configured provider', '/proxy/mittwald/../serveravatar/organizations/5/backups', { headers: AUTH }),
    // Host, userinfo, port and scheme tricks.
    refused('userinfo in path', `/proxy/serveravatar/@127.0.0.1:${C}/x`, 'bad_path'),
    refused('userinfo after path', `${SA}@127.0.0.1:${C}`, 'bad_path'),
    refused('encoded at-sign', `/proxy/serveravatar/organizations/5%40127.0.0.1/backups`, 'bad_path'),
    refused('port on provider', `/proxy/serveravatar:${C}/organizations/5/backups`, 'unknown_provider'),
    refused('port in id', `/proxy/serveravatar/organizations/127.0.0.1:${C}/backups`, 'bad_path'),
    refused('encoded colon', `/proxy/serveravatar/organizations/127.0.0.1%3a${C}/backups`, 'bad_path'),
    refused('lookalike provider host', '/proxy/serveravatar.127.0.0.1.nip.io/organizations/5/backups', 'unknown_provider'),
    refused('IP literal as provider', `/proxy/127.0.0.1:${C}/organizations/5/backups`, 'unknown_provider'),
    refused('IPv6 literal as provider', `/proxy/[::1]:${C}/organizations/5/backups`),
    refused('URL as provider', `/proxy/${canaryUrl}/organizations/5/backups`, 'unknown_provider'),
    refused('scheme-relative upstream', `/proxy//127.0.0.1:${C}/organizations/5/backups`),
    refused('file scheme', '/proxy/file:///etc/passwd', 'unknown_provider'),
    refused('javascript scheme in path', '/proxy/serveravatar/javascript:alert(1)/backups', 'bad_path'),
    refused('IPv6 literal as id', '/proxy/serveravatar/organizations/[::1]/backups'),
    refused('upper-case provider', '/proxy/SERVERAVATAR/organizations/5/backups', 'unknown_provider'),
    refused('unknown provider', '/proxy/github/repos/x/backups', 'unknown_provider'),
    refused('no provider', '/proxy/', 'unknown_provider'),
    dropped('absolute-form target elsewhere', `${canaryUrl}/`),
    confined('numeric id that looks like an IP', '/proxy/serveravatar/organizations/2130706433/backups', { headers: AUTH }),
    confined('hex id that looks like an IP', '/proxy/serveravatar/organizations/0x7f000001/backups', { headers: AUTH }),
    dropped('absolute-form target with the canary as host', `${canaryUrl}${SA}`, { headers: AUTH }),
    // Headers that try to pick the upstream or ride along.
    confined('Host header naming the canary', SA, { headers: { ...AUTH, Host: `127.0.0.1:${C}` } }),
    confined('X-Forwarded-Host', SA, { headers: { ...AUTH, 'X-Forwarded-Host': `127.0.0.1:${C}`, 'X-Forwarded-Proto': 'http' } }),
    confined('Forwarded', SA, { headers: { ...AUTH, Forwarded: `host=127.0.0.1:${C};proto=http` } }),
    confined('X-Original-URL', SA, { headers: { ...AUTH, 'X-Original-URL': `${canaryUrl}/` } }),
    confined('X-Rewrite-URL', SA, { headers: { ...AUTH, 'X-Rewrite-URL': `${canaryUrl}/` } }),
    confined('X-Target-URL', SA, { headers: { ...AUTH, 'X-Target-URL': `${canaryUrl}/` } }),
    confined('client address headers', SA, { headers: { ...AUTH, 'X-Forwarded-For': '10.0.0.1', 'X-Real-IP': '10.0.0.1' } }),
    confined('cookies', SA, { headers: { ...AUTH, Cookie: 'session=stolen' } }),
    confined('Proxy-Authorization', SA, { headers: { ...AUTH, 'Proxy-Authorization': 'Basic Zm9vOmJhcg==' } }),
    confined('Referer beside the page\'s Origin', MW, { headers: { Authorization: 'Bearer mw-demo-token', Referer: canaryUrl } }),
    // Methods and routes outside what the core uses.
    refused('PUT', SA, 'method_not_allowed', { method: 'PUT' }),
    refused('DELETE', SA, 'method_not_allowed', { method: 'DELETE' }),
    refused('PATCH', SA, 'method_not_allowed', { method: 'PATCH' }),
    refused('TRACE', SA, undefined, { method: 'TRACE' }),
    refused('PUT on a list route', MW, 'method_not_allowed', { method: 'PUT', body: '{}' }),
    refused('GET on the create route', CREATE, 'method_not_allowed'),
    refused('HEAD', SA, undefined, { method: 'HEAD' }),
    refused('unused ServerAvatar path', '/proxy/serveravatar/organizations/5/servers', 'path_not_allowed'),
    refused('deeper than a list', `${SA}/1/download`, 'path_not_allowed'),
    refused('unused Northflank path', '/proxy/northflank/v1/projects', 'path_not_allowed'),
    // `backups/restore` reads as a backup id: only GET and DELETE are routes there.
    refused('Northflank restore of the list', `${NF}/restore`, 'method_not_allowed', { method: 'POST', body: '{}' }),
    refused('unused mittwald path', '/proxy/mittwald/v2/users/self', 'path_not_allowed'),
    refused('simulator control through the proxy', '/proxy/serveravatar/_demo/log', 'path_not_allowed'),
    refused('provider root', '/proxy/serveravatar', 'path_not_allowed'),
    // The backup actions' routes: exactly their methods and shapes, nothing around them.
    ...actionCases(),
    // Query strings.
    refused('URL in the query', `${SA}?url=${canaryUrl}/`, 'bad_query'),
    refused('scheme-relative redirect in the query', `${SA}?redirect=//127.0.0.1:${C}`, 'bad_query'),
    // The runtime's URL parser escapes these before the worker sees them: harmless, and confined.
    confined('quotes and brackets in the query', `${SA}?page=1'"<x>`, { headers: AUTH }),
    refused('a huge query', `${SA}?q=${'a'.repeat(3000)}`, 'bad_query'),
    refused('a broken escape in the query', `${SA}?page=%zz`, 'bad_query'),
    confined('encoded URL in the query', `${SA}?url=${encodeURIComponent(canaryUrl)}`, { headers: AUTH }),
    refused('encoded CRLF and a header in the query', `${SA}?page=1%0d%0aHost:%20evil`, 'bad_query'),
    confined('encoded CRLF in the query', `${SA}?page=1%0d%0a`, { headers: AUTH }),
    confined('fragment after the query', `${SA}?page=1#@127.0.0.1:${C}`, { headers: AUTH }),
    // Bodies.
    refused('a body over the limit', CREATE, 'body_too_large', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(70_000) }), headers: { ...AUTH, 'Content-Type': 'application/json' } }),
    // The edge API without its key.
    refused('edge API without a key', '/api/v1/backups'),
    refused('edge API with a wrong key', '/api/v1/backups', undefined, { headers: { Authorization: 'Bearer wrong' } }),
    refused('edge API key in the query', '/api/v1/backups?key=demo-api-key&api_key=demo-api-key'),
    refused('edge API with Basic auth', '/api/v1/backups', undefined, { headers: { Authorization: 'Basic ZGVtby1hcGkta2V5Og==' } }),
    refused('edge API key without Bearer', '/api/v1/backups', undefined, { headers: { Authorization: 'demo-api-key' } }),
  ];
}

/// Cases for the action routes: each route reached once with its own method, and the
/// near misses refused: other methods, extra or missing segments, ids that are not ids, the
/// simulator's own download URLs (served directly, never through the proxy).
function actionCases() {
  const refused = (name, target, code, extra = {}) => ({ name, target, expect: 'refused', code, ...extra });
  const confined = (name, target, extra = {}) => ({ name, target, expect: 'confined', ...extra });
  const MWB = '/proxy/mittwald/v2/project-backups/0a3f2d8e-6c1b-4b7a-9d1e-2f4c5b6a7d8e';
  const MWS = '/proxy/mittwald/v2/project-backup-schedules/0a3f2d8e-6c1b-4b7a-9d1e-2f4c5b6a7d8e';
  const MWH = { Authorization: 'Bearer mw-demo-token', 'Content-Type': 'application/json' };
  const NFH = { Authorization: 'Bearer nf-demo-token', 'Content-Type': 'application/json' };
  const SAH = { ...AUTH, 'Content-Type': 'application/json' };
  const SAO = '/proxy/serveravatar/organizations/5/backups';
  return [
    confined('mittwald update', MWB, { method: 'PATCH', body: '{"description":"x"}', headers: MWH }),
    confined('mittwald delete', MWB, { method: 'DELETE', headers: MWH }),
    confined('mittwald export', `${MWB}/export`, { method: 'POST', body: '{"format":"tar"}', headers: MWH }),
    confined('mittwald restore', `${MWB}/restore`, { method: 'POST', body: '{}', headers: MWH }),
    confined('mittwald directories', `${MWB}/path?directory=%2Fhtml`, { headers: MWH }),
    confined('mittwald schedule update', MWS, { method: 'PATCH', body: '{}', headers: MWH }),
    confined('Northflank abort', `${NF}/b1/abort`, { method: 'POST', body: '', headers: NFH }),
    confined('Northflank delete', `${NF}/b1`, { method: 'DELETE', headers: NFH }),
    confined('ServerAvatar bulk delete', `${SAO}/destroy`, { method: 'POST', body: '{"ids":[1]}', headers: SAH }),
    confined('ServerAvatar download', `${SAO}/1/database/download`, { headers: AUTH }),
    refused('mittwald PUT on a backup', MWB, 'method_not_allowed', { method: 'PUT', body: '{}' }),
    refused('mittwald restore by GET', `${MWB}/restore`, 'method_not_allowed'),
    refused('mittwald export of an encoded path', `${MWB}%2F..%2F..%2Fusers/export`, 'bad_path', { method: 'POST', body: '{}' }),
    refused('mittwald dot segments above the backup', `${MWB}/%2e%2e/%2e%2e/users/self`),
    refused('mittwald action on no backup', '/proxy/mittwald/v2/project-backups//export', 'bad_path', { method: 'POST', body: '{}' }),
    refused('mittwald export deeper', `${MWB}/export/x`, 'path_not_allowed', { method: 'DELETE' }),
    refused('Northflank abort by DELETE', `${NF}/b1/abort`, 'method_not_allowed', { method: 'DELETE' }),
    refused('Northflank schedules by GET', '/proxy/northflank/v1/projects/demo-project/addons/postgres-main/backup-schedules', 'method_not_allowed'),
    refused('Northflank backup on a destination', '/proxy/northflank/v1/backup-destinations/offsite-s3/backups/b1', 'path_not_allowed', { method: 'DELETE' }),
    refused('ServerAvatar delete by GET', `${SAO}/destroy`, 'method_not_allowed'),
    refused('ServerAvatar download of a word', `${SAO}/archive/filesystem/download`, 'path_not_allowed'),
    refused('ServerAvatar download of another part', `${SAO}/1/secrets/download`, 'path_not_allowed'),
    refused('ServerAvatar archive of another kind', `${SAO}/archive/users`, 'path_not_allowed'),
    refused('simulator download links through the proxy (ServerAvatar)', '/proxy/serveravatar/_files/1/database/x.sql', 'path_not_allowed'),
    refused('simulator download links through the proxy (mittwald)', '/proxy/mittwald/_downloads/x.tar', 'path_not_allowed'),
    refused('simulator download links through the proxy (Northflank)', '/proxy/northflank/_downloads/t', 'path_not_allowed'),
  ];
}

const PROVIDER_PREFIXES = ['/serveravatar/', '/northflank/', '/mittwald/'];

test('hostile requests are refused or confined, and the canary is never hit', async () => {
  const all = cases(canary.port);
  assert.ok(all.length >= 60, `at least 60 cases, have ${all.length}`);
  const failures = [];
  for (const c of all) {
    const before = (await simLog()).length;
    let res;
    try {
      const origin = c.origin === undefined ? PAGE : c.origin;
      const headers = origin === null ? c.headers ?? {} : { Origin: origin, ...c.headers };
      res = await rawRequest(WORKER, c.method ?? 'GET', c.target, headers, c.body ?? '');
    } catch (e) {
      // The HTTP layer dropping the connection is a refusal too.
      if (c.expect === 'refused') continue;
      failures.push(`${c.name}: ${e.message}`);
      continue;
    }
    const reached = (await simLog()).slice(before);
    const problem = (msg) => failures.push(`${c.name} (${c.target.slice(0, 80)}): ${msg}`);
    if (res.headers['set-cookie']) problem('a Set-Cookie came back');
    if (c.expect === 'dropped') {
      if (res.status < 400) problem(`status ${res.status}, expected an error`);
      if (reached.length) problem(`reached the simulator: ${JSON.stringify(reached)}`);
    } else if (c.expect === 'refused') {
      if (res.status < 400 || res.status >= 500) problem(`status ${res.status}, expected a refusal`);
      if (reached.length) problem(`reached the simulator: ${JSON.stringify(reached)}`);
      if (c.code) {
        let code;
        try { code = JSON.parse(res.body).proxyError?.code; } catch { /* not JSON */ }
        if (code !== c.code) problem(`proxyError code ${code}, expected ${c.code}; body ${res.body.slice(0, 120)}`);
      }
    } else {
      if (reached.length !== 1) problem(`expected exactly one upstream request, got ${JSON.stringify(reached)}`);
      for (const entry of reached) {
        if (!PROVIDER_PREFIXES.some((p) => entry.path.startsWith(p))) problem(`left the bases: ${entry.path}`);
        const leaked = entry.headers.filter((h) => NEVER_FORWARDED.includes(h));
        if (leaked.length) problem(`forwarded ${leaked.join(', ')}`);
      }
      if (res.status >= 500) problem(`status ${res.status}`);
    }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
  assert.deepEqual(canary.hits, [], 'the canary was reached');
  console.log(`security: ${all.length} hostile requests, ${canary.hits.length} canary hits`);
});

test('upstream redirects are passed back unfollowed, and only when they stay under the base', async () => {
  const prefix = '/serveravatar/organizations/5/backups';
  const simBase = `${SIM}/serveravatar`;
  const away = [`http://127.0.0.1:${canary.port}/steal`, `//127.0.0.1:${canary.port}/`,
    `${simBase}@127.0.0.1:${canary.port}/`, `${simBase}/../_demo/log`, 'javascript:alert(1)'];
  for (const location of away) {
    await addFault({ path_prefix: prefix, times: 1, fault: { kind: 'respond', status: 302, headers: [['Location', location]] } });
    const res = await rawRequest(WORKER, 'GET', SA, FROM_PAGE);
    assert.equal(res.status, 302, location);
    assert.equal(res.headers.location, undefined, `Location ${location} must not be passed on`);
  }
  const inside = `${simBase}/organizations/5/backups?page=2`;
  await addFault({ path_prefix: prefix, times: 1, fault: { kind: 'respond', status: 307, headers: [['Location', inside]] } });
  const res = await rawRequest(WORKER, 'GET', SA, FROM_PAGE);
  assert.equal(res.status, 307);
  assert.deepEqual(res.headers.location, [inside]);
  assert.deepEqual(canary.hits, []);
});

test('upstream cookies, hop-by-hop and CORS headers are stripped; errors pass through unchanged', async () => {
  await addFault({ path_prefix: '/serveravatar/', times: 1, fault: { kind: 'respond', status: 200, body: '{"data":[]}', headers: [
    ['Set-Cookie', 'session=upstream; Path=/'], ['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Credentials', 'true'],
    ['Keep-Alive', 'timeout=99'], ['Proxy-Authenticate', 'Basic'], ['X-Powered-By', 'upstream'], ['Content-Type', 'application/json'],
  ] } });
  const res = await rawRequest(WORKER, 'GET', SA, FROM_PAGE);
  assert.equal(res.status, 200);
  for (const h of ['set-cookie', 'access-control-allow-credentials', 'keep-alive', 'proxy-authenticate', 'x-powered-by']) {
    assert.equal(res.headers[h], undefined, h);
  }
  // The upstream's `*` is dropped: the one grant is the worker's own, to the page.
  assert.deepEqual(res.headers['access-control-allow-origin'], [PAGE]);
  assert.equal(res.body, '{"data":[]}');
  // An upstream error passes through with its status and body, not in the proxy's shape.
  const direct = await fetch(SIM + '/serveravatar/organizations/7/backups', { headers: AUTH });
  const proxied = await rawRequest(WORKER, 'GET', '/proxy/serveravatar/organizations/7/backups', FROM_PAGE);
  assert.equal(proxied.status, direct.status);
  assert.equal(proxied.body, await direct.text());
  assert.ok(!proxied.body.includes('proxyError'));
});

test('CORS: only the configured origin is granted and relayed, one origin per response, preflights checked', async () => {
  const allowed = new URL(WEB).origin;
  const grant = (res) => res.headers['access-control-allow-origin'];
  const get = (origin) => rawRequest(WORKER, 'GET', SA, { ...AUTH, ...(origin ? { Origin: origin } : {}) });
  const ok = await get(allowed);
  assert.equal(ok.status, 200);
  assert.deepEqual(grant(ok), [allowed]);
  assert.ok(ok.headers.vary?.join(',').includes('Origin'));
  assert.ok(ok.headers['access-control-expose-headers']?.[0].includes('X-Pagination-TotalCount'));
  assert.equal(ok.headers['access-control-allow-credentials'], undefined);
  const port = new URL(WEB).port;
  for (const origin of ['http://evil.example', 'null', `${allowed}.evil.example`, `http://evil.example?${allowed}`,
    `https://127.0.0.1:${port}`, `http://127.0.0.1:${Number(port) + 1}`, `http://localhost:${port}`, `${allowed}/`,
    allowed.toUpperCase(), `${allowed}, http://evil.example`, '*']) {
    const res = await get(origin);
    assert.equal(res.status, 403, `refused for ${origin}`);
    assert.equal(JSON.parse(res.body).proxyError.code, 'origin_not_allowed', origin);
    assert.equal(grant(res), undefined, `no grant for ${origin}`);
    assert.ok(res.headers.vary?.join(',').includes('Origin'), `Vary for ${origin}`);
  }
  const scripted = await get(null);
  assert.equal(scripted.status, 403);
  assert.equal(JSON.parse(scripted.body).proxyError.code, 'origin_not_allowed');
  assert.equal(grant(scripted), undefined);

  const preflight = (origin, method, headers) => rawRequest(WORKER, 'OPTIONS', SA, {
    Origin: origin, ...(method ? { 'Access-Control-Request-Method': method } : {}),
    ...(headers ? { 'Access-Control-Request-Headers': headers } : {}),
  });
  const good = await preflight(allowed, 'GET', 'authorization');
  assert.equal(good.status, 204);
  assert.deepEqual(grant(good), [allowed]);
  assert.ok(good.headers['access-control-allow-methods'][0].includes('GET'));
  assert.ok(good.headers['access-control-allow-headers'][0].toLowerCase().includes('authorization'));
  // The methods the action routes use (mittwald PATCH, deletes) and nothing else.
  for (const method of ['POST', 'PATCH', 'DELETE']) {
    const res = await preflight(allowed, method, 'authorization, content-type');
    assert.equal(res.status, 204, method);
    assert.deepEqual(grant(res), [allowed], method);
  }
  const refusedPreflights = [
    [allowed, 'delete', 'authorization'], [allowed, 'PUT', ''], [allowed, 'TRACE', ''], [allowed, 'CONNECT', ''],
    [allowed, 'GET', 'x-evil'], [allowed, 'GET', 'authorization, cookie'], [allowed, 'GET', 'x-forwarded-host'],
    [allowed, undefined, 'authorization'], ['http://evil.example', 'GET', 'authorization'], ['null', 'GET', ''],
  ];
  for (const [origin, method, headers] of refusedPreflights) {
    const res = await preflight(origin, method, headers);
    assert.ok(res.status >= 400, `preflight ${origin} ${method} [${headers}] refused, got ${res.status}`);
    assert.equal(grant(res), undefined, `preflight ${origin} ${method} [${headers}]`);
  }
  assert.deepEqual(canary.hits, []);
});

test('an upstream that does not answer in time gets the proxy\'s own 504, not a hang', async () => {
  // The test stack sets UPSTREAM_TIMEOUT_MS=5000; this answer would take 8 s.
  await addFault({ path_prefix: '/serveravatar/', times: 1, fault: { kind: 'latency', ms: 8000 } });
  const start = Date.now();
  const res = await rawRequest(WORKER, 'GET', SA, FROM_PAGE);
  const took = Date.now() - start;
  assert.equal(res.status, 504);
  assert.equal(JSON.parse(res.body).proxyError.code, 'upstream_timeout');
  assert.ok(took >= 4500 && took < 7500, `answered after ${took} ms`);
});
