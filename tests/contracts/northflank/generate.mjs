// Compiles the official Northflank client's TypeScript types (@northflank/js-client,
// dist/esm/api-client.d.ts) into an OpenAPI-shaped contract of the calls Backboard makes:
// every request and answer type is turned into JSON Schema by ts-json-schema-generator, nothing
// is written by hand but the route table below (method and path as the client's endpoint classes
// build them) and the wire envelope the client reads (see ENVELOPE).
//
//   node tests/contracts/northflank/generate.mjs            # fetches the package with `npm pack`
//   node tests/contracts/northflank/generate.mjs <dir>      # or uses an unpacked package in <dir>
//
// writes tests/contracts/northflank/openapi.json.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

const PACKAGE = '@northflank/js-client';
const VERSION = '0.9.5';
const TYPES = 'dist/esm/api-client.d.ts';

// Every Northflank route of crates/core/src/proxy.rs (ROUTES), as the client's endpoint classes
// name them; the contract test checks the two agree. Team routes (/v1/teams/{teamId}/...) are the
// same calls for team tokens and are left out.
const ADDON = '/v1/projects/{projectId}/addons/{addonId}';
const ROUTES = [
  { method: 'get', path: `${ADDON}/backups`, endpoint: 'GetAddonBackupsEndpoint', options: 'GetAddonBackupsOptions', result: 'GetAddonBackupsResult', paginated: true },
  { method: 'get', path: '/v1/backup-destinations/{backupDestinationId}/backups', endpoint: 'ListBackupdestinationsbackupsEndpoint', options: 'ListBackupdestinationsbackupsOptions', result: 'ListBackupdestinationsbackupsResult', paginated: true },
  { method: 'post', path: `${ADDON}/backups`, endpoint: 'BackupAddonEndpoint', data: 'BackupAddonData', result: 'BackupAddonResult' },
  { method: 'get', path: `${ADDON}/backups/{backupId}`, endpoint: 'GetAddonBackupEndpoint', result: 'GetAddonBackupResult' },
  { method: 'delete', path: `${ADDON}/backups/{backupId}`, endpoint: 'DeleteBackupEndpoint', result: 'DeleteBackupResult' },
  { method: 'post', path: `${ADDON}/backups/{backupId}/abort`, endpoint: 'AbortAddonBackupEndpoint', result: 'AbortAddonBackupResult' },
  { method: 'post', path: `${ADDON}/backups/{backupId}/restore`, endpoint: 'RestoreAddonBackupEndpoint', options: 'RestoreAddonBackupOptions', result: 'RestoreAddonBackupResult' },
  { method: 'get', path: `${ADDON}/backups/{backupId}/download-link`, endpoint: 'GetAddonBackupDownloadEndpoint', result: 'GetAddonBackupDownloadResult' },
  { method: 'post', path: `${ADDON}/backup-schedules`, endpoint: 'CreateAddonBackupscheduleEndpoint', data: 'CreateAddonBackupscheduleData', result: 'CreateAddonBackupscheduleResult' },
];

// What dist/esm/api-client.js's ApiEndpoint.executeCall does with an answer: any status but 200
// is an error whose message is `body.error.message` (also `id`, `details`); otherwise the call's
// result is `body.data` and, for paginated endpoints, `body.pagination` (ApiCallResponse). Every
// answer body is parsed as JSON. The request carries `Authorization: Bearer <token>` and
// `Content-Type: application/json`; a body only where the endpoint's `body` returns one.
const ENVELOPE = 'ApiEndpoint.executeCall in dist/esm/api-client.js';

function unpacked(dir) {
  if (dir) return dir;
  const work = mkdtempSync(join(tmpdir(), 'northflank-contract-'));
  const tarball = execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--silent'], { cwd: work, encoding: 'utf8' }).trim();
  execFileSync('tar', ['xzf', tarball], { cwd: work });
  return join(work, 'package');
}

const root = unpacked(process.argv[2]);
const dts = join(root, TYPES);
const text = readFileSync(dts, 'utf8');
const lines = text.split('\n');
const lineOf = (name) => {
  const i = lines.findIndex((l) => new RegExp(`^(type|interface) ${name}\\b`).test(l));
  if (i < 0) throw new Error(`${TYPES} declares no ${name}`);
  return i + 1;
};

