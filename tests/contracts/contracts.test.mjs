// The simulator and the core against the providers' published contracts, offline: every
// exchange recorded by crates/sim/tests/published_contracts.rs (a request the core built, the
// simulator's answer) is checked against tests/contracts/<provider>/openapi.json, and every route
// of the proxy against the operations there. `cargo xtask test` records, then runs this file.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Contracts, PROVIDERS, shape } from './check.mjs';

const RECORDED = new URL('../../target/contracts/exchanges.json', import.meta.url);

// Documented statuses the simulator does not give, each with the reason.
const NOT_SIMULATED = {
  'mittwald POST /v2/projects/{}/backups 404':
    'the simulator knows one project; any other answers 403 (no permission), as for every route',
  'mittwald POST /v2/projects/{}/backup-schedules 404':
    'the simulator knows one project; any other answers 403 (no permission), as for every route',
};

// Where a seed document and the published contract disagree on a value, the simulator sends the
// published form and, in some records, the seed's (so the core's reading of both stays tested).
// Here the seed's form is read as the published one before the check, and both must occur.
const SEED_VARIANTS = [
  {
    name: 'Northflank expiredBy',
    source: 'seeds/northflank-list-destination-backups.txt example: "expiredBy": "1729232400000.0"; ' +
      '@northflank/js-client ListBackupdestinationsbackupsResult: expiredBy: number',
    provider: 'northflank',
    route: 'GET /v1/backup-destinations/{}/backups',
    records: (body) => (Array.isArray(body?.data) ? body.data : []),
    key: 'expiredBy',
    isSeed: (v) => typeof v === 'string' && /^\d+(\.\d+)?$/.test(v),
    isPublished: (v) => typeof v === 'number',
    toPublished: (v) => Number(v),
  },
];

/// The answer with every seed-form value in its published form, and what was seen.
function published(provider, operation, response, seen) {
  const route = `${operation.method} ${shape(operation.template)}`;
  const variants = SEED_VARIANTS.filter((v) => v.provider === provider && v.route === route);
  if (!variants.length || typeof response.body !== 'object' || response.body === null) return response;
  const body = structuredClone(response.body);
  for (const v of variants) {
    for (const record of v.records(body)) {
      if (!(v.key in record)) continue;
      if (v.isSeed(record[v.key])) {
        seen[v.name].seed += 1;
        record[v.key] = v.toPublished(record[v.key]);
      } else if (v.isPublished(record[v.key])) {
        seen[v.name].published += 1;
      }
    }
  }
  return { ...response, body };
}

const seenVariants = Object.fromEntries(SEED_VARIANTS.map((v) => [v.name, { seed: 0, published: 0 }]));

function recorded() {
  assert.ok(existsSync(RECORDED), `${RECORDED.pathname} is missing: run cargo test -p backboard-sim --test published_contracts`);
  return JSON.parse(readFileSync(RECORDED, 'utf8'));
}

const contracts = new Contracts();
const { routes, exchanges } = recorded();

test('every route of the proxy is an operation of its provider\'s contract, and nothing more', () => {
  for (const provider of PROVIDERS) {
    const used = routes.filter((r) => r.provider === provider).map((r) => `${r.method} ${r.path}`).sort();
    // A path parameter with an enum (ServerAvatar's {type}) is one route per value in the proxy.
    const published = contracts.operations[provider].flatMap((o) => {
      let paths = [o.template];
      for (const p of o.parameters.filter((p) => p.in === 'path' && p.schema?.enum)) {
        paths = paths.flatMap((t) => p.schema.enum.map((v) => t.replace(`{${p.name}}`, v)));
      }
      return paths.map((t) => `${o.method} ${shape(t)}`);
    });
    assert.deepEqual(used, published.sort(), provider);
  }
});

for (const provider of PROVIDERS) {
  const mine = exchanges.filter((e) => e.provider === provider);

  test(`${provider}: every request the core builds is one the contract allows`, () => {
    const problems = [];
    for (const e of mine.filter((e) => e.inContract)) {
      const operation = contracts.match(provider, e.request.method, e.request.path);
      if (!operation) {
        problems.push(`${e.what}: ${e.request.method} ${e.request.path} is no operation of the contract`);
        continue;
      }
      for (const p of contracts.checkRequest(provider, operation, e.request)) problems.push(`${e.what}: ${p}`);
    }
    assert.deepEqual(problems, []);
  });

  test(`${provider}: every answer of the simulator is one the contract documents`, () => {
    const problems = [];
    for (const e of mine) {
      const operation = contracts.match(provider, e.request.method, e.request.path);
      if (!operation) {
        problems.push(`${e.what}: ${e.request.method} ${e.request.path} is no operation of the contract`);
        continue;
      }
      const response = published(provider, operation, e.response, seenVariants);
      for (const p of contracts.checkResponse(provider, operation, response)) problems.push(`${e.what} (${e.response.status}): ${p}`);
    }
    assert.deepEqual(problems, []);
  });

  test(`${provider}: each operation's success and every error status it documents were answered`, () => {
    const missing = [];
    for (const operation of contracts.operations[provider]) {
      const answered = new Set(
        mine
          .filter((e) => contracts.match(provider, e.request.method, e.request.path)?.template === operation.template && e.request.method === operation.method)
          .map((e) => String(e.response.status)),
      );
      const documented = Object.keys(operation.op.responses ?? {}).filter((s) => s !== 'default');
      if (![...answered].some((s) => s.startsWith('2'))) missing.push(`${operation.method} ${operation.template}: no success`);
      if (![...answered].some((s) => !s.startsWith('2'))) missing.push(`${operation.method} ${operation.template}: no error`);
      for (const status of documented.filter((s) => !answered.has(s))) {
        const key = `${provider} ${operation.method} ${shape(operation.template)} ${status}`;
        if (!NOT_SIMULATED[key]) missing.push(`${operation.method} ${operation.template}: ${status}`);
      }
    }
    assert.deepEqual(missing, []);
  });
}

test('the paging engine asks for the largest page each contract allows', () => {
  const pages = exchanges.filter((e) => e.paging);
  assert.ok(pages.length >= 3, 'pages of mittwald and of both Northflank lists were recorded');
  for (const e of pages) {
    const operation = contracts.match(e.provider, e.request.method, e.request.path);
    const size = operation.parameters.find((p) => p.in === 'query' && ['per_page', 'limit'].includes(p.name));
    assert.ok(size, `${e.what}: the contract names a page size`);
    // The published maximum, else the default (mittwald's limit has a minimum and a default only).
    const largest = size.schema.maximum ?? size.schema.default;
    assert.equal(Number(new URLSearchParams(e.request.query).get(size.name)), largest, `${e.what}: ${size.name}`);
  }
});

test('each disagreement of a seed and its contract is answered in both forms', () => {
  for (const v of SEED_VARIANTS) {
    const seen = seenVariants[v.name];
    assert.ok(seen.seed > 0 && seen.published > 0, `${v.name} (${v.source}): ${JSON.stringify(seen)}`);
    assert.ok(seen.published > seen.seed, `${v.name}: mostly the published form`);
  }
});

test('the statuses left out as not simulated are still not answered', () => {
  for (const key of Object.keys(NOT_SIMULATED)) {
    const [provider, method, path, status] = key.split(' ');
    const answered = exchanges.some(
      (e) => e.provider === provider && e.request.method === method && String(e.response.status) === status &&
        shape(contracts.match(provider, method, e.request.path)?.template ?? '') === path,
    );
    assert.equal(answered, false, key);
  }
});
