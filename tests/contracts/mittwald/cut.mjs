// Cuts mittwald's published OpenAPI spec down to the operations Backboard calls: those operations
// as published, plus every component they reach through `$ref` (transitively) and the security
// schemes they name. Nothing is edited by hand.
//
//   node tests/contracts/mittwald/cut.mjs <api-client-js>/packages/mittwald/spec/openapi.json
//
// writes tests/contracts/mittwald/openapi.json. SOURCE names the published file it was cut from;
// change it together with the input when moving to a newer spec.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const SOURCE = {
  repository: 'https://github.com/mittwald/api-client-js',
  path: 'packages/mittwald/spec/openapi.json',
  commit: '977a925f8e62d4a3a0db72fa39f78c29ada4f257',
  release: '@mittwald/api-client 4.442.0',
};

// Every mittwald route of crates/core/src/proxy.rs (ROUTES); the contract test checks the two agree.
const OPERATIONS = [
  ['get', '/v2/projects/{projectId}/backups'],
  ['post', '/v2/projects/{projectId}/backups'],
  ['get', '/v2/project-backups/{projectBackupId}'],
  ['patch', '/v2/project-backups/{projectBackupId}'],
  ['delete', '/v2/project-backups/{projectBackupId}'],
  ['post', '/v2/project-backups/{projectBackupId}/export'],
  ['delete', '/v2/project-backups/{projectBackupId}/export'],
  ['post', '/v2/project-backups/{projectBackupId}/restore'],
  ['get', '/v2/project-backups/{projectBackupId}/database-dumps'],
  ['get', '/v2/project-backups/{projectBackupId}/path'],
  ['get', '/v2/projects/{projectId}/backup-schedules'],
  ['post', '/v2/projects/{projectId}/backup-schedules'],
  ['get', '/v2/project-backup-schedules/{projectBackupScheduleId}'],
  ['patch', '/v2/project-backup-schedules/{projectBackupScheduleId}'],
  ['delete', '/v2/project-backup-schedules/{projectBackupScheduleId}'],
];

const input = process.argv[2];
if (!input) {
  console.error('usage: node cut.mjs <path to packages/mittwald/spec/openapi.json>');
  process.exit(2);
}
const text = readFileSync(input);
const spec = JSON.parse(text);

const paths = {};
for (const [method, path] of OPERATIONS) {
  const operation = spec.paths?.[path]?.[method];
  if (!operation) throw new Error(`the spec has no ${method.toUpperCase()} ${path}`);
  paths[path] ??= {};
  paths[path][method] = operation;
}

// `#/components/<section>/<name>` of every $ref reachable from the kept operations.
const kept = new Map();
const securitySchemes = new Set();
function walk(value) {
  if (Array.isArray(value)) return value.forEach(walk);
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') follow(child);
    else walk(child);
  }
}
function follow(ref) {
  const match = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
  if (!match) throw new Error(`a $ref outside components: ${ref}`);
  const [, section, name] = match;
  const id = `${section}/${name}`;
  if (kept.has(id)) return;
  const target = spec.components?.[section]?.[name];
  if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
  kept.set(id, [section, name, target]);
  walk(target);
}
walk(paths);
for (const operation of Object.values(paths).flatMap(Object.values)) {
  for (const requirement of operation.security ?? spec.security ?? []) {
    Object.keys(requirement).forEach((name) => securitySchemes.add(name));
  }
}

const components = {};
for (const [section, name, target] of [...kept.values()].sort((a, b) => `${a[0]}/${a[1]}`.localeCompare(`${b[0]}/${b[1]}`))) {
  components[section] ??= {};
  components[section][name] = target;
}
components.securitySchemes = {};
for (const name of [...securitySchemes].sort()) {
  const scheme = spec.components?.securitySchemes?.[name];
  if (!scheme) throw new Error(`unknown security scheme ${name}`);
  components.securitySchemes[name] = scheme;
}

const out = {
  openapi: spec.openapi,
  info: { ...spec.info, 'x-source': { ...SOURCE, sha256: createHash('sha256').update(text).digest('hex') } },
  paths,
  components,
};
const target = new URL('./openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
console.log(`${OPERATIONS.length} operations, ${kept.size} components -> ${target.pathname}`);