// The d.ts exports its types in one `export type { ... }` list; the generator wants each as an
// exported alias of its own in the file it starts from. The pagination is ApiCallResponse's,
// without the client's own getNextPage function.
const names = [...new Set(ROUTES.flatMap((r) => [r.options, r.data, r.result]).filter(Boolean))];
const wrapper = join(root, 'dist/esm/contract-types.ts');
writeFileSync(
  wrapper,
  [
    "import type * as nf from './api-client';",
    ...names.map((n) => `export type ${n} = nf.${n};`),
    "type P = NonNullable<nf.ApiCallResponse<unknown>['pagination']>;",
    "export type Pagination = { hasNextPage: P['hasNextPage']; cursor?: P['cursor']; count: P['count'] };",
    "export type ApiCallError = nf.ApiCallError;",
    '',
  ].join('\n'),
);

const generator = createGenerator({ path: wrapper, skipTypeCheck: true, expose: 'export', topRef: true, jsDoc: 'extended' });
const schemas = {};
for (const name of [...names, 'Pagination', 'ApiCallError']) {
  const { definitions } = generator.createSchema(name);
  for (const [key, schema] of Object.entries(definitions)) schemas[key] = schema;
}
const rewrite = (value) => {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' ? v.replace('#/definitions/', '#/components/schemas/') : rewrite(v)]),
  );
};
const ref = (name) => ({ $ref: `#/components/schemas/${name}` });

// The wire error body: the fields executeCall reads from `body.error` (ApiCallError without its
// status, which comes from the HTTP status). Other keys are left open: the client ignores them.
const apiCallError = schemas.ApiCallError;
schemas.ErrorBody = {
  type: 'object',
  description: `The answer to a failed call, as ${ENVELOPE} reads it into ApiCallError.`,
  properties: {
    error: {
      type: 'object',
      properties: Object.fromEntries(Object.entries(apiCallError.properties).filter(([k]) => k !== 'status')),
      additionalProperties: true,
    },
  },
  required: ['error'],
  additionalProperties: true,
};

const paths = {};
for (const route of ROUTES) {
  const parameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (route.options) {
    const options = schemas[route.options];
    for (const [name, schema] of Object.entries(options.properties ?? {})) {
      // The page size's bound is published only in words: "Maximum of 100 results per page."
      const maximum = /Maximum of (\d+) results per page/.exec(schema.description ?? '');
      const bounded = maximum ? { ...schema, minimum: 1, maximum: Number(maximum[1]) } : schema;
      parameters.push({ name, in: 'query', required: (options.required ?? []).includes(name), schema: rewrite(bounded) });
    }
  }
  const envelope = { type: 'object', properties: { data: ref(route.result) }, required: ['data'] };
  if (route.paginated) {
    envelope.properties.pagination = ref('Pagination');
    envelope.required.push('pagination');
  }
  const operation = {
    operationId: route.endpoint,
    'x-types': Object.fromEntries([route.data, route.options, route.result].filter(Boolean).map((n) => [n, `${TYPES}:${lineOf(n)}`])),
    parameters,
    security: [{ bearer: [] }],
    responses: {
      200: { description: `${route.result} in data (${ENVELOPE})`, content: { 'application/json': { schema: envelope } } },
      default: { description: `any other status is an error (${ENVELOPE})`, content: { 'application/json': { schema: ref('ErrorBody') } } },
    },
  };
  if (route.data) {
    operation.requestBody = { required: true, content: { 'application/json': { schema: ref(route.data) } } };
  }
  paths[route.path] ??= {};
  paths[route.path][route.method] = operation;
}

const out = {
  openapi: '3.0.3',
  info: {
    title: 'Northflank API v1: the calls Backboard makes, from the official client\'s types',
    version: VERSION,
    'x-source': {
      package: `${PACKAGE}@${VERSION}`,
      file: TYPES,
      sha256: createHash('sha256').update(text).digest('hex'),
      envelope: ENVELOPE,
      'ApiCallError': `${TYPES}:${lineOf('ApiCallError')}`,
      'ApiCallResponse': `${TYPES}:${lineOf('ApiCallResponse')}`,
    },
  },
  paths,
  components: {
    schemas: Object.fromEntries(Object.entries(rewrite(schemas)).sort(([a], [b]) => a.localeCompare(b))),
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  },
};
const target = new URL('./openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
console.log(`${ROUTES.length} operations, ${Object.keys(schemas).length} schemas -> ${target.pathname}`);
